import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { configSchema, type Config } from '../domain/config';
import { describeIssues } from '../domain/errors';
import { PRACTICE_TIMING } from '../domain/practice';

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
  override('database', 'engine', env.LEKDICHT_DATABASE_ENGINE);
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
  override('operations', 'logFormat', env.LEKDICHT_LOG_FORMAT);
  override('operations', 'workerMetricsAddress', env.LEKDICHT_WORKER_METRICS_ADDRESS);
  override('operations', 'workerHealthAddress', env.LEKDICHT_WORKER_HEALTH_ADDRESS);
  override('operations', 'httpMetricsAddress', env.LEKDICHT_HTTP_METRICS_ADDRESS);
  override('operations', 'otlpEndpoint', env.LEKDICHT_OTLP_ENDPOINT);
  override('operations', 'workflowBundle', env.LEKDICHT_WORKFLOW_BUNDLE);
  for (const [key, value] of Object.entries(workerTuningFromEnv(env))) override('operations', key, value);
  if (env.LEKDICHT_TASK_QUEUE) (doc as Record<string, unknown>).taskQueue = env.LEKDICHT_TASK_QUEUE;
  applyPractice(doc, env, path);

  const result = configSchema.safeParse(doc);
  if (!result.success) throw new ConfigError(`config ${path}: ${describeIssues(result.error)}`);
  const { engine, urlEnv } = result.data.database;
  // Checked at start-up, not at the first write: a worker must not run for hours and then fail its first activity.
  if (engine === 'postgres' && !env[urlEnv]?.trim())
    throw new ConfigError(
      `config ${path}: database.engine is "postgres" but the environment variable ${urlEnv} is not set: set it to a connection string, e.g. postgresql://lekdicht:PASSWORD@db.example.org:5432/lekdicht`,
    );
  return result.data;
}

/** The worker tuning keys' environment variables (docs/operations.md, "Worker tuning"). */
const WORKER_TUNING_ENV = [
  ['maxCachedWorkflows', 'LEKDICHT_MAX_CACHED_WORKFLOWS'],
  ['maxConcurrentWorkflowTaskExecutions', 'LEKDICHT_MAX_CONCURRENT_WORKFLOW_TASKS'],
  ['maxConcurrentActivityTaskExecutions', 'LEKDICHT_MAX_CONCURRENT_ACTIVITIES'],
  ['workflowThreads', 'LEKDICHT_WORKFLOW_THREADS'],
] as const;

/**
 * The worker tuning keys the environment sets, as the config file's `operations` would hold them (numbers and
 * flags parsed; anything else left as text for the schema to refuse by name). Also the bench's (bench/stack.ts).
 */
export function workerTuningFromEnv(env: NodeJS.ProcessEnv): Record<string, number | boolean | string> {
  const tuning: Record<string, number | boolean | string> = {};
  for (const [key, name] of WORKER_TUNING_ENV) {
    const value = numberOrText(env[name]);
    if (value !== undefined) tuning[key] = value;
  }
  const reuse = booleanOrText(env.LEKDICHT_REUSE_V8_CONTEXT);
  if (reuse !== undefined) tuning.reuseV8Context = reuse;
  return tuning;
}

/** A number when the text is one; otherwise the text, so the schema names the key. */
function numberOrText(text: string | undefined): number | string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return Number.isFinite(Number(text)) ? Number(text) : text;
}

function booleanOrText(text: string | undefined): boolean | string | undefined {
  const flag = text?.trim().toLowerCase();
  if (flag === undefined || flag === '') return undefined;
  return flag === 'true' || flag === '1' ? true : flag === 'false' || flag === '0' ? false : text;
}

/**
 * Practice mode: LEKDICHT_PRACTICE (1/true or 0/false) wins over the file's `practice`; without either, the example
 * config that lekdicht falls back to (no LEKDICHT_CONFIG, no ./lekdicht.config.yaml: someone trying it) is practice.
 * In practice the timing profile is short (domain/practice.ts), under the keys the file sets itself.
 */
function applyPractice(doc: Record<string, unknown>, env: NodeJS.ProcessEnv, path: string): void {
  const flag = env.LEKDICHT_PRACTICE?.trim().toLowerCase();
  if (flag !== undefined && flag !== '') {
    if (!['1', 'true', '0', 'false'].includes(flag))
      throw new ConfigError(`LEKDICHT_PRACTICE=${env.LEKDICHT_PRACTICE}: must be 1 or 0 (true or false)`);
    doc.practice = flag === '1' || flag === 'true';
  } else if (doc.practice === undefined && env.LEKDICHT_CONFIG === undefined && path === EXAMPLE_CONFIG) {
    doc.practice = true;
  }
  if (doc.practice !== true) return;
  const timing = doc.timing;
  // Anything but a mapping is left to the schema, which names the key.
  if (timing === undefined || timing === null) doc.timing = { ...PRACTICE_TIMING };
  else if (typeof timing === 'object' && !Array.isArray(timing)) doc.timing = { ...PRACTICE_TIMING, ...timing };
}

/** SMTP credentials, from the environment only. */
export function smtpAuth(env: NodeJS.ProcessEnv = process.env): { user: string; pass: string } | undefined {
  return env.LEKDICHT_SMTP_USER ? { user: env.LEKDICHT_SMTP_USER, pass: env.LEKDICHT_SMTP_PASSWORD ?? '' } : undefined;
}
