/**
 * The mail catcher of `npm start` (maildev): every email lekdicht sends, in a web view on loopback. Caught mail
 * holds breach details and login links, so it is private to this run and guarded against other sites.
 */
import type { EventEmitter } from 'node:events';
import { readdirSync, rmSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { privateDir } from '../register/private-files';
import { guardLoopbackHost } from './host-guard';
import { LOOPBACK as HOST } from './ports';
import { requireFreePort, StartError, type Part } from './parts';

interface MailDevServer {
  smtp: EventEmitter;
  onSmtpError: (err: Error) => void;
  listen(): Promise<void>;
  close(callback: (err?: Error) => void): void;
}
interface MailDevWeb {
  server: HttpServer | null;
}
type MailDevFactory = new (options: Record<string, unknown>) => MailDevServer;

export async function startMailCatcher(
  smtpPort: number,
  webPort: number,
  dataDir: string,
  log: (line: string) => void,
): Promise<Part> {
  await requireFreePort(smtpPort, 'mail catcher SMTP', 'LEKDICHT_SMTP_PORT');
  await requireFreePort(webPort, 'mail catcher web view', 'LEKDICHT_MAIL_WEB_PORT');

  // maildev ships no types and is CommonJS; its web module is a singleton we need for listen errors.
  const require = createRequire(import.meta.url);
  const MailDev = require('maildev') as MailDevFactory;
  const web = require('maildev/lib/web') as MailDevWeb;

  // Caught mail holds breach details, so it lives next to the other breach data and only as long as this run.
  // A run that was killed (tsx SIGKILLs us when a Ctrl-C lands while bundling blocks the event loop) cannot
  // clean up after itself: its directory goes on the next start.
  removeAbandonedMailDirs(dataDir);
  const mailDir = join(dataDir, `mail-${process.pid}`);
  rmSync(mailDir, { recursive: true, force: true });
  // 0700 whatever data/'s mode and the umask: the caught mail is the breach's content.
  privateDir(mailDir);
  const removeMailDir = () => rmSync(mailDir, { recursive: true, force: true });
  process.on('exit', removeMailDir);

  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const maildev = new MailDev({ smtp: smtpPort, web: webPort, ip: HOST, silent: true, mailDirectory: mailDir });
  // maildev exits the process on SIGINT/SIGTERM by itself, which would cut the ordered shutdown short.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal))
      if (!before[signal].includes(listener)) process.removeListener(signal, listener);
  }

  let starting = true;
  let startFailed: (err: Error) => void = () => {};
  const failure = new Promise<never>((_, reject) => (startFailed = reject));
  // maildev rethrows SMTP server errors, which would crash the process: report them instead.
  maildev.smtp.removeListener('error', maildev.onSmtpError);
  maildev.smtp.on('error', (err: NodeJS.ErrnoException) => {
    if (starting) startFailed(err);
    else if (err.code !== 'ECONNRESET') log(`mail catcher SMTP error: ${err.code ?? err.message}`);
  });
  const webServer = web.server;
  // The caught mail holds login links: no page of another site reads it, by CORS (maildev allows every origin) or by
  // DNS rebinding. After maildev attached its websocket handler, so that is guarded too.
  if (webServer) guardLoopbackHost(webServer);
  const webListening = new Promise<void>((resolveListening, reject) => {
    if (!webServer) return reject(new Error('maildev did not create its web server'));
    webServer.once('listening', () => resolveListening());
    webServer.on('error', (err: NodeJS.ErrnoException) =>
      starting ? reject(err) : log(`mail catcher web error: ${err.code ?? err.message}`),
    );
  });

  let stopping: Promise<void> | undefined;
  const part: Part = {
    name: 'mail catcher',
    stop: () =>
      (stopping ??= (async () => {
        await new Promise<void>((done) => maildev.close(() => done()));
        // maildev closes its web view on its own 'close' event without waiting; wait here so the port is free.
        if (webServer?.listening) await new Promise<void>((done) => webServer.once('close', () => done()));
        removeMailDir();
        process.removeListener('exit', removeMailDir);
      })()),
  };

  try {
    await Promise.race([Promise.all([maildev.listen(), webListening]), failure]);
  } catch (err) {
    await part.stop();
    const code = (err as NodeJS.ErrnoException).code;
    throw new StartError(
      `the mail catcher could not start (${code ?? (err as Error).message}) on SMTP port ${smtpPort} / web port ${webPort}`,
    );
  } finally {
    starting = false;
  }
  return part;
}

function removeAbandonedMailDirs(dataDir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(/^mail-(\d+)$/.exec(entry)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid)) rmSync(join(dataDir, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
