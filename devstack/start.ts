/**
 * `npm start`: the whole stack in one process for a laptop or a pilot — a mail catcher, an embedded Temporal
 * dev server with persistent storage, and the worker. Ctrl-C stops it in reverse order, so the worker lets go
 * of its tasks before the server it talks to disappears.
 *
 * One file (~370 lines): starting the parts and stopping them in reverse is one sequence, read top to bottom; the
 * parts themselves (mail catcher, Temporal, worker log) live beside it.
 */
import { existsSync } from 'node:fs';

import { join, resolve } from 'node:path';

import { Runtime } from '@temporalio/worker';
import type { Config } from '../domain/config';
import { canConnect } from './ports';
import { ConfigError, loadConfig } from '../config/load';
import { createLekdichtWorker } from '../worker/create-worker';
import { jsonLogger } from '../worker/log';
import { runtimeOptions } from '../worker/runtime';
import { tracingFor } from '../config/tracing';
import { provisionTemporal } from './temporal-server';

import { holdersOf } from '../domain/roles';
import { PRACTICE_NOTICE } from '../domain/practice';
import { connectClient } from '../client/shared/connection';
import { dataConverterFromEnv, devKeyFileFor, type LekdichtDataConverter } from '../codec/data-converter';
import { CodecKeyError } from '../codec/keys';
import { publicUrlOf } from '../domain/service-config';
import { devSecretsDirIn, startHttpService, type HttpService } from '../client/http/service';
import {
  ACT_SIGNING_KEY_ENV,
  DEV_ACT_KEY_FILE_NAME,
  devSigningKey,
  parseSigningKey,
  publicKeyOf,
} from '../client/shared/act-signing';

import { startMailCatcher } from './mail-catcher';
import { StartError, type Part } from './parts';
import { compactLogger, firstLine } from './worker-log';

const HOST = '127.0.0.1';
const DEFAULT_TEMPORAL_PORT = 7233;
const DEFAULT_UI_PORT = 8233;
const DEFAULT_MAIL_WEB_PORT = 1080;
/** Generous: activities get no grace time by default, so a healthy worker stops in well under a second. */
const WORKER_STOP_TIMEOUT_MS = 15_000;
/**
 * One Ctrl-C can arrive more than once: from the terminal and again relayed by npm and tsx. Repeats this close
 * to the first are that echo, not a user insisting.
 */
const SIGNAL_ECHO_MS = 1_000;
/** The embedded server is probed this often; two misses in a row mean it is gone. */
const SERVER_PROBE_MS = 2_000;

const env = process.env;
const out = (line = '') => process.stdout.write(`${line}\n`);
const log = (line: string) => out(`lekdicht: ${line}`);
const fail = (line: string) => process.stderr.write(`lekdicht: ${line}\n`);

// ---- signals -------------------------------------------------------------------------------------------------

let stopSignal: NodeJS.Signals | undefined;
let stopSignalAt = 0;
let announceStop: () => void = () => {};
const stopRequested = new Promise<void>((resolveStop) => (announceStop = resolveStop));

function onSignal(signal: NodeJS.Signals): void {
  if (stopSignal === undefined) {
    stopSignal = signal;
    stopSignalAt = Date.now();
    log(`stopping (${signal}); press Ctrl-C again to force`);
    announceStop();
    return;
  }
  if (Date.now() - stopSignalAt < SIGNAL_ECHO_MS) return;
  fail('forced to stop; the Temporal server is told to stop as this process exits');
  // temporal-server.ts SIGTERMs its child from an exit hook, so a forced exit leaves no server behind.
  process.exit(130);
}

