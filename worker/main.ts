import { endpointFromEnv } from '../config/temporal';
import { dataConverterForProcess } from '../codec/data-converter';
import { CodecKeyError } from '../codec/keys';
import { ConfigError, loadConfig } from '../config/load';
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
const lekdicht = await createLekdichtWorker({
  connection: endpoint.connectionOptions,
  namespace: endpoint.namespace,
  config,
  dataConverter: codec.dataConverter,
});
console.log(
  `lekdicht worker on task queue "${config.taskQueue}" (namespace ${endpoint.namespace}; codec keys from ${codec.keySource})`,
);
if (config.acts.publicKeys.length === 0) {
  // Fails closed: without the HTTP service's public key no signed act verifies (docs/security.md, "Who may act").
  process.stderr.write(
    'lekdicht: no act-signing public keys (LEKDICHT_ACT_PUBLIC_KEYS or acts.publicKeys): acts from the web pages and API are refused; only CLI operator acts are accepted\n',
  );
}
await lekdicht.run();
