import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';

const LEVELS: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/**
 * The only metadata a JSON log line carries: where it happened, never what. The SDK's own metadata also holds
 * failures (whose messages can quote a breach's facts: codec/failure-converter.cjs) and activity arguments.
 */
const KEPT_METADATA = [
  'workflowId',
  'runId',
  'workflowType',
  'activityId',
  'activityType',
  'taskQueue',
  'namespace',
  'attempt',
  'sdkComponent',
] as const;

/**
 * What went wrong, as a kind only: an ApplicationFailure's type or an error's class name. Its message stays out:
 * a validation message or an SMTP refusal can quote a name or an address.
 */
function errorKind(value: unknown): string | undefined {
  if (!(value instanceof Error)) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && type !== '' ? type : value.name;
}

/**
 * The worker's production log format (operations.logFormat: json): one JSON object per line, with the breach id
 * (the workflow id) and the SDK's component names, and no message text beyond the SDK's and lekdicht's own words.
 */
export function jsonLogger(minimum: LogLevel, write: (line: string) => void): Logger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    if (LEVELS.indexOf(level) < LEVELS.indexOf(minimum)) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), service: 'worker', level, message };
    for (const key of KEPT_METADATA) {
      const value: unknown = meta?.[key];
      if (typeof value === 'string' || typeof value === 'number') entry[key] = value;
    }
    const error = errorKind(meta?.error ?? meta?.failure);
    if (error) entry.error = error;
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
}
