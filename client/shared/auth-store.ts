import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Session } from 'fastify';
import { sql, type Generated, type Kysely } from 'kysely';
import { changed, openMigratedStore, type StoreDatabase, type StoreTarget } from '../../register/database';
import { authMigrations } from '../../register/migrations';
import { checkPasswordStrength, MAX_PASSWORD_LENGTH } from './password-policy';

export { checkPasswordStrength, MIN_PASSWORD_LENGTH } from './password-policy';

/** Compared against when there is no hash for the address, so an unknown address takes as long as a wrong password. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bGVrZGljaHRkdW1teQ$Fh0H2Zt4d+zTLW7GgnR7L6xQkT0Q8y8rJm1xkbvU+8A';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** How long a session lasts: `idleMs` after its last request, and never longer than `lifetimeMs` after the login. */
export interface SessionLimits {
  idleMs: number;
  lifetimeMs: number;
}

/** A recorded use of the codec endpoint: who decoded how many payloads, when (ISO 8601). */
export interface DecodeRecord {
  at: string;
  email: string;
  payloads: number;
}

interface AuthTables {
  passwords: { email: string; hash: string; updated_at: string };
  login_links: { token_hash: string; email: string; expires_at: number; used_at: number | null };
  sessions: { sid: string; data: string; expires_at: number; email: string | null; created_at: number };
  codec_decodes: { id: Generated<number>; at: string; email: string; payloads: number };
  login_failures: { email: string; at: number };
}

/**
 * Password hashes (argon2id), login-link tokens (SHA-256 of a 256-bit random token: unguessable, so a fast hash
 * suffices) and sessions: a SQLite file of their own beside the register, or tables in the PostgreSQL database that
 * every HTTP instance shares (register/database.ts). Nothing here is stored in plaintext that would let someone log in.
 */
export class AuthStore {
  private constructor(
    private readonly store: StoreDatabase<AuthTables>,
    private readonly now: () => number,
  ) {}

  private closed = false;

  /** Closed is closed: a query after close() fails here, not on a connection Kysely would quietly open again. */
  private get db(): Kysely<AuthTables> {
    if (this.closed) throw new Error('the auth store is closed');
    return this.store.db;
  }

  /** Opens the store (a path is a SQLite file: owner-only 0600, also -wal and -shm) and applies its migrations. */
  static async open(target: StoreTarget | string, now: () => number = Date.now): Promise<AuthStore> {
    const store = await openMigratedStore<AuthTables>(target, 'auth', authMigrations);
    return new AuthStore(store, now);
  }

  /** A cheap read that fails when the database cannot be reached (readiness). */
  async check(): Promise<void> {
    await this.db.selectFrom('sessions').select('sid').limit(1).execute();
  }

