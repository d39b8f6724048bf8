/**
 * The stores' schemas as versioned migrations, applied by Kysely's migrator (register/database.ts) when a store
 * opens for writing and by `lekdicht db migrate`. A migration, once released, never changes: a new column or table
 * is a new migration at the end. The SQL is written for both engines; where they differ (an auto-increment key),
 * the engine picks.
 *
 * The first migration of each store creates what earlier versions created by hand (IF NOT EXISTS), and adds to a
 * SQLite file of an older version the columns it lacks, so every register written before migrations opens as it is.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from './database';

/** Runs a block of statements one by one (SQLite prepares one statement at a time; PostgreSQL then does too). */
async function run(db: Kysely<unknown>, statements: string): Promise<void> {
  for (const statement of statements
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean))
    await sql.raw(statement).execute(db);
}

/** Adds each column the table lacks (a file from before the column existed). */
async function addMissingColumns(db: Kysely<unknown>, table: string, columns: Record<string, string>): Promise<void> {
  const present = (await db.introspection.getTables()).find((t) => t.name === table)?.columns.map((c) => c.name) ?? [];
  for (const [column, type] of Object.entries(columns))
    if (!present.includes(column)) await sql.raw(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`).execute(db);
}

const REGISTER_0001 = `
CREATE TABLE IF NOT EXISTS breaches (
  breach_id TEXT PRIMARY KEY,
  source TEXT, opened_at TEXT, phase TEXT, outcome TEXT, aware_at TEXT,
  notification_deadline TEXT, notification_late INTEGER NOT NULL DEFAULT 0,
  authority_notified_at TEXT, authority_reference TEXT, data_subjects_notified_at TEXT,
  facts_summary TEXT, effects TEXT, remedial_action TEXT,
  closed_at TEXT, updated_at TEXT NOT NULL,
  ended_outside_at TEXT, ended_outside_status TEXT, ended_outside_run TEXT, ended_outside_cause TEXT
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
  breach_id TEXT NOT NULL, purpose TEXT NOT NULL, recipient TEXT NOT NULL, code TEXT NOT NULL, error TEXT NOT NULL,
  failed_at TEXT NOT NULL
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
CREATE TABLE IF NOT EXISTS ended_runs (
  workflow_id TEXT NOT NULL, run_id TEXT NOT NULL,
  breach_id TEXT NOT NULL, playbook TEXT NOT NULL, status TEXT NOT NULL, cause TEXT NOT NULL,
  ended_at TEXT, noticed_at TEXT NOT NULL, noticed_by TEXT NOT NULL,
  notify_attempts INTEGER NOT NULL DEFAULT 0, notify_lease_until TEXT, notify_lease_by TEXT, notified_at TEXT,
  notify_error TEXT,
  PRIMARY KEY (workflow_id, run_id)
);
CREATE INDEX IF NOT EXISTS ended_runs_to_notify ON ended_runs (notified_at, notify_lease_until);
CREATE TABLE IF NOT EXISTS watched_runs (
  workflow_id TEXT PRIMARY KEY, breach_id TEXT NOT NULL, run_id TEXT NOT NULL, status TEXT NOT NULL,
  parent_run_id TEXT, seen_at TEXT NOT NULL
)`;

export function registerMigrations(): Record<string, Migration> {
  return {
    '0001-register': {
      async up(db) {
        await run(db, REGISTER_0001);
        // Registers from before migrations grew these columns one release at a time.
        await addMissingColumns(db, 'breaches', {
          notification_late: 'INTEGER NOT NULL DEFAULT 0',
          ...Object.fromEntries(
            [
              'aware_at',
              'notification_deadline',
              'authority_notified_at',
              'authority_reference',
              'data_subjects_notified_at',
              'facts_summary',
              'effects',
              'remedial_action',
              'ended_outside_at',
              'ended_outside_status',
              'ended_outside_run',
              'ended_outside_cause',
            ].map((c) => [c, 'TEXT']),
          ),
        });
      },
    },
    '0002-lasting-record': {
      async up(db) {
        for (const [column, type] of Object.entries(REGISTER_0002_COLUMNS))
          await sql.raw(`ALTER TABLE breaches ADD COLUMN ${column} ${type}`).execute(db);
        await run(db, REGISTER_0002_TABLES);
      },
    },
    '0003-purges': {
      async up(db) {
        await run(db, REGISTER_0003);
      },
    },
  };
}

/**
 * The lasting record (domain/lasting-record.ts): the breach row's facts, effects and decisions as columns, and the
 * remedial action, decisions, notifications, improvements and interest outcomes as child rows, so the register
 * answers the AP without Temporal.
 */
const REGISTER_0002_COLUMNS: Record<string, string> = {
  summary: 'TEXT',
  breach_type: 'TEXT',
  breach_started_at: 'TEXT',
  breach_ended_at: 'TEXT',
  cause: 'TEXT',
  data_categories: 'TEXT',
  subject_kinds: 'TEXT',
  vulnerable_subjects: 'INTEGER',
  approx_people: 'BIGINT',
  approx_records: 'BIGINT',
  cross_border: 'INTEGER',
  severity_score: 'DOUBLE PRECISION',
  severity_band: 'TEXT',
  severity_dpc: 'DOUBLE PRECISION',
  severity_ei: 'DOUBLE PRECISION',
  severity_cb: 'DOUBLE PRECISION',
  risk_to_people: 'TEXT',
  notify_authority: 'INTEGER',
  notify_data_subjects: 'INTEGER',
  contained_at: 'TEXT',
  aftercare_contact: 'TEXT',
  aftercare_advice: 'TEXT',
  lessons_learned: 'TEXT',
};

const REGISTER_0002_TABLES = `
CREATE TABLE breach_measures (
  breach_id TEXT NOT NULL, measure TEXT NOT NULL, status TEXT NOT NULL, note TEXT,
  PRIMARY KEY (breach_id, measure)
);
CREATE TABLE breach_decisions (
  breach_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, decided_by TEXT NOT NULL, decided_at TEXT NOT NULL,
  is_breach INTEGER, notify_authority INTEGER, notify_data_subjects INTEGER, override INTEGER NOT NULL DEFAULT 0,
  suggested_authority INTEGER, suggested_data_subjects INTEGER, justification TEXT,
  PRIMARY KEY (breach_id, seq)
);
CREATE TABLE breach_notifications (
  breach_id TEXT NOT NULL, seq INTEGER NOT NULL, recipient TEXT NOT NULL, regime TEXT, phase TEXT,
  notified_at TEXT NOT NULL, reference TEXT, channel TEXT, late INTEGER NOT NULL DEFAULT 0, reasons_for_delay TEXT,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (breach_id, seq)
);
CREATE TABLE breach_improvements (
  breach_id TEXT NOT NULL, seq INTEGER NOT NULL, description TEXT NOT NULL, owner TEXT NOT NULL, due TEXT NOT NULL,
  done_at TEXT,
  PRIMARY KEY (breach_id, seq)
);
CREATE TABLE breach_interests (
  breach_id TEXT NOT NULL, task_id TEXT NOT NULL, title TEXT NOT NULL, outcome TEXT, decided_by TEXT, decided_at TEXT,
  PRIMARY KEY (breach_id, task_id)
);
CREATE INDEX breaches_by_opened ON breaches (opened_at)`;

/**
 * Retention (`lekdicht register purge`): a purged breach leaves one row behind, its id (no personal data), when it
 * closed, when it was purged and under which retention, so the register can show that a record it no longer holds
 * existed and went by policy, not by accident.
 */
const REGISTER_0003 = `
CREATE TABLE register_purges (
  breach_id TEXT PRIMARY KEY, closed_at TEXT NOT NULL, purged_at TEXT NOT NULL, retention_years INTEGER NOT NULL
);
CREATE INDEX breaches_by_closed ON breaches (closed_at)`;

export function authMigrations(engine: Engine): Record<string, Migration> {
  return {
    '0001-auth': {
      async up(db) {
        await run(
          db,
          `CREATE TABLE IF NOT EXISTS passwords (email TEXT PRIMARY KEY, hash TEXT NOT NULL, updated_at TEXT NOT NULL);
           CREATE TABLE IF NOT EXISTS login_links (token_hash TEXT PRIMARY KEY, email TEXT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT);
           CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, data TEXT NOT NULL, expires_at BIGINT NOT NULL, email TEXT, created_at BIGINT NOT NULL DEFAULT 0);
           CREATE TABLE IF NOT EXISTS codec_decodes (${engine === 'postgres' ? 'id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY' : 'id INTEGER PRIMARY KEY AUTOINCREMENT'}, at TEXT NOT NULL, email TEXT NOT NULL, payloads INTEGER NOT NULL);
           CREATE TABLE IF NOT EXISTS login_failures (email TEXT NOT NULL, at BIGINT NOT NULL);
           CREATE INDEX IF NOT EXISTS login_failures_email ON login_failures (email, at)`,
        );
        // Files from before sessions had an owner and a start: old sessions get neither, and so end at their next use.
        await addMissingColumns(db, 'sessions', { email: 'TEXT', created_at: 'BIGINT NOT NULL DEFAULT 0' });
        await run(db, 'CREATE INDEX IF NOT EXISTS sessions_email ON sessions (email)');
      },
    },
  };
}

export function intakeMigrations(engine: Engine): Record<string, Migration> {
  return {
    '0001-intake': {
      async up(db) {
        // Its own SQLite file once called this table "events"; in a PostgreSQL database shared with the register
        // that name is the register's timeline, hence intake_events. (Only ever renamed in the intake's own file.)
        if (engine === 'sqlite') {
          const tables = (await db.introspection.getTables()).map((t) => t.name);
          if (tables.includes('events') && !tables.includes('intake_events'))
            await sql.raw('ALTER TABLE events RENAME TO intake_events').execute(db);
        }
        await run(
          db,
          `CREATE TABLE IF NOT EXISTS seen (request_hash TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
           CREATE INDEX IF NOT EXISTS seen_by_expiry ON seen (expires_at);
           CREATE TABLE IF NOT EXISTS rate (key TEXT PRIMARY KEY, window_start BIGINT NOT NULL, window_ms BIGINT NOT NULL, count INTEGER NOT NULL);
           CREATE TABLE IF NOT EXISTS intake_events (
             breach_id TEXT PRIMARY KEY,
             source TEXT NOT NULL,
             started INTEGER NOT NULL DEFAULT 0,
             closed INTEGER NOT NULL DEFAULT 0,
             duplicates INTEGER NOT NULL DEFAULT 0,
             first_duplicate_at BIGINT,
             last_duplicate_at BIGINT,
             signalled_count INTEGER NOT NULL DEFAULT 0,
             signalled_at BIGINT
           )`,
        );
      },
    },
  };
}
