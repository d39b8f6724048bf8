import Database from 'better-sqlite3';
import { privateDatabaseFile } from './private-files';

/**
 * The breach register (art. 33(5) GDPR): every breach, notified or not, with its events, tickets and emails.
 * It outlives the workflows; a SQLite file by default.
 */
export interface BreachRow {
  breach_id: string;
  source: string | null;
  opened_at: string | null;
  phase: string | null;
  outcome: string | null;
  aware_at: string | null;
  notification_deadline: string | null;
  notification_late: number;
  authority_notified_at: string | null;
  authority_reference: string | null;
  data_subjects_notified_at: string | null;
  facts_summary: string | null;
  effects: string | null;
  remedial_action: string | null;
  closed_at: string | null;
  updated_at: string;
}

export type BreachPatch = Partial<Omit<BreachRow, 'breach_id' | 'updated_at' | 'notification_late'>> & { notification_late?: boolean };

export interface EventRow {
  key: string;
  breach_id: string;
  at: string;
  kind: string;
  actor: string | null;
  text: string;
}

export interface TicketRow {
  ref: string;
  breach_id: string;
  task_id: string;
  role: string;
  title: string;
  due: string;
  status: string;
  created_at: string;
  closed_at: string | null;
}

export interface EmailRow {
  message_id: string;
  breach_id: string;
  purpose: string;
  recipient: string;
  subject: string;
  sent_at: string;
}

/** Every try to send one email (art. 33(5) audit trail); written before the SMTP server is contacted. */
export interface EmailAttemptRow {
  message_id: string;
  breach_id: string;
  purpose: string;
  recipient: string;
  attempts: number;
  first_at: string;
  last_at: string;
}

/** An email the SMTP server refused for good (5xx): never retried, shown on the breach's timeline. */
export interface EmailFailureRow {
  message_id: string;
  breach_id: string;
  purpose: string;
  recipient: string;
  /** SMTP reply code and the step that failed, e.g. "550 RCPT TO". */
  code: string;
  error: string;
  failed_at: string;
}

export type RecipientStatus = 'pending' | 'sent' | 'failed' | 'to-print';

/** One person affected by a breach, to be informed (art. 34). Personal data: kept here, never in a workflow. */
export interface RecipientRow {
  breach_id: string;
  seq: number;
  name: string;
  email: string | null;
  address: string | null;
  language: 'nl' | 'en';
  status: RecipientStatus;
  message_id: string | null;
  sent_at: string | null;
  error: string | null;
}

export interface NewRecipient {
  name: string;
  email?: string | null;
  address?: string | null;
  language?: 'nl' | 'en';
}

