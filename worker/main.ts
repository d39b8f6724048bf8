import { endpointFromEnv } from '../client/connection';
import { loadConfig } from './config';
import { createLekdichtWorker } from './create-worker';

/**
 * The worker on its own, against the server named by TEMPORAL_ADDRESS (or the embedded default).
 * Shuts down gracefully on SIGINT/SIGTERM: running activities finish, breaches wait durably on the server.
 */
const config = loadConfig();
const endpoint = endpointFromEnv();
const lekdicht = await createLekdichtWorker({ connection: endpoint.connectionOptions, namespace: endpoint.namespace, config });
console.log(`lekdicht worker on task queue "${config.taskQueue}" (namespace ${endpoint.namespace})`);
await lekdicht.run();
