import { readFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { canConnect, LOOPBACK as HOST } from './ports';

/** Waiting for a dev server to serve its namespace, and giving it lekdicht's search attributes. */

const READY_TIMEOUT_MS = 60_000;

/** How the server process ended, when it did. */
export type ExitInfo = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

/** Ready = the frontend answers and the namespace can be described (the dev server creates it just after binding). */
export async function waitUntilReady(
  address: string,
  namespace: string,
  exited: Promise<ExitInfo>,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exit: ExitInfo | undefined;
  void exited.then((info) => (exit = info));
  let lastError = 'no answer yet';
  const [host = HOST, portText = ''] = address.split(':');
  while (Date.now() < deadline) {
    if (exit) {
      const how = exit.error
        ? `could not be started: ${exit.error.message}`
        : `exited (${exit.signal ?? `code ${exit.code}`}) before it was ready`;
      throw new Error(`Temporal dev server ${how}. Log ${logFile}:\n${tailOf(logFile)}`);
    }
    // A plain TCP probe first: gRPC connects back off between attempts, which would add seconds to each start.
    if (await canConnect(host, Number(portText))) {
      let connection: Connection | undefined;
      try {
        connection = await Connection.connect({ address, connectTimeout: 2_000 });
        await connection.healthService.check({});
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } catch (err) {
        lastError = (err as Error).message;
      } finally {
        await connection?.close().catch(() => {});
      }
    }
    await sleep(100);
  }
  throw new Error(
    `Temporal dev server on ${address} was not ready within ${READY_TIMEOUT_MS / 1000} s (last error: ${lastError}). Log ${logFile}:\n${tailOf(logFile)}`,
  );
}

/**
 * The dev server registers search attributes only when it creates the namespace, so a temporal.db from an
 * earlier version of lekdicht lacks the newer ones: add what is missing.
 */
export async function ensureSearchAttributes(
  address: string,
  namespace: string,
  log: (line: string) => void,
): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing: Record<string, number> = {};
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      const wanted = encodeSearchAttributeIndexedValueType(toSdkType(type));
      const have = customAttributes?.[name];
      if (have === undefined || have === null) missing[name] = wanted as number;
      else if (have !== wanted) {
        throw new Error(
          `search attribute ${name} is registered with another type than ${type} on the embedded Temporal server; ` +
            'its database predates this version of lekdicht (move data/temporal.db aside to start afresh)',
        );
      }
    }
    if (Object.keys(missing).length > 0) {
      log(`registering search attributes ${Object.keys(missing).join(', ')}`);
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
    }
  } finally {
    await connection.close();
  }
}

export function toSdkType(type: string): 'TEXT' | 'KEYWORD' | 'INT' | 'DOUBLE' | 'BOOL' | 'DATETIME' | 'KEYWORD_LIST' {
  return type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() as ReturnType<typeof toSdkType>;
}

export function tailOf(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') || '(empty)';
  } catch {
    return '(no log)';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
