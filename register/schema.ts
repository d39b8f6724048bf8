/**
 * The register's tables (SQLite). Created if missing when the store opens; columns added later are added by the
 * store's migrate(), so a register written by an older version opens as it is.
 */
export const SCHEMA = `
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
CREATE TABLE IF NOT EXISTS ended_runs (
  workflow_id TEXT NOT NULL, run_id TEXT NOT NULL,
  breach_id TEXT NOT NULL, playbook TEXT NOT NULL, status TEXT NOT NULL, cause TEXT NOT NULL,
  ended_at TEXT, noticed_at TEXT NOT NULL, noticed_by TEXT NOT NULL,
  notify_attempts INTEGER NOT NULL DEFAULT 0, notify_lease_until TEXT, notify_lease_by TEXT, notified_at TEXT, notify_error TEXT,
  PRIMARY KEY (workflow_id, run_id)
);
CREATE INDEX IF NOT EXISTS ended_runs_to_notify ON ended_runs (notified_at, notify_lease_until);
CREATE TABLE IF NOT EXISTS watched_runs (
  workflow_id TEXT PRIMARY KEY, breach_id TEXT NOT NULL, run_id TEXT NOT NULL, status TEXT NOT NULL, parent_run_id TEXT, seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS recipients_by_status ON recipients (breach_id, status, seq);
-- Without an email address, the same name at the same address is the same person: one letter.
CREATE UNIQUE INDEX IF NOT EXISTS recipients_postal_once ON recipients (breach_id, name, address) WHERE email IS NULL;
`;
