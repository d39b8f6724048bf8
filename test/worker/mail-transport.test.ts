import { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXAMPLE_CONFIG, loadConfig } from '../../config/load';
import { createMailTransport } from '../../worker/mail-transport';
import { Mailbox } from '../support/mailbox';

/**
 * Nagle's algorithm holds nodemailer's last small write of each email until the server's delayed ACK: ~40 ms per
 * email on one connection (issue 16). Node's sockets keep Nagle on unless setNoDelay(true) is called, and nodemailer
 * never calls it, so the worker's transport must connect through its own socket factory.
 */
describe("the worker's SMTP transport connects without Nagle's algorithm", () => {
  const mailbox = new Mailbox();
  afterEach(async () => {
    vi.restoreAllMocks();
    await mailbox.stop();
  });

  it('sets noDelay on the socket that carries the emails to the SMTP server', async () => {
    const port = await mailbox.start();
    const config = loadConfig({ LEKDICHT_SMTP_HOST: '127.0.0.1', LEKDICHT_SMTP_PORT: String(port) }, EXAMPLE_CONFIG);
    const noDelay = new Map<Socket, boolean | undefined>();
    // The spy records each call and lets it through: the emails go out on the real socket.
    const setNoDelay = Object.getOwnPropertyDescriptor(Socket.prototype, 'setNoDelay')!.value as (
      this: Socket,
      on?: boolean,
    ) => Socket;
    vi.spyOn(Socket.prototype, 'setNoDelay').mockImplementation(function (this: Socket, on?: boolean) {
      noDelay.set(this, on);
      return setNoDelay.call(this, on);
    });
    const transport = createMailTransport(config, {});
    try {
      for (const n of [1, 2, 3])
        await transport.sendMail({
          from: 'lekdicht <datalek@test.example>',
          to: `person${n}@test.example`,
          subject: `letter ${n}`,
          text: 'body',
        });
    } finally {
      transport.close();
    }
    expect(mailbox.mails.map((m) => m.subject)).toEqual(['letter 1', 'letter 2', 'letter 3']);
    const toServer = [...noDelay].filter(([socket]) => socket.remotePort === port);
    expect(toServer.length).toBeGreaterThan(0);
    expect(toServer.every(([, on]) => on === true)).toBe(true);
  });
});
