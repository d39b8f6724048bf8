import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { dataConverterForProcess } from '../codec/data-converter';

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
  if (!env.TEMPORAL_ADDRESS) return { connectionOptions: { address: EMBEDDED_ADDRESS }, namespace: env.TEMPORAL_NAMESPACE ?? fallbackNamespace };
  const vars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  // envconfig reads TEMPORAL_PROFILE and TEMPORAL_CONFIG_FILE from these vars itself.
  const config = loadClientConnectConfig({ overrideEnvVars: vars });
  return { connectionOptions: config.connectionOptions, namespace: config.namespace ?? fallbackNamespace };
}

export interface ConnectClientOptions {
  /** Default: the codec keys from `env` (codec/data-converter.ts). */
  dataConverter?: DataConverter;
  /** Where the endpoint (when not given) and the codec keys come from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * A client that encrypts what it sends and decrypts what it reads, with the same keys as the worker. Without an
 * endpoint, the server of `options.env` (endpointFromEnv): one environment decides both the server and the keys.
 */
export async function connectClient(endpoint?: TemporalEndpoint, options: ConnectClientOptions = {}): Promise<Client> {
  const env = options.env ?? process.env;
  const target = endpoint ?? endpointFromEnv(env);
  // Before connecting: without keys there is nothing useful this client could do.
  const dataConverter = options.dataConverter ?? dataConverterForProcess(env).dataConverter;
  const connection = await Connection.connect(target.connectionOptions);
  return new Client({ connection, namespace: target.namespace, dataConverter });
}
