import { endpointFromEnv } from '../config/temporal';
import { dataConverterForProcess } from '../codec/data-converter';
import { CodecKeyError } from '../codec/keys';
import { ConfigError, loadConfig } from '../config/load';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createLekdichtWorker } from './create-worker';
import { jsonLogger } from './log';
import { runtimeOptions } from './runtime';

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
// Once, before the first connection: the logger and the Prometheus exporter cannot be changed afterwards.
Runtime.install(
  runtimeOptions(
    config.operations,
    config.operations.logFormat === 'json'
      ? jsonLogger('INFO', (line) => process.stdout.write(line))
      : new DefaultLogger('INFO'),
  ),
);
const log = Runtime.instance().logger;
const endpoint = endpointFromEnv();
const lekdicht = await createLekdichtWorker({
  connection: endpoint.connectionOptions,
  namespace: endpoint.namespace,
  config,
  dataConverter: codec.dataConverter,
});
log.info(
  `lekdicht worker on task queue "${config.taskQueue}" (namespace ${endpoint.namespace}; codec keys from ${codec.keySource})`,
);
const { workerMetricsAddress, workerHealthAddress, otlpEndpoint } = config.operations;
if (workerMetricsAddress) log.info(`worker metrics on http://${workerMetricsAddress}/metrics`);
if (workerHealthAddress) log.info(`worker health on http://${workerHealthAddress}/healthz and /readyz`);
if (otlpEndpoint) log.info(`tracing to ${otlpEndpoint}`);
if (config.acts.publicKeys.length === 0) {
  // Fails closed: without the HTTP service's public key no signed act verifies (docs/security.md, "Who may act").
  log.warn(
    'no act-signing public keys (LEKDICHT_ACT_PUBLIC_KEYS or acts.publicKeys): acts from the web pages and API are refused; only CLI operator acts are accepted',
  );
}
await lekdicht.run();
