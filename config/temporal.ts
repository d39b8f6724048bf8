import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

export type TemporalConnectionOptions = NativeConnectionOptions;

/** Where `npm start` runs its embedded dev server; the CLI's default when TEMPORAL_ADDRESS is unset. */
export const EMBEDDED_ADDRESS = '127.0.0.1:7233';

export interface TemporalEndpoint {
  connectionOptions: TemporalConnectionOptions;
  namespace: string;
}

/**
 * The server to talk to. With TEMPORAL_ADDRESS (or a TEMPORAL_PROFILE / config file) the Temporal env-config
 * conventions apply: namespace, TLS, API key. Without it, the embedded stack of `npm start`.
 */
export function endpointFromEnv(env: NodeJS.ProcessEnv = process.env, fallbackNamespace = 'default'): TemporalEndpoint {
  if (!env.TEMPORAL_ADDRESS)
    return { connectionOptions: { address: EMBEDDED_ADDRESS }, namespace: env.TEMPORAL_NAMESPACE ?? fallbackNamespace };
  const vars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  // envconfig reads TEMPORAL_PROFILE and TEMPORAL_CONFIG_FILE from these vars itself.
  const config = loadClientConnectConfig({ overrideEnvVars: vars });
  return { connectionOptions: config.connectionOptions, namespace: config.namespace ?? fallbackNamespace };
}

/** How long a readiness probe waits for the Temporal server: well under a probe's own timeout (often 1–5 s). */
export const TEMPORAL_PROBE_MS = 2_000;

/** What both connection kinds (the client's and the worker's) offer for a probe. */
interface ProbedConnection {
  workflowService: { getSystemInfo(request: object): Promise<unknown> };
  withDeadline<T>(deadline: number | Date, fn: () => Promise<T>): Promise<T>;
}

/**
 * Whether the Temporal server answers on this connection: GetSystemInfo, the cheapest call every frontend (also
 * Temporal Cloud with an API key) answers for any authenticated caller.
 */
export async function temporalReachable(connection: ProbedConnection, timeoutMs = TEMPORAL_PROBE_MS): Promise<boolean> {
  try {
    await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}
