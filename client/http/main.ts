/**
 * `npm run http`: the HTTP service alone, against TEMPORAL_ADDRESS (or the embedded server's usual address), for
 * deployments that run the worker separately. Secrets come from the environment only.
 */
import { ConfigError, loadConfig } from '../../config/load';
import { CodecKeyError } from '../../codec/keys';
import { connectClient } from '../shared/connection';
import { startHttpService } from './service';
import { tracingFor } from '../../config/tracing';
import { logFor } from './log';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`lekdicht: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const tracing = tracingFor(config.operations.otlpEndpoint, 'lekdicht-http');
  let client;
  try {
    // The codec endpoint for the Temporal UI uses this client's keys.
    client = await connectClient(undefined, tracing ? { interceptors: tracing.clientInterceptors } : {});
  } catch (err) {
    if (!(err instanceof CodecKeyError)) throw err;
    process.stderr.write(`lekdicht: ${err.message}\n`);
    return 2;
  }
  let service;
  try {
    service = await startHttpService({ config, client });
  } catch (err) {
    process.stderr.write(`lekdicht: ${(err as Error).message}\n`);
    await client.connection.close();
    return err instanceof ConfigError ? 2 : 1;
  }
  if (config.operations.logFormat === 'json') {
    logFor('json')({
      event: 'started',
      address: service.address,
      url: service.url,
      actPublicKey: service.actPublicKey,
      ...(service.metricsUrl ? { metrics: service.metricsUrl } : {}),
    });
  } else {
    process.stdout.write(`lekdicht: HTTP service on ${service.address} (people use ${service.url}) — Ctrl-C to stop\n`);
    // Public, not a secret: the worker needs it (LEKDICHT_ACT_PUBLIC_KEYS or acts.publicKeys) to accept signed acts.
    process.stdout.write(
      `lekdicht: act-signing public key ${service.actPublicKey} (LEKDICHT_ACT_PUBLIC_KEYS for the worker)\n`,
    );
    if (service.metricsUrl) process.stdout.write(`lekdicht: metrics on ${service.metricsUrl}\n`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await service.stop();
  await client.connection.close();
  await tracing?.flush();
  return 0;
}

process.exitCode = await main();
