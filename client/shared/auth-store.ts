import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { hash, verify } from '@node-rs/argon2';
import type { Session } from 'fastify';
import { openPrivateDatabase } from '../../register/private-files';
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

/**
 * Password hashes (argon2id), login-link tokens (SHA-256 of a 256-bit random token: unguessable, so a fast hash
 * suffices) and sessions, in a SQLite file of their own beside the register. Nothing here is stored in plaintext
 * that would let someone log in.
 */
export class AuthStore {
  private readonly db: Database.Database;

  constructor(
    path: string,
    private readonly now: () => number = Date.now,
  ) {
    // Password hashes and live sessions: the owner's only (0600, also -wal and -shm), whatever data/'s mode.
    this.db = openPrivateDatabase(path);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS passwords (email TEXT PRIMARY KEY, hash TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS login_links (token_hash TEXT PRIMARY KEY, email TEXT NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER);
      CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, data TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS codec_decodes (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, email TEXT NOT NULL, payloads INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS login_failures (email TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS login_failures_email ON login_failures (email, at);
    `);
    // Files from before sessions had an owner and a start: old sessions get neither, and so end at their next use.
    const columns = new Set(
      (this.db.prepare('PRAGMA table_info(sessions)').all() as { name: string }[]).map((c) => c.name),
    );
    if (!columns.has('email')) this.db.exec('ALTER TABLE sessions ADD COLUMN email TEXT');
    if (!columns.has('created_at'))
      this.db.exec('ALTER TABLE sessions ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0');
    this.db.exec('CREATE INDEX IF NOT EXISTS sessions_email ON sessions (email)');
  }

  /**
   * A new password, and every session of that person ends: whoever held a session with the old password (the
   * reason to change it, often) is out. Returns how many sessions ended.
   */
  async setPassword(email: string, password: string): Promise<number> {
    checkPasswordStrength(password);
    const hashed = await hash(password);
    return this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO passwords (email, hash, updated_at) VALUES (?, ?, ?) ON CONFLICT(email) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at',
        )
        .run(normal(email), hashed, new Date(this.now()).toISOString());
      return this.revokeSessions(email);
    })();
  }

  /** Ends every session of a person (`lekdicht user revoke EMAIL`); returns how many there were. */
  revokeSessions(email: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE email = ?').run(normal(email)).changes;
  }

  /** Live sessions of a person (tests, and the count `user revoke` prints). */
  sessionCount(email?: string): number {
    const row = (
      email === undefined
        ? this.db.prepare('SELECT count(*) AS n FROM sessions WHERE expires_at > ?').get(this.now())
        : this.db
            .prepare('SELECT count(*) AS n FROM sessions WHERE email = ? AND expires_at > ?')
            .get(normal(email), this.now())
    ) as { n: number };
    return row.n;
  }

  /** Every decode through the codec endpoint is kept: who (address), when, how many payloads. */
  recordDecode(email: string, payloads: number, at: number = this.now()): void {
    this.db
      .prepare('INSERT INTO codec_decodes (at, email, payloads) VALUES (?, ?, ?)')
      .run(new Date(at).toISOString(), normal(email), payloads);
  }

  decodes(): DecodeRecord[] {
    return this.db.prepare('SELECT at, email, payloads FROM codec_decodes ORDER BY id').all() as DecodeRecord[];
  }

  /**
   * Failed password logins per account, in a sliding window: shared by every instance of the service (it is in
   * the database) and bounded (failures older than the window no longer count), so an attacker spread over many
   * addresses is slowed down, and the real person can log in again once the window has passed without failures.
   */
  loginFailures(email: string, windowMs: number): number {
    const since = this.now() - windowMs;
    return (
      this.db
        .prepare('SELECT count(*) AS n FROM login_failures WHERE email = ? AND at > ?')
        .get(normal(email), since) as { n: number }
    ).n;
  }

  recordLoginFailure(email: string, windowMs: number): void {
    const now = this.now();
    this.db.prepare('DELETE FROM login_failures WHERE at <= ?').run(now - windowMs);
    this.db.prepare('INSERT INTO login_failures (email, at) VALUES (?, ?)').run(normal(email).slice(0, 320), now);
  }

  clearLoginFailures(email: string): void {
    this.db.prepare('DELETE FROM login_failures WHERE email = ?').run(normal(email));
  }

  /** The stored hash, for tests that check nothing is kept in plaintext. */
  passwordHash(email: string): string | undefined {
    return (
      this.db.prepare('SELECT hash FROM passwords WHERE email = ?').get(normal(email)) as { hash: string } | undefined
    )?.hash;
  }

  async verifyPassword(email: string, password: string): Promise<boolean> {
    const stored = this.passwordHash(email);
    if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH) return false;
    try {
      const ok = await verify(stored ?? DUMMY_HASH, password);
      return stored !== undefined && ok;
    } catch {
      return false;
    }
  }

  /** A one-time token for a login link; only its hash is kept. */
  createLoginLink(email: string, ttlMs: number): string {
    const token = randomBytes(32).toString('base64url');
    this.db.prepare('DELETE FROM login_links WHERE expires_at < ? OR used_at IS NOT NULL').run(this.now());
    this.db
      .prepare('INSERT INTO login_links (token_hash, email, expires_at) VALUES (?, ?, ?)')
      .run(sha256(token), normal(email), this.now() + ttlMs);
    return token;
  }

  /** The address the token was made for, once: a second use, or a use after expiry, gives undefined. */
  consumeLoginLink(token: string): string | undefined {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
    const tokenHash = sha256(token);
    const now = this.now();
    // One statement: two simultaneous uses of the same link cannot both succeed.
    const used = this.db
      .prepare('UPDATE login_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?')
      .run(now, tokenHash, now);
    if (used.changes !== 1) return undefined;
    return (this.db.prepare('SELECT email FROM login_links WHERE token_hash = ?').get(tokenHash) as { email: string })
      .email;
  }

  /**
   * A store for @fastify/session: sessions survive a restart, and logging out ends them on the server. Each row
   * keeps its owner (to end all of a person's sessions) and its start (the absolute lifetime); a session is
   * written only once it holds something (saveUninitialized: false), so anonymous visits leave no row.
   */
  sessionStore(limits: SessionLimits) {
    const get = this.db.prepare('SELECT data FROM sessions WHERE sid = ? AND expires_at > ? AND created_at > ?');
    // created_at is kept on update: touching a session never extends its absolute lifetime.
    const set = this.db.prepare(
      'INSERT INTO sessions (sid, data, expires_at, email, created_at) VALUES (@sid, @data, @now + @idle, @email, @now) ' +
        'ON CONFLICT(sid) DO UPDATE SET data = excluded.data, email = excluded.email, expires_at = min(@now + @idle, sessions.created_at + @lifetime)',
    );
    const destroy = this.db.prepare('DELETE FROM sessions WHERE sid = ?');
    const sweep = this.db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR created_at <= ?');
    let writes = 0;
    return {
      get: (sid: string, callback: (err: Error | null, session?: Session | null) => void) => {
        const now = this.now();
        const row = get.get(sid, now, now - limits.lifetimeMs) as { data: string } | undefined;
        callback(null, row ? (JSON.parse(row.data) as Session) : null);
      },
      set: (sid: string, session: Session, callback: (err?: Error) => void) => {
        const now = this.now();
        if (++writes % 100 === 0) sweep.run(now, now - limits.lifetimeMs);
        const email = session.user?.email;
        set.run({
          sid,
          data: JSON.stringify(session),
          now,
          idle: Math.min(limits.idleMs, limits.lifetimeMs),
          lifetime: limits.lifetimeMs,
          email: email === undefined ? null : normal(email),
        });
        callback();
      },
      destroy: (sid: string, callback: (err?: Error) => void) => {
        destroy.run(sid);
        callback();
      },
    };
  }

  close(): void {
    this.db.close();
  }
}

function normal(email: string): string {
  return email.trim().toLowerCase();
}
