import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../domain/config';
import { publicUrlOf } from '../../domain/service-config';
import { BreachRegister } from '../../register/store';
import { storeTarget } from '../../register/targets';
import { buildApp, type AppDeps } from './app';
import { AuthStore } from '../shared/auth-store';
import { logFor, type HttpLog } from './log';
import { HttpMetrics, startMetricsListener, type MetricsListener } from './metrics';
import { discoverOidc } from './oidc';
import { resolveSecrets, type ResolvedSecrets } from './secrets';
import { parseSigningKey, publicKeyOf } from '../shared/act-signing';
import { ConfigError } from '../../config/load';
import { listensOnLoopback } from './host-check';
import { packageRoot } from '../../codec/package-root';

/**
 * Passwords are one factor. On loopback only this machine's users reach the service; anywhere else a password
 * alone would guard every breach, so password login is refused there and the identity provider (with its MFA)
 * must do it. Checked before anything is opened or listens.
 */
export function checkLoginMethod(config: Config): void {
  if (config.auth.method !== 'password' || listensOnLoopback(config.http.host) || config.auth.allowPasswordOffLoopback)
    return;
  throw new ConfigError(
    `auth.method: password login is refused while http.host (${config.http.host}) is not a loopback address: a password alone is one factor. ` +
      "In production use auth.method: oidc, with the identity provider's multi-factor authentication (docs/security.md). " +
      'Only for a listener that is itself published on loopback only (a container behind a 127.0.0.1 port mapping), set auth.allowPasswordOffLoopback: true (env LEKDICHT_ALLOW_PASSWORD_OFF_LOOPBACK=true).',
  );
}

export interface HttpServiceOptions {
  config: Config;
  client: Client;
  env?: NodeJS.ProcessEnv;
  /** `npm start` only: secrets the environment lacks are generated into files here (development). */
  devSecretsDir?: string;
  log?: HttpLog;
  pages?: AppDeps['pages'];
}

export interface HttpService {
  app: FastifyInstance;
  /** Where it listens, e.g. http://127.0.0.1:8080. */
  address: string;
  /** Where people reach it (config http.publicUrl, else the address). */
  url: string;
  devSecrets: ResolvedSecrets['devFiles'];
  /** The public key of the act-signing key (hex), for the worker's ring. */
  actPublicKey: string;
  /** Where /metrics is served (operations.httpMetricsAddress), if it is. */
  metricsUrl?: string;
  stop(): Promise<void>;
}

function version(): string {
  try {
    return (
      (JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version?: string })
        .version ?? '0.0.0'
    );
  } catch {
    return '0.0.0';
  }
}

/**
 * The register as this service sees it. SQLite: read-only once the worker has created the file (docker-compose
 * mounts it so), and a writable handle for the web's recipient upload (as `lekdicht recipients upload` writes) only
 * where this service may write the file (the development stack). PostgreSQL: one handle that reads and writes (what
 * the database role grants decides), and migrates the register if this service starts before any worker.
 */
async function openRegister(
  config: Config,
  env: NodeJS.ProcessEnv,
): Promise<{ register: BreachRegister; recipients?: BreachRegister }> {
  if (config.database.engine === 'postgres') {
    const register = await BreachRegister.open(storeTarget(config, 'register', env));
    return { register, recipients: register };
  }
  const path = config.register.path;
  const register = await BreachRegister.open(path, { readOnly: existsSync(path) });
  if (!writable(path)) return { register };
  try {
    return { register, recipients: await BreachRegister.open(path) };
  } catch (err) {
    await register.close();
    throw err;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(existsSync(path) ? path : dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Starts the HTTP service on config.http.host:port; stop() closes it, its auth store and register handle. */
export async function startHttpService(options: HttpServiceOptions): Promise<HttpService> {
  const { config, client } = options;
  const env = options.env ?? process.env;
  checkLoginMethod(config);
  const { secrets, devFiles } = resolveSecrets(config, env, options.devSecretsDir);
  const base = publicUrlOf(config.http);
  const oidc =
    config.auth.method === 'oidc' && config.auth.oidc
      ? await discoverOidc(config.auth.oidc, `${base}/auth/oidc/callback`, secrets.oidcClientSecret)
      : undefined;
  const authStore = await AuthStore.open(storeTarget(config, 'auth', env));
  const { register, recipients } = await openRegister(config, env).catch(async (err: unknown) => {
    await authStore.close();
    throw err;
  });
  const metrics = config.operations.httpMetricsAddress ? new HttpMetrics(register) : undefined;
  let metricsListener: MetricsListener | undefined;
  const close = async () => {
    await authStore.close();
    await register.close();
    if (recipients !== register) await recipients?.close();
  };
  let app: FastifyInstance;
  try {
    app = await buildApp({
      client,
      config,
      authStore,
      register,
      ...(recipients ? { recipients } : {}),
      secrets,
      log: options.log ?? logFor(config.operations.logFormat),
      version: version(),
      env,
      ...(oidc ? { oidc } : {}),
      ...(options.pages ? { pages: options.pages } : {}),
      ...(metrics ? { metrics } : {}),
    });
    // The metrics listener first: it refuses an address off loopback without a token before the service listens.
    if (metrics && config.operations.httpMetricsAddress)
      metricsListener = await startMetricsListener(config.operations.httpMetricsAddress, metrics, env);
    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (err) {
    await metricsListener?.close();
    await close();
    throw err;
  }
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.http.port;
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const address = `http://${host}:${port}`;
  return {
    app,
    address,
    url: config.http.publicUrl ? base : publicUrlOf({ ...config.http, port }),
    devSecrets: devFiles,
    actPublicKey: publicKeyOf(parseSigningKey(secrets.actSigningKey, 'the act signing key')).hex,
    ...(metricsListener ? { metricsUrl: `${metricsListener.url}/metrics` } : {}),
    stop: async () => {
      await metricsListener?.close();
      await app.close();
      await close();
    },
  };
}

export const DEV_SECRETS_SUBDIR = 'dev-secrets';
export const devSecretsDirIn = (dataDir: string) => join(dataDir, DEV_SECRETS_SUBDIR);
