import { Command } from 'commander';
import type { CliIo } from './io';
import { InvalidInputError } from '../../domain/errors';
import { findPerson } from '../../domain/roles';
import { publicUrlOf } from '../../domain/service-config';
import { loadConfig } from '../../config/load';
import { storeTarget } from '../../register/targets';
import { AuthStore } from '../shared/auth-store';

/** Reads a piped password (one line), or asks for it twice on a terminal without echoing it. */
async function readPassword(input: NodeJS.ReadStream, io: CliIo): Promise<string> {
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve, reject) => {
      io.err(prompt);
      let typed = '';
      input.setRawMode(true);
      input.resume();
      const onData = (data: Buffer) => {
        for (const ch of data.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return done(() => resolve(typed));
          if (ch === '\u0003') return done(() => reject(new InvalidInputError('password: cancelled')));
          if (ch === '\u007f') typed = typed.slice(0, -1);
          else typed += ch;
        }
      };
      const done = (then: () => void) => {
        input.off('data', onData);
        input.setRawMode(false);
        input.pause();
        then();
      };
      input.on('data', onData);
    });
  const first = await ask('New password (not shown): ');
  const second = await ask('Again: ');
  if (first !== second) throw new InvalidInputError('password: the two entries differ');
  return first;
}

/** `lekdicht user set-password EMAIL` and `lekdicht user login-link EMAIL`: access to the HTTP service. */
export function userCommand(env: NodeJS.ProcessEnv, io: CliIo, input: NodeJS.ReadStream = process.stdin): Command {
  const withStore = async <T>(
    run: (store: AuthStore, config: ReturnType<typeof loadConfig>) => Promise<T>,
  ): Promise<T> => {
    const config = loadConfig(env);
    const store = await AuthStore.open(storeTarget(config, 'auth', env));
    try {
      return await run(store, config);
    } finally {
      await store.close();
    }
  };
  const person = (config: ReturnType<typeof loadConfig>, email: string) => {
    const found = findPerson(config.directory, email);
    if (!found) throw new InvalidInputError(`EMAIL: ${email} is not in the directory of the config`);
    return found;
  };

  const user = new Command('user').description("people's access to the HTTP service (password login)");
  user
    .command('set-password')
    .description(
      "set a person's password: from stdin (one line) or asked twice on a terminal; stored as an argon2id hash",
    )
    .argument('<email>')
    .action(async (email: string) => {
      await withStore(async (store, config) => {
        const who = person(config, email);
        const ended = await store.setPassword(who.email, await readPassword(input, io));
        // Whoever was logged in with the old password is out: a change is often made because it leaked.
        io.out(`password set for ${who.email}; ${ended} session${ended === 1 ? '' : 's'} ended`);
      });
    });
  user
    .command('revoke')
    .description('end every session of a person at once (a lost laptop, someone leaving); they must log in again')
    .argument('<email>')
    .action(async (email: string) => {
      await withStore(async (store) => {
        // Also for someone no longer in the directory: their sessions are what is to be ended.
        const ended = await store.revokeSessions(email);
        io.out(`${ended} session${ended === 1 ? '' : 's'} of ${email.trim().toLowerCase()} ended`);
      });
    });
  user
    .command('login-link')
    .description('print a one-time login link (valid for auth.loginLinkTtl, default 15 minutes)')
    .argument('<email>')
    .action(async (email: string) => {
      await withStore(async (store, config) => {
        const who = person(config, email);
        const token = await store.createLoginLink(who.email, config.auth.loginLinkTtl);
        io.out(`${publicUrlOf(config.http)}/login/link?token=${token}`);
      });
    });
  return user;
}