  /**
   * A new password, and every session of that person ends: whoever held a session with the old password (the
   * reason to change it, often) is out. Returns how many sessions ended.
   */
  async setPassword(email: string, password: string): Promise<number> {
    checkPasswordStrength(password);
    const hashed = await hash(password);
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('passwords')
        .values({ email: normal(email), hash: hashed, updated_at: new Date(this.now()).toISOString() })
        .onConflict((oc) =>
          oc
            .column('email')
            .doUpdateSet((eb) => ({ hash: eb.ref('excluded.hash'), updated_at: eb.ref('excluded.updated_at') })),
        )
        .execute();
      return revokeSessions(trx, email, this.now());
    });
  }

  /** Ends every session of a person (`lekdicht user revoke EMAIL`); returns how many there were. */
  revokeSessions(email: string): Promise<number> {
    return revokeSessions(this.db, email, this.now());
  }

  /** Live sessions of a person (tests, and the count `user revoke` prints). */
  async sessionCount(email?: string): Promise<number> {
    let query = this.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('expires_at', '>', this.now());
    if (email !== undefined) query = query.where('email', '=', normal(email));
    return Number((await query.executeTakeFirstOrThrow()).n);
  }

  /** Every decode through the codec endpoint is kept: who (address), when, how many payloads. */
  async recordDecode(email: string, payloads: number, at: number = this.now()): Promise<void> {
    await this.db
      .insertInto('codec_decodes')
      .values({ at: new Date(at).toISOString(), email: normal(email), payloads })
      .execute();
  }

  decodes(): Promise<DecodeRecord[]> {
    return this.db.selectFrom('codec_decodes').select(['at', 'email', 'payloads']).orderBy('id').execute();
  }

  /**
   * Failed password logins per account, in a sliding window: shared by every instance of the service (it is in
   * the database) and bounded (failures older than the window no longer count), so an attacker spread over many
   * addresses is slowed down, and the real person can log in again once the window has passed without failures.
   */
  async loginFailures(email: string, windowMs: number): Promise<number> {
    const row = await this.db
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('email', '=', normal(email))
      .where('at', '>', this.now() - windowMs)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async recordLoginFailure(email: string, windowMs: number): Promise<void> {
    const now = this.now();
    await this.db
      .deleteFrom('login_failures')
      .where('at', '<=', now - windowMs)
      .execute();
    await this.db
      .insertInto('login_failures')
      .values({ email: normal(email).slice(0, 320), at: now })
      .execute();
  }

  async clearLoginFailures(email: string): Promise<void> {
    await this.db.deleteFrom('login_failures').where('email', '=', normal(email)).execute();
  }

  /** The stored hash, for tests that check nothing is kept in plaintext. */
  async passwordHash(email: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('passwords')
      .select('hash')
      .where('email', '=', normal(email))
      .executeTakeFirst();
    return row?.hash;
  }

  async verifyPassword(email: string, password: string): Promise<boolean> {
    const stored = await this.passwordHash(email);
    if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH) return false;
    try {
      const ok = await verify(stored ?? DUMMY_HASH, password);
      return stored !== undefined && ok;
    } catch {
      return false;
    }
  }

  /** A one-time token for a login link; only its hash is kept. */
  async createLoginLink(email: string, ttlMs: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    await this.db
      .deleteFrom('login_links')
      .where((eb) => eb.or([eb('expires_at', '<', now), eb('used_at', 'is not', null)]))
      .execute();
    await this.db
      .insertInto('login_links')
      .values({ token_hash: sha256(token), email: normal(email), expires_at: now + ttlMs, used_at: null })
      .execute();
    return token;
  }

  /** The address the token was made for, once: a second use, or a use after expiry, gives undefined. */
  async consumeLoginLink(token: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
    const tokenHash = sha256(token);
    const now = this.now();
    // One statement: two simultaneous uses of the same link cannot both succeed.
    const used = await this.db
      .updateTable('login_links')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (changed(used) !== 1) return undefined;
    const row = await this.db
      .selectFrom('login_links')
      .select('email')
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row?.email;
  }

  /**
   * A store for @fastify/session: sessions survive a restart, and logging out ends them on the server. Each row
   * keeps its owner (to end all of a person's sessions) and its start (the absolute lifetime); a session is
   * written only once it holds something (saveUninitialized: false), so anonymous visits leave no row.
   */
  sessionStore(limits: SessionLimits) {
    let writes = 0;
    const idle = Math.min(limits.idleMs, limits.lifetimeMs);
    const get = async (sid: string): Promise<Session | null> => {
      const now = this.now();
      const row = await this.db
        .selectFrom('sessions')
        .select('data')
        .where('sid', '=', sid)
        .where('expires_at', '>', now)
        .where('created_at', '>', now - limits.lifetimeMs)
        .executeTakeFirst();
      return row ? (JSON.parse(row.data) as Session) : null;
    };
    const set = async (sid: string, session: Session): Promise<void> => {
      const now = this.now();
      if (++writes % 100 === 0)
        await this.db
          .deleteFrom('sessions')
          .where((eb) => eb.or([eb('expires_at', '<=', now), eb('created_at', '<=', now - limits.lifetimeMs)]))
          .execute();
      const email = session.user?.email;
      await this.db
        .insertInto('sessions')
        .values({
          sid,
          data: JSON.stringify(session),
          expires_at: now + idle,
          email: email === undefined ? null : normal(email),
          created_at: now,
        })
        // created_at is kept on update: touching a session never extends its absolute lifetime.
        .onConflict((oc) =>
          oc.column('sid').doUpdateSet((eb) => ({
            data: eb.ref('excluded.data'),
            email: eb.ref('excluded.email'),
            expires_at: sql<number>`CASE WHEN ${now + idle} < sessions.created_at + ${limits.lifetimeMs} THEN ${now + idle} ELSE sessions.created_at + ${limits.lifetimeMs} END`,
          })),
        )
        .execute();
    };
    const destroy = async (sid: string): Promise<void> => {
      await this.db.deleteFrom('sessions').where('sid', '=', sid).execute();
    };
    return {
      get: (sid: string, callback: (err: Error | null, session?: Session | null) => void) => {
        get(sid).then(
          (session) => callback(null, session),
          (err: Error) => callback(err),
        );
      },
      set: (sid: string, session: Session, callback: (err?: Error) => void) => {
        set(sid, session).then(
          () => callback(),
          (err: Error) => callback(err),
        );
      },
      destroy: (sid: string, callback: (err?: Error) => void) => {
        destroy(sid).then(
          () => callback(),
          (err: Error) => callback(err),
        );
      },
    };
  }

  close(): Promise<void> {
    this.closed = true;
    return this.store.close();
  }
}

/** Deletes every session row of the person; the count is of the live ones (an expired row ended before). */
async function revokeSessions(db: Kysely<AuthTables>, email: string, now: number): Promise<number> {
  const rows = await db.deleteFrom('sessions').where('email', '=', normal(email)).returning('expires_at').execute();
  return rows.filter((row) => Number(row.expires_at) > now).length;
}

function normal(email: string): string {
  return email.trim().toLowerCase();
}