// ---- start and stop ------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  let config: Config;
  let ports: { temporal: number; ui: number; mailWeb: number };
  let codec: LekdichtDataConverter;
  try {
    config = loadConfig(env);
    // Like the HTTP dev secrets: without keys in the environment, a development key is generated once under
    // data/dev-secrets/ (owner-only) and reused, so breaches stay readable across restarts. Only for the
    // embedded server: a shared server's payloads must use keys someone manages.
    codec = dataConverterFromEnv(
      env,
      env.TEMPORAL_ADDRESS ? {} : { devKeyFile: devKeyFileFor(env), createDevKey: true },
    );
    config = withActKey(config, resolve(env.LEKDICHT_DATA_DIR ?? 'data'));
    ports = {
      temporal: portFromEnv('LEKDICHT_TEMPORAL_PORT', DEFAULT_TEMPORAL_PORT),
      ui: portFromEnv('LEKDICHT_TEMPORAL_UI_PORT', DEFAULT_UI_PORT),
      mailWeb: portFromEnv('LEKDICHT_MAIL_WEB_PORT', DEFAULT_MAIL_WEB_PORT),
    };
  } catch (err) {
    if (!(err instanceof ConfigError) && !(err instanceof CodecKeyError)) throw err;
    fail(err.message);
    return 2;
  }

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The Temporal runtime would shut the worker down on these signals by itself, racing the ordered stop below.
  // Here, before the first connection: Runtime.install is once per process, and the Prometheus exporter
  // (operations.workerMetricsAddress) can only be set up by it.
  Runtime.install(
    runtimeOptions(
      config.operations,
      config.operations.logFormat === 'json'
        ? jsonLogger('WARN', (line) => process.stderr.write(line))
        : compactLogger('WARN'),
      { shutdownSignals: [] },
    ),
  );

  const started: Part[] = [];
  const startedAt = Date.now();
  const stopAll = async (): Promise<boolean> => {
    const stopFrom = Date.now();
    const anything = started.length > 0;
    let clean = true;
    for (const part of started.reverse()) {
      const partFrom = Date.now();
      try {
        await part.stop();
        if (!part.quiet) log(`${part.name} stopped after ${seconds(Date.now() - partFrom)}`);
      } catch (err) {
        clean = false;
        fail(`${part.name} did not stop cleanly: ${firstLine((err as Error).message)}`);
      }
    }
    if (anything) log(`stopped in ${seconds(Date.now() - stopFrom)}`);
    return clean;
  };
  const interrupted = () => stopSignal !== undefined;

  const dataDir = resolve(env.LEKDICHT_DATA_DIR ?? 'data');
  let mailUrl: string | undefined;
  let temporal: Awaited<ReturnType<typeof provisionTemporal>>;
  let workerOutcome: Promise<{ error?: Error }>;
  try {
    const smtpIsLocal = config.smtp.host === '127.0.0.1' || config.smtp.host === 'localhost';
    if (smtpIsLocal) {
      started.push(await startMailCatcher(config.smtp.port, ports.mailWeb, dataDir, log));
      mailUrl = `http://${HOST}:${ports.mailWeb}`;
      log(`mail catcher on SMTP ${HOST}:${config.smtp.port}, web view ${mailUrl}`);
    } else {
      log(`mail goes to ${config.smtp.host}:${config.smtp.port} (not this machine), so no mail catcher is started`);
    }
    if (interrupted()) return (await stopAll()) ? 0 : 1;

    // The UI decodes payloads through our endpoint, from the operator's browser.
    temporal = await provisionTemporal({
      env,
      dataDir,
      port: ports.temporal,
      uiPort: ports.ui,
      uiCodecEndpoint: `${publicUrlOf(config.http)}/codec`,
      log,
    });
    if (temporal.uiUrl) {
      const uiOrigin = new URL(temporal.uiUrl).origin;
      if (!config.http.temporalUiOrigins.includes(uiOrigin))
        config = {
          ...config,
          http: { ...config.http, temporalUiOrigins: [...config.http.temporalUiOrigins, uiOrigin] },
        };
    }
    started.push({ name: 'Temporal server', stop: () => temporal.stop(), quiet: true });
    if (interrupted()) return (await stopAll()) ? 0 : 1;

    log('starting the worker (bundling the workflows takes a few seconds)');
    const workerFrom = Date.now();
    const creating = createLekdichtWorker({
      connection: temporal.connectionOptions,
      namespace: temporal.namespace,
      config,
      env,
      dataConverter: codec.dataConverter,
    });
    // Bundling takes seconds, and a server that went away with the same Ctrl-C makes creation retry for longer
    // still: a stop does not wait for it. What is left behind goes with the process exit.
    creating.catch(() => {});
    const lekdicht = await Promise.race([creating, stopRequested.then(() => undefined)]);
    if (lekdicht === undefined) return (await stopAll()) ? 0 : 1;
    const { worker } = lekdicht;
    // run() also releases the connection, mailer and register, so it runs even when a stop is already pending.
    workerOutcome = lekdicht.run().then(
      () => ({}),
      (error: Error) => ({ error }),
    );
    started.push({
      name: 'worker',
      stop: async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        const result = await Promise.race([
          workerOutcome,
          sleep(WORKER_STOP_TIMEOUT_MS).then(() => 'timeout' as const),
        ]);
        if (result === 'timeout') throw new Error(`it was still draining after ${WORKER_STOP_TIMEOUT_MS / 1000} s`);
        // With a terminal's Ctrl-C the server gets the signal too and may be gone before the worker is done.
        if (result.error) log(`worker stopped (${firstLine(result.error.message)})`);
      },
    });
    log(`worker ready after ${seconds(Date.now() - workerFrom)}`);
    if (interrupted()) return (await stopAll()) ? 0 : 1;

    const http = await startHttp(config, temporal, dataDir, codec);
    started.push({ name: 'HTTP service', stop: () => http.stop() });
    if (interrupted()) return (await stopAll()) ? 0 : 1;

    printBanner(config, temporal, mailUrl, http, codec, Date.now() - startedAt);
  } catch (err) {
    const message = firstLine((err as Error).message);
    if (interrupted()) {
      // Stopped half-way through starting; the failure is most likely the Ctrl-C reaching the server first.
      await stopAll();
      return 0;
    }
    fail(err instanceof StartError ? message : `could not start: ${message}`);
    await stopAll();
    return 1;
  }

  // Without this the worker would retry against a dead server forever, and nobody would notice but the log.
  const serverGone = temporal.embedded ? watchServer(temporal.address) : new Promise<never>(() => {});
  const ended = await Promise.race([
    stopRequested.then(() => 'stop' as const),
    workerOutcome,
    serverGone.then(() => 'server gone' as const),
  ]);
  if (ended === 'stop') return (await stopAll()) ? 0 : 1;
  if (ended === 'server gone') {
    const logFile = join(dataDir, 'temporal.log');
    fail(
      `the Temporal server stopped unexpectedly${existsSync(logFile) ? ` (its log: ${logFile})` : ''}; stopping lekdicht`,
    );
  } else {
    fail(`the worker stopped unexpectedly: ${firstLine(ended.error?.message ?? 'no error given')}`);
  }
  await stopAll();
  return 1;
}

