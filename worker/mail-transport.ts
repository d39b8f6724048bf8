import { connect, type Socket } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../domain/config';
import { smtpAuth } from '../config/load';

/**
 * A nodemailer `getSocket` (transport option) that connects with Nagle's algorithm off. nodemailer writes a
 * message and its final "." in separate small writes; with Nagle on, the second waits for the server's delayed
 * ACK (~40 ms on Linux) on every email, which caps one connection at about 20 emails/s (issue 16 measured 107
 * against 905 letters/s on loopback). nodemailer still upgrades the connection itself (STARTTLS, or TLS at once
 * with `secure: true`).
 */
export function noDelaySocket(
  options: {
    host?: string | undefined;
    port?: number | undefined;
    secure?: boolean | undefined;
    connectionTimeout?: number | undefined;
  },
  callback: (err: Error | null, socketOptions?: { connection: Socket }) => void,
): void {
  const host = options.host ?? 'localhost';
  const port = options.port ?? (options.secure ? 465 : 587);
  const socket = connect({ host, port });
  socket.setNoDelay(true);
  const fail = (err: Error) => {
    clearTimeout(timer);
    callback(err);
  };
  const timer = setTimeout(
    () => socket.destroy(Object.assign(new Error(`connection to ${host}:${port} timed out`), { code: 'ETIMEDOUT' })),
    options.connectionTimeout ?? 120_000,
  );
  socket.once('error', fail);
  socket.once('connect', () => {
    clearTimeout(timer);
    socket.removeListener('error', fail);
    callback(null, { connection: socket });
  });
}

/**
 * The worker's one SMTP transport, for every email it sends: the roles' notices, the letters to the people
 * affected and the watch's emails about runs ended outside lekdicht.
 */
export function createMailTransport(config: Config, env: NodeJS.ProcessEnv = process.env): Transporter {
  const auth = smtpAuth(env);
  return nodemailer.createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    // Kept-open connections: informing thousands of people one new connection per email is ~3x slower.
    pool: true,
    maxConnections: 5,
    // Every pooled connection, also one the pool opens again after a server closed it.
    getSocket: noDelaySocket,
    ...(auth ? { auth } : {}),
    // A local catcher has no certificate; real servers negotiate STARTTLS when offered.
    tls: { rejectUnauthorized: config.smtp.host !== '127.0.0.1' && config.smtp.host !== 'localhost' },
  });
}