export interface RecipientCounts {
  total: number;
  pending: number;
  sent: number;
  failed: number;
  toPrint: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS breaches (
  breach_id TEXT PRIMARY KEY,
  source TEXT, opened_at TEXT, phase TEXT, outcome TEXT, aware_at TEXT,
  notification_deadline TEXT, notification_late INTEGER NOT NULL DEFAULT 0,
  authority_notified_at TEXT, authority_reference TEXT, data_subjects_notified_at TEXT,
  facts_summary TEXT, effects TEXT, remedial_action TEXT,
  closed_at TEXT, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  breach_id TEXT NOT NULL, key TEXT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT, text TEXT NOT NULL,
  PRIMARY KEY (breach_id, key)
);
CREATE INDEX IF NOT EXISTS events_by_breach ON events (breach_id, at);
CREATE TABLE IF NOT EXISTS tickets (
  ref TEXT PRIMARY KEY,
  breach_id TEXT NOT NULL, task_id TEXT NOT NULL, role TEXT NOT NULL, title TEXT NOT NULL, due TEXT NOT NULL,
  status TEXT NOT NULL, created_at TEXT NOT NULL, closed_at TEXT,
  UNIQUE (breach_id, task_id)
);
CREATE TABLE IF NOT EXISTS emails (
  message_id TEXT PRIMARY KEY,
  breach_id TEXT NOT NULL, purpose TEXT NOT NULL, recipient TEXT NOT NULL, subject TEXT NOT NULL, sent_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS email_attempts (
  message_id TEXT PRIMARY KEY,
  breach_id TEXT NOT NULL, purpose TEXT NOT NULL, recipient TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 1, first_at TEXT NOT NULL, last_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS email_failures (
  message_id TEXT PRIMARY KEY,
  breach_id TEXT NOT NULL, purpose TEXT NOT NULL, recipient TEXT NOT NULL, code TEXT NOT NULL, error TEXT NOT NULL, failed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recipients (
  breach_id TEXT NOT NULL, seq INTEGER NOT NULL,
  name TEXT NOT NULL, email TEXT, address TEXT,
  language TEXT NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'to-print')),
  message_id TEXT, sent_at TEXT, error TEXT,
  PRIMARY KEY (breach_id, seq),
  UNIQUE (breach_id, email)
);
CREATE INDEX IF NOT EXISTS recipients_by_status ON recipients (breach_id, status, seq);
-- Without an email address, the same name at the same address is the same person: one letter.
CREATE UNIQUE INDEX IF NOT EXISTS recipients_postal_once ON recipients (breach_id, name, address) WHERE email IS NULL;
`;

/** The breach row's columns that a record may set (besides its id and updated_at). */
export const BREACH_COLUMNS = [
  'source',
  'opened_at',
  'phase',
  'outcome',
  'aware_at',
  'notification_deadline',
  'notification_late',
  'authority_notified_at',
  'authority_reference',
  'data_subjects_notified_at',
  'facts_summary',
  'effects',
  'remedial_action',
  'closed_at',
] as const;

export class BreachRegister {
  private readonly db: Database.Database;

  /**
   * `readOnly` is for readers that must not write (the HTTP service, which docker-compose gives the register's
   * volume read-only): no schema, no migration, no journal-mode change, so it opens a register the worker wrote
   * also while no worker has it open. The file must exist then.
   */
  constructor(readonly path: string, options: { readOnly?: boolean } = {}) {
    if (options.readOnly) {
      this.db = new Database(path, { readonly: true, fileMustExist: true });
      this.db.pragma('busy_timeout = 5000');
      return;
    }
    // Breach data: the file and its WAL are the owner's only, whatever the data directory's mode (0600).
    privateDatabaseFile(path);
    this.db = new Database(path);
    // WAL lets the CLI read (export) while the worker writes; the timeout rides out short locks.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.migrate();
  }

  /** Registers outlive releases: add the columns a newer lekdicht writes to an older file. */
  private migrate(): void {
    const present = new Set((this.db.prepare('PRAGMA table_info(breaches)').all() as { name: string }[]).map((c) => c.name));
    for (const column of BREACH_COLUMNS) {
      if (!present.has(column)) this.db.exec(`ALTER TABLE breaches ADD COLUMN ${column} ${column === 'notification_late' ? 'INTEGER NOT NULL DEFAULT 0' : 'TEXT'}`);
    }
  }

  /** Inserts or updates the breach's row; only the given columns change. */
  patchBreach(breachId: string, patch: BreachPatch, now = new Date().toISOString()): void {
    const columns = BREACH_COLUMNS.filter((c) => patch[c] !== undefined);
    const values = columns.map((c) => (c === 'notification_late' ? Number(patch[c]) : patch[c]));
    const insertCols = ['breach_id', 'updated_at', ...columns];
    const updates = ['updated_at = excluded.updated_at', ...columns.map((c) => `${c} = excluded.${c}`)];
    this.db
      .prepare(
        `INSERT INTO breaches (${insertCols.join(', ')}) VALUES (${insertCols.map(() => '?').join(', ')})
         ON CONFLICT (breach_id) DO UPDATE SET ${updates.join(', ')}`,
      )
      .run(breachId, now, ...values);
  }

  /**
   * Idempotent by key: a retried activity never writes an event twice. With `replace` (a tally: one entry that
   * counts repeated occurrences) the row under that key is updated in place, so it always says the latest count.
   */
  recordEvent(event: EventRow, options: { replace?: boolean } = {}): void {
    this.db
      .prepare(
        options.replace
          ? `INSERT INTO events (key, breach_id, at, kind, actor, text) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (breach_id, key) DO UPDATE SET kind = excluded.kind, actor = excluded.actor, text = excluded.text`
          : 'INSERT OR IGNORE INTO events (key, breach_id, at, kind, actor, text) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(event.key, event.breach_id, event.at, event.kind, event.actor, event.text);
  }

  openTicket(ticket: Omit<TicketRow, 'status' | 'closed_at' | 'created_at'> & { created_at?: string }): TicketRow {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO tickets (ref, breach_id, task_id, role, title, due, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'open', ?)`,
      )
      .run(ticket.ref, ticket.breach_id, ticket.task_id, ticket.role, ticket.title, ticket.due, ticket.created_at ?? new Date().toISOString());
    return this.db.prepare('SELECT * FROM tickets WHERE breach_id = ? AND task_id = ?').get(ticket.breach_id, ticket.task_id) as TicketRow;
  }

  closeTicket(breachId: string, taskId: string, status: string, at = new Date().toISOString()): void {
    this.db
      .prepare("UPDATE tickets SET status = ?, closed_at = ? WHERE breach_id = ? AND task_id = ? AND status = 'open'")
      .run(status, at, breachId, taskId);
  }

  recordEmail(email: EmailRow): void {
    this.db
      .prepare('INSERT OR IGNORE INTO emails (message_id, breach_id, purpose, recipient, subject, sent_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(email.message_id, email.breach_id, email.purpose, email.recipient, email.subject, email.sent_at);
  }

  /**
   * Counts a try to send one email, before the SMTP server is contacted. Being a write, it also proves the
   * register writable first: a register locked by another process fails the activity (to be retried) before the
   * email goes out, not after, when the "sent" record could not be written and the retry would send it again.
   */
  recordEmailAttempt(attempt: Omit<EmailAttemptRow, 'attempts' | 'first_at' | 'last_at'>, at = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO email_attempts (message_id, breach_id, purpose, recipient, attempts, first_at, last_at) VALUES (?, ?, ?, ?, 1, ?, ?)
         ON CONFLICT (message_id) DO UPDATE SET attempts = attempts + 1, last_at = excluded.last_at`,
      )
      .run(attempt.message_id, attempt.breach_id, attempt.purpose, attempt.recipient, at, at);
  }

  emailAttempts(breachId: string): EmailAttemptRow[] {
    return this.db.prepare('SELECT * FROM email_attempts WHERE breach_id = ? ORDER BY first_at, message_id').all(breachId) as EmailAttemptRow[];
  }

  recordEmailFailure(failure: EmailFailureRow): void {
    this.db
      .prepare(
        `INSERT INTO email_failures (message_id, breach_id, purpose, recipient, code, error, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (message_id) DO UPDATE SET code = excluded.code, error = excluded.error, failed_at = excluded.failed_at`,
      )
      .run(failure.message_id, failure.breach_id, failure.purpose, failure.recipient, failure.code, failure.error, failure.failed_at);
  }

  emailFailures(breachId: string): EmailFailureRow[] {
    return this.db.prepare('SELECT * FROM email_failures WHERE breach_id = ? ORDER BY failed_at, message_id').all(breachId) as EmailFailureRow[];
  }

  /** The ticket of a task, if one was opened. */
  ticket(breachId: string, taskId: string): TicketRow | undefined {
    return this.db.prepare('SELECT * FROM tickets WHERE breach_id = ? AND task_id = ?').get(breachId, taskId) as TicketRow | undefined;
  }

  hasEmail(messageId: string): boolean {
    return this.db.prepare('SELECT 1 FROM emails WHERE message_id = ?').get(messageId) !== undefined;
  }

  /**
   * Adds the people to inform, in one transaction: all or nothing. Email addresses are compared without case;
   * an address already on the breach's list (or twice in the rows) is skipped and counted as a duplicate, as is
   * a second postal-only row with the same name and address.
   */
  addRecipients(breachId: string, rows: readonly NewRecipient[]): { added: number; duplicates: number } {
    const insert = this.db.prepare(
      `INSERT INTO recipients (breach_id, seq, name, email, address, language, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')
       ON CONFLICT DO NOTHING`,
    );
    return this.db.transaction(() => {
      let seq = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS last FROM recipients WHERE breach_id = ?').get(breachId) as { last: number }).last;
      let added = 0;
      for (const row of rows) {
        const email = row.email ? row.email.trim().toLowerCase() : null;
        const address = row.address ? row.address.trim() : null;
        if (insert.run(breachId, seq + 1, row.name.trim(), email, address, row.language ?? 'nl').changes > 0) {
          seq += 1;
          added += 1;
        }
      }
      return { added, duplicates: rows.length - added };
    })();
  }

  /** The next people still to be informed, in the order they were added. */
  pendingRecipients(breachId: string, limit: number): RecipientRow[] {
    return this.db
      .prepare("SELECT * FROM recipients WHERE breach_id = ? AND status = 'pending' ORDER BY seq LIMIT ?")
      .all(breachId, limit) as RecipientRow[];
  }

  markRecipient(
    breachId: string,
    seq: number,
    status: RecipientStatus,
    fields: { message_id?: string | null; sent_at?: string | null; error?: string | null } = {},
  ): void {
    this.db
      .prepare('UPDATE recipients SET status = ?, message_id = COALESCE(?, message_id), sent_at = COALESCE(?, sent_at), error = ? WHERE breach_id = ? AND seq = ?')
      .run(status, fields.message_id ?? null, fields.sent_at ?? null, fields.error ?? null, breachId, seq);
  }

  recipientCounts(breachId: string): RecipientCounts {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM recipients WHERE breach_id = ? GROUP BY status').all(breachId) as { status: RecipientStatus; n: number }[];
    const n = (status: RecipientStatus) => rows.find((r) => r.status === status)?.n ?? 0;
    return { total: rows.reduce((sum, r) => sum + r.n, 0), pending: n('pending'), sent: n('sent'), failed: n('failed'), toPrint: n('to-print') };
  }

  /** The breach's list, or the people with one status (e.g. 'to-print' for the letters to post). */
  recipients(breachId: string, status?: RecipientStatus): RecipientRow[] {
    return (
      status === undefined
        ? this.db.prepare('SELECT * FROM recipients WHERE breach_id = ? ORDER BY seq').all(breachId)
        : this.db.prepare('SELECT * FROM recipients WHERE breach_id = ? AND status = ? ORDER BY seq').all(breachId, status)
    ) as RecipientRow[];
  }

  breaches(): BreachRow[] {
    return this.db.prepare('SELECT * FROM breaches ORDER BY opened_at, breach_id').all() as BreachRow[];
  }

  breach(breachId: string): BreachRow | undefined {
    return this.db.prepare('SELECT * FROM breaches WHERE breach_id = ?').get(breachId) as BreachRow | undefined;
  }

  events(breachId?: string): EventRow[] {
    return (
      breachId === undefined
        ? this.db.prepare('SELECT * FROM events ORDER BY breach_id, at, key').all()
        : this.db.prepare('SELECT * FROM events WHERE breach_id = ? ORDER BY at, key').all(breachId)
    ) as EventRow[];
  }

  tickets(breachId: string): TicketRow[] {
    return this.db.prepare('SELECT * FROM tickets WHERE breach_id = ? ORDER BY created_at, ref').all(breachId) as TicketRow[];
  }

  emails(breachId: string): EmailRow[] {
    return this.db.prepare('SELECT * FROM emails WHERE breach_id = ? ORDER BY sent_at, message_id').all(breachId) as EmailRow[];
  }

  close(): void {
    this.db.close();
  }
}