/**
 * The HTTP service signs every act; the worker verifies with the public key. Here both run in one process: the
 * signing key comes from LEKDICHT_ACT_SIGNING_KEY or, like the other development secrets, from a file generated
 * once under data/dev-secrets/ (owner-only); only its public key goes into the worker's config (acts.publicKeys).
 */
function withActKey(config: Config, dataDir: string): Config {
  const fromEnv = env[ACT_SIGNING_KEY_ENV];
  const secret = fromEnv
    ? parseSigningKey(fromEnv, ACT_SIGNING_KEY_ENV)
    : devSigningKey(join(devSecretsDirIn(dataDir), DEV_ACT_KEY_FILE_NAME));
  const { hex } = publicKeyOf(secret);
  return config.acts.publicKeys.includes(hex)
    ? config
    : { ...config, acts: { ...config.acts, publicKeys: [...config.acts.publicKeys, hex] } };
}

/** The HTTP service beside the worker; secrets the environment lacks are generated under data/ for this laptop. */
async function startHttp(
  config: Config,
  temporal: Awaited<ReturnType<typeof provisionTemporal>>,
  dataDir: string,
  codec: LekdichtDataConverter,
): Promise<HttpService> {
  // The worker set tracing up for this process already (one provider per process); the client adds its spans.
  const tracing = tracingFor(config.operations.otlpEndpoint, 'lekdicht');
  const client = await connectClient(
    { connectionOptions: temporal.connectionOptions, namespace: temporal.namespace },
    { dataConverter: codec.dataConverter, ...(tracing ? { interceptors: tracing.clientInterceptors } : {}) },
  );
  try {
    const service = await startHttpService({ config, client, env, devSecretsDir: devSecretsDirIn(dataDir) });
    return {
      ...service,
      stop: async () => {
        await service.stop();
        await client.connection.close();
      },
    };
  } catch (err) {
    await client.connection.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new StartError(
        `port ${config.http.port} (HTTP service) on ${config.http.host} is already in use — is lekdicht already running? Free it or set LEKDICHT_HTTP_PORT`,
      );
    if (err instanceof ConfigError) throw new StartError(err.message);
    throw err;
  }
}

