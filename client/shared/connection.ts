import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { dataConverterForProcess } from '../../codec/data-converter';
import { endpointFromEnv, type TemporalEndpoint } from '../../config/temporal';

export interface ConnectClientOptions {
  /** Default: the codec keys from `env` (codec/data-converter.ts). */
  dataConverter?: DataConverter;
  /** Where the endpoint (when not given) and the codec keys come from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Tracing's client interceptors (config/tracing.ts), when operations.otlpEndpoint is set. */
  interceptors?: WorkflowClientInterceptor[];
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
  return new Client({
    connection,
    namespace: target.namespace,
    dataConverter,
    ...(options.interceptors ? { interceptors: { workflow: options.interceptors } } : {}),
  });
}
