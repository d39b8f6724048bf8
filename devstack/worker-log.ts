import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';

/** Every poller reports the same retry while the server is unreachable: one such line a minute is enough. */
const REPEAT_QUIET_MS = 60_000;

/**
 * One line per message, no stack traces or metadata dumps (metadata may carry activity arguments). Every poller
 * reports the same retry while the server is unreachable: one such line a minute is enough.
 */
export function compactLogger(minimum: LogLevel): Logger {
  const order: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
  const lastSeen = new Map<string, number>();
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    if (order.indexOf(level) < order.indexOf(minimum)) return;
    const error: unknown = meta?.error ?? meta?.failure;
    const reason =
      error instanceof Error ? firstLine(error.message) : typeof error === 'string' ? firstLine(error) : undefined;
    const line = `worker ${level.toLowerCase()}: ${message}${reason ? `: ${reason.length > 160 ? `${reason.slice(0, 160)}…` : reason}` : ''}`;
    const kind = line.replace(/\d+/g, '#').replace(/_(workflow|activity|nexus)_/, '_');
    const now = Date.now();
    if (now - (lastSeen.get(kind) ?? -Infinity) < REPEAT_QUIET_MS) return;
    lastSeen.set(kind, now);
    process.stderr.write(`lekdicht: ${line}\n`);
  };
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}

export function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? '';
}
