import { endpointFromEnv } from '../client/connection';
import { dataConverterForProcess } from '../codec/data-converter';
import { CodecKeyError } from '../codec/keys';
import { ConfigError, loadConfig } from './config';
import { createLekdichtWorker } from './create-worker';

/**
 * The worker on its own, against the server named by TEMPORAL_ADDRESS (or the embedded default).
 * Shuts down gracefully on SIGINT/SIGTERM: running activities finish, breaches wait durably on the server.
 */
let config;
let codec;
try {
  config = loadConfig();
  codec = dataConverterForProcess();
} catch (err) {
  if (!(err instanceof ConfigError) && !(err instanceof CodecKeyError)) throw err;
  process.stderr.write(`lekdicht: ${err.message}\n`);
  process.exit(2);
}
const endpoint = endpointFromEnv();
const lekdicht = await createLekdichtWorker({ connection: endpoint.connectionOptions, namespace: endpoint.namespace, config, dataConverter: codec.dataConverter });
console.log(`lekdicht worker on task queue "${config.taskQueue}" (namespace ${endpoint.namespace}; codec keys from ${codec.keySource})`);
await lekdicht.run();
