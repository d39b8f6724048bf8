import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { hash, verify } from '@node-rs/argon2';
import type { Session } from 'fastify';
import { InvalidInputError } from '../../domain/errors';

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1_024;

/** Compared against when there is no hash for the address, so an unknown address takes as long as a wrong password. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bGVrZGljaHRkdW1teQ$Fh0H2Zt4d+zTLW7GgnR7L6xQkT0Q8y8rJm1xkbvU+8A';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new InvalidInputError(`password: is shorter than ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new InvalidInputError(`password: is longer than ${MAX_PASSWORD_LENGTH} characters`);
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
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS passwords (email TEXT PRIMARY KEY, hash TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS login_links (token_hash TEXT PRIMARY KEY, email TEXT NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER);
      CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, data TEXT NOT NULL, expires_at INTEGER NOT NULL);
    `);
  }

  async setPassword(email: string, password: string): Promise<void> {
    checkPasswordStrength(password);
    const hashed = await hash(password);
    this.db
      .prepare('INSERT INTO passwords (email, hash, updated_at) VALUES (?, ?, ?) ON CONFLICT(email) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at')
      .run(normal(email), hashed, new Date(this.now()).toISOString());
  }

  /** The stored hash, for tests that check nothing is kept in plaintext. */
  passwordHash(email: string): string | undefined {
    return (this.db.prepare('SELECT hash FROM passwords WHERE email = ?').get(normal(email)) as { hash: string } | undefined)?.hash;
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
    this.db.prepare('INSERT INTO login_links (token_hash, email, expires_at) VALUES (?, ?, ?)').run(sha256(token), normal(email), this.now() + ttlMs);
    return token;
  }

  /** The address the token was made for, once: a second use, or a use after expiry, gives undefined. */
  consumeLoginLink(token: string): string | undefined {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
    const tokenHash = sha256(token);
    const now = this.now();
    // One statement: two simultaneous uses of the same link cannot both succeed.
    const used = this.db.prepare('UPDATE login_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?').run(now, tokenHash, now);
    if (used.changes !== 1) return undefined;
    return (this.db.prepare('SELECT email FROM login_links WHERE token_hash = ?').get(tokenHash) as { email: string }).email;
  }

  /** A store for @fastify/session: sessions survive a restart, and logging out ends them on the server. */
  sessionStore(ttlMs: number) {
    const get = this.db.prepare('SELECT data FROM sessions WHERE sid = ? AND expires_at > ?');
    const set = this.db.prepare('INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?) ON CONFLICT(sid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at');
    const destroy = this.db.prepare('DELETE FROM sessions WHERE sid = ?');
    const sweep = this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
    let writes = 0;
    return {
      get: (sid: string, callback: (err: Error | null, session?: Session | null) => void) => {
        const row = get.get(sid, this.now()) as { data: string } | undefined;
        callback(null, row ? (JSON.parse(row.data) as Session) : null);
      },
      set: (sid: string, session: Session, callback: (err?: Error) => void) => {
        if (++writes % 100 === 0) sweep.run(this.now());
        set.run(sid, JSON.stringify(session), this.now() + ttlMs);
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
