import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { configSchema, type Config } from '../domain/config';
import { describeIssues } from '../domain/errors';

export const EXAMPLE_CONFIG = 'config/example.yaml';
export const LOCAL_CONFIG = 'lekdicht.config.yaml';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The config file in use: LEKDICHT_CONFIG, else ./lekdicht.config.yaml, else the example. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LEKDICHT_CONFIG) return env.LEKDICHT_CONFIG;
  return existsSync(LOCAL_CONFIG) ? LOCAL_CONFIG : EXAMPLE_CONFIG;
}

/**
 * Reads and validates the config; environment variables override the deployment-specific keys so one file
 * serves several environments (and containers). An invalid config stops start-up naming the key.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, path = configPath(env)): Config {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    if (err instanceof YAMLParseError) throw new ConfigError(`config ${path}: not valid YAML: ${err.message}`);
    throw new ConfigError(`config ${path}: cannot be read: ${(err as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`config ${path}: must be a YAML mapping`);
  const doc = structuredClone(raw) as Record<string, Record<string, unknown> | undefined>;
  const override = (section: string, key: string, value: unknown) => {
    if (value === undefined) return;
    doc[section] = { ...(doc[section] ?? {}), [key]: value };
  };
  override('smtp', 'host', env.LEKDICHT_SMTP_HOST);
  override('smtp', 'port', env.LEKDICHT_SMTP_PORT === undefined ? undefined : Number(env.LEKDICHT_SMTP_PORT));
  override('register', 'path', env.LEKDICHT_REGISTER_PATH);
  override('http', 'host', env.LEKDICHT_HTTP_HOST);
  override('http', 'port', env.LEKDICHT_HTTP_PORT === undefined ? undefined : Number(env.LEKDICHT_HTTP_PORT));
  override('http', 'publicUrl', env.LEKDICHT_PUBLIC_URL);
  override('auth', 'path', env.LEKDICHT_AUTH_PATH);
  // Public keys only (the HTTP service's private key never reaches the worker): comma- or space-separated hex.
  override(
    'acts',
    'publicKeys',
    env.LEKDICHT_ACT_PUBLIC_KEYS === undefined
      ? undefined
      : env.LEKDICHT_ACT_PUBLIC_KEYS.split(/[\s,]+/).filter(Boolean),
  );
  // docker-compose: the HTTP container listens on 0.0.0.0 behind a port published on 127.0.0.1 only.
  override(
    'auth',
    'allowPasswordOffLoopback',
    env.LEKDICHT_ALLOW_PASSWORD_OFF_LOOPBACK === undefined
      ? undefined
      : env.LEKDICHT_ALLOW_PASSWORD_OFF_LOOPBACK === 'true',
  );
  override('intake', 'path', env.LEKDICHT_INTAKE_PATH);
  if (env.LEKDICHT_TASK_QUEUE) (doc as Record<string, unknown>).taskQueue = env.LEKDICHT_TASK_QUEUE;

  const result = configSchema.safeParse(doc);
  if (!result.success) throw new ConfigError(`config ${path}: ${describeIssues(result.error)}`);
  return result.data;
}

/** SMTP credentials, from the environment only. */
export function smtpAuth(env: NodeJS.ProcessEnv = process.env): { user: string; pass: string } | undefined {
  return env.LEKDICHT_SMTP_USER ? { user: env.LEKDICHT_SMTP_USER, pass: env.LEKDICHT_SMTP_PASSWORD ?? '' } : undefined;
}