function printBanner(
  config: Config,
  temporal: Awaited<ReturnType<typeof provisionTemporal>>,
  mailUrl: string | undefined,
  http: HttpService,
  codec: LekdichtDataConverter,
  startMs: number,
): void {
  const cliEnv: string[] = [];
  if (temporal.embedded && temporal.address !== `${HOST}:${DEFAULT_TEMPORAL_PORT}`)
    cliEnv.push(`TEMPORAL_ADDRESS=${temporal.address}`);
  // The CLI finds the development key in ./data by itself, but not with TEMPORAL_ADDRESS or another data dir.
  const devKey = devKeyFileFor(env);
  const usesDevKey = codec.keySource.includes(devKey);
  if (usesDevKey && (cliEnv.length > 0 || devKey !== devKeyFileFor({})))
    cliEnv.push(`LEKDICHT_CODEC_KEY_FILE=${devKey}`);
  // A CLI in another shell reads the same config, but not this shell's LEKDICHT_PRACTICE: it has to be told.
  if (config.practice && env.LEKDICHT_PRACTICE !== undefined) cliEnv.push('LEKDICHT_PRACTICE=1');
  out();
  out(`lekdicht started in ${seconds(startMs)}`);
  if (config.practice) {
    out(`  OEFENING       practice mode: ${PRACTICE_NOTICE.en.replace(/^PRACTICE — /, '')}`);
    out(
      '                 Timers are minutes, not hours. Off: LEKDICHT_PRACTICE=0, or `practice: false` in your config.',
    );
  }
  out(`  Dashboard      ${http.url}/`);
  // Only when configured (operations.*): by default npm start opens no listener beyond these.
  if (http.metricsUrl) out(`  Metrics        ${http.metricsUrl} (HTTP service)`);
  if (config.operations.workerMetricsAddress)
    out(`  Metrics        http://${config.operations.workerMetricsAddress}/metrics (worker)`);
  if (config.operations.workerHealthAddress)
    out(`  Health         http://${config.operations.workerHealthAddress}/readyz (worker), ${http.url}/readyz`);
  out(`  Temporal UI    ${temporal.uiUrl ?? `none (server ${temporal.address}, namespace ${temporal.namespace})`}`);
  out(`  Mail catcher   ${mailUrl ?? `none: mail goes to ${config.smtp.host}:${config.smtp.port}`}`);
  out(`  Register       ${resolve(config.register.path)}`);
  out(`  Task queue     ${config.taskQueue}`);
  out(
    `  Codec keys     ${usesDevKey ? `development key in ${devKey}` : codec.keySource} (payloads encrypted; the UI decodes via ${http.url}/codec)`,
  );
  for (const source of Object.keys(config.intake.sources)) {
    const dev = http.devSecrets.find((d) => d.name === `intake ${source}`);
    out(`  Intake ${source.padEnd(8)}${http.url}/api/intake/${source}${dev ? ` (dev secret in ${dev.file})` : ''}`);
  }
  out();
  const fg = holdersOf(config.directory, 'fg')[0];
  if (config.auth.method === 'password' && fg) {
    out('Log in to the dashboard: set a password first, e.g. for the FG:');
    out(`  npx lekdicht user set-password ${fg.email}`);
    out();
  }
  out('Report a first breach, then follow it:');
  // The CLI defaults to the embedded server's usual port; on any other port it has to be told.
  if (cliEnv.length > 0) out(`  export ${cliEnv.join(' ')}`);
  out('  npx lekdicht signal --file examples/signal-dlp.json');
  out('  npx lekdicht list');
  out('  npx lekdicht show <id>');
  out();
  out('lekdicht is running — Ctrl-C to stop');
}

// ---- helpers -------------------------------------------------------------------------------------------------

function portFromEnv(name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new ConfigError(`${name}=${text} is not a port number (1–65535)`);
  return port;
}

/** Resolves once the server has refused two probes in a row, unless a stop was requested meanwhile. */
async function watchServer(address: string): Promise<void> {
  const [host = HOST, portText = ''] = address.split(':');
  let misses = 0;
  while (misses < 2) {
    await sleep(SERVER_PROBE_MS);
    if (stopSignal !== undefined) return new Promise<void>(() => {});
    misses = (await canConnect(host, Number(portText))) ? 0 : misses + 1;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

try {
  process.exitCode = await main();
} catch (err) {
  fail(`unexpected error: ${firstLine((err as Error).message)}`);
  process.exitCode = 1;
}
// Libraries (gRPC channels, maildev's socket server) may hold the event loop open after a clean stop.
process.exit();
