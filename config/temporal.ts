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
