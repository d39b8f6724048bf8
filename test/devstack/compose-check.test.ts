import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../domain/config';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { smtpAuth } from '../../config/load';

/**
 * docker-compose.yml checked without a Docker engine: the file is parsed as YAML and its properties asserted.
 * Every check is a function returning the problems it finds, so that the second half of this file can break a
 * copy of the compose file on purpose and show that each check notices.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMPOSE_FILE = join(root, 'docker-compose.yml');
const COMPOSE_TEXT = readFileSync(COMPOSE_FILE, 'utf8');
const DOCKERFILE_TEXT = readFileSync(join(root, 'Dockerfile'), 'utf8');
const EXAMPLE_CONFIG_TEXT = readFileSync(join(root, 'config', 'example.yaml'), 'utf8');
const README_TEXT = readFileSync(join(root, 'README.md'), 'utf8');

/** The attributes temporal-setup must register, kept here by hand and compared with the domain's list. */
const EXPECTED_SEARCH_ATTRIBUTES: Record<string, string> = {
  BreachPhase: 'Keyword',
  NotificationDeadline: 'Datetime',
  SeverityBand: 'Keyword',
  AuthorityNotified: 'Bool',
};

const REQUIRED_SERVICES = ['postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'mailpit', 'worker', 'http'];

/** lekdicht's own containers, built from the Dockerfile: the ones this repository can harden. */
const LEKDICHT_SERVICES = ['worker', 'http'] as const;

type Service = Record<string, unknown>;
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> | null } & Record<
  string,
  unknown
>;

function loadCompose(text = COMPOSE_TEXT): Compose {
  const doc: unknown = parse(text);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('docker-compose.yml is not a mapping');
  const services = (doc as Record<string, unknown>).services;
  if (services === null || typeof services !== 'object' || Array.isArray(services))
    throw new Error('docker-compose.yml has no services mapping');
  return doc as Compose;
}

const compose = loadCompose();

// ---------------------------------------------------------------------------------------------------------
// Helpers that read the compose forms Docker accepts (short and long syntax, list and map environments).

function environment(service: Service | undefined): Record<string, string | undefined> {
  const env = service?.environment;
  const out: Record<string, string | undefined> = {};
  if (Array.isArray(env)) {
    for (const entry of env) {
      const text = String(entry);
      const eq = text.indexOf('=');
      // "KEY" alone passes the host's value through: nothing is written in the file.
      if (eq < 0) out[text] = undefined;
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else if (env && typeof env === 'object') {
    for (const [key, value] of Object.entries(env))
      out[key] = value === null || value === undefined ? undefined : String(value);
  }
  return out;
}

/** The image reference split into name, tag and digest (a registry host with a port is not a tag). */
function splitImage(ref: string): { name: string; tag: string | undefined; digest: string | undefined } {
  const [withoutDigest = '', digest] = ref.split('@');
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon < 0) return { name: withoutDigest, tag: undefined, digest };
  return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
}

interface PublishedPort {
  hostIp: string | undefined;
  /** undefined: Docker picks a random host port. */
  hostPorts: number[] | undefined;
  containerPort: number;
  protocol: string;
  raw: string;
}

function expandPorts(text: string): number[] {
  const [from = '', to] = text.split('-');
  const start = Number(from);
  const end = to === undefined ? start : Number(to);
  const ports: number[] = [];
  for (let p = start; p <= end; p++) ports.push(p);
  return ports;
}

/** Reads "[ip:][host:]container[/proto]" (with "[::1]:" style IPv6) and the long { target, published, host_ip } form. */
function publishedPorts(service: Service | undefined): PublishedPort[] {
  const ports = service?.ports;
  if (!Array.isArray(ports)) return [];
  return ports.map((entry): PublishedPort => {
    if (entry !== null && typeof entry === 'object') {
      const long = entry as Record<string, unknown>;
      const published = long.published === undefined || long.published === null ? undefined : String(long.published);
      return {
        hostIp: long.host_ip === undefined ? undefined : String(long.host_ip),
        hostPorts: published === undefined ? undefined : expandPorts(published),
        containerPort: Number(long.target),
        protocol: String(long.protocol ?? 'tcp'),
        raw: JSON.stringify(entry),
      };
    }
    const raw = String(entry);
    const [spec = '', protocol = 'tcp'] = raw.split('/');
    let rest = spec;
    let hostIp: string | undefined;
    const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
    if (v6) {
      hostIp = v6[1];
      rest = v6[2] ?? '';
    }
    const parts = rest.split(':');
    const containerPort = Number(parts[parts.length - 1]);
    if (parts.length === 1) return { hostIp, hostPorts: undefined, containerPort, protocol, raw };
    if (parts.length === 2)
      return {
        hostIp,
        hostPorts: parts[0] === '' ? undefined : expandPorts(parts[0] ?? ''),
        containerPort,
        protocol,
        raw,
      };
    hostIp = parts.slice(0, -2).join(':');
    const host = parts[parts.length - 2] ?? '';
    return { hostIp, hostPorts: host === '' ? undefined : expandPorts(host), containerPort, protocol, raw };
  });
}

/** Ports the service's containers listen on, as far as the file says (published targets and `expose`). */
function containerPorts(service: Service | undefined): number[] {
  const exposed = Array.isArray(service?.expose) ? service.expose.map((p) => Number(String(p).split('/')[0])) : [];
  return [...publishedPorts(service).map((p) => p.containerPort), ...exposed];
}

function dependsOn(service: Service): Record<string, string | undefined> {
  const deps = service.depends_on;
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [String(d), 'service_started']));
  if (deps && typeof deps === 'object') {
    return Object.fromEntries(
      Object.entries(deps).map(([name, spec]) => [
        name,
        spec && typeof spec === 'object'
          ? ((spec as Record<string, unknown>).condition as string | undefined)
          : undefined,
      ]),
    );
  }
  return {};
}

function commandText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.map(String).join('\n') : String(value);
}

/** Splits "host:port"; undefined if the value is not of that form. */
function hostAndPort(address: string | undefined): { host: string; port: number } | undefined {
  const match = /^([A-Za-z0-9._-]+):(\d+)$/.exec(address ?? '');
  return match ? { host: match[1] ?? '', port: Number(match[2]) } : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The checks. Each returns the problems found; [] means the property holds.

function missingServices(doc: Compose): string[] {
  return REQUIRED_SERVICES.filter((name) => !(name in doc.services)).map((name) => `service "${name}" is missing`);
}

/** A version tag on every image: no `latest`, no missing tag, no tag left to an interpolated variable. */
function unpinnedImages(doc: Compose): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    if (service.image === undefined) {
      if (service.build === undefined) problems.push(`${name}: neither image nor build`);
      continue;
    }
    const ref = String(service.image);
    const { tag } = splitImage(ref);
    if (ref.includes('$')) problems.push(`${name}: image "${ref}" depends on a variable, so the file pins nothing`);
    else if (tag === undefined) problems.push(`${name}: image "${ref}" has no tag (means latest)`);
    else if (!/^v?\d+(\.\d+)*([-.+_][A-Za-z0-9_.+-]+)?$/.test(tag))
      problems.push(`${name}: image "${ref}" has tag "${tag}", not a version`);
  }
  return problems;
}

function dockerfileCmd(dockerfile: string): string[] | undefined {
  const lines = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim());
  const cmds = lines.filter((l) => /^CMD\s/i.test(l));
  const last = cmds[cmds.length - 1];
  if (last === undefined) return undefined;
  const arg = last.slice(3).trim();
  try {
    const parsed: unknown = JSON.parse(arg);
    return Array.isArray(parsed) ? parsed.map(String) : undefined;
  } catch {
    return arg.split(/\s+/); // shell form
  }
}

function dockerfileUser(dockerfile: string): string | undefined {
  const users = dockerfile
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^USER\s/i.test(l));
  return users[users.length - 1]?.slice(4).trim();
}

/** The worker is built from the repository root, by a Dockerfile that exists and runs worker/main.ts as non-root. */
function workerBuildProblems(doc: Compose): string[] {
  const worker = doc.services.worker;
  if (!worker) return ['no worker service'];
  const build = worker.build;
  const context =
    typeof build === 'string'
      ? build
      : build && typeof build === 'object'
        ? (build as Record<string, unknown>).context
        : undefined;
  const dockerfileName =
    build && typeof build === 'object'
      ? String((build as Record<string, unknown>).dockerfile ?? 'Dockerfile')
      : 'Dockerfile';
  const problems: string[] = [];
  if (context !== '.' && context !== './') problems.push(`worker builds from ${JSON.stringify(context)}, not "."`);
  const dockerfilePath = join(root, dockerfileName);
  if (!existsSync(dockerfilePath)) return [...problems, `${dockerfileName} does not exist`];
  const dockerfile = readFileSync(dockerfilePath, 'utf8');
  const cmd = dockerfileCmd(dockerfile);
  if (!cmd?.includes('worker/main.ts'))
    problems.push(`the Dockerfile's CMD ${JSON.stringify(cmd)} does not run worker/main.ts`);
  const user = dockerfileUser(dockerfile);
  if (user === undefined || user === 'root' || user === '0' || user.startsWith('0:') || user.startsWith('root:'))
    problems.push(`the Dockerfile runs as ${user ?? 'root (no USER)'}`);
  const command = commandText(worker.command);
  if (command !== '' && !command.includes('worker/main.ts'))
    problems.push(`the worker's command "${command}" does not run worker/main.ts`);
  return problems;
}

/** Every published port on 127.0.0.1, no host port published twice, and no host networking around that rule. */
function portProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [name, service] of Object.entries(doc.services)) {
    if (service.network_mode === 'host')
      problems.push(`${name}: network_mode host publishes every port on every interface`);
    for (const port of publishedPorts(service)) {
      if (port.hostIp !== '127.0.0.1')
        problems.push(`${name}: "${port.raw}" is bound to ${port.hostIp ?? 'all interfaces'}, not 127.0.0.1`);
      if (port.hostPorts === undefined) {
        problems.push(`${name}: "${port.raw}" lets Docker choose the host port`);
        continue;
      }
      for (const hostPort of port.hostPorts) {
        const key = `${hostPort}/${port.protocol}`;
        const other = seen.get(key);
        if (other !== undefined) problems.push(`host port ${key} is published by both ${other} and ${name}`);
        else seen.set(key, name);
      }
    }
  }
  return problems;
}

/** The worker (and the UI and setup) reach Temporal by service name and a port that service listens on; mail goes to mailpit. */
function wiringProblems(doc: Compose): string[] {
  const problems: string[] = [];
  // The frontend listens on 7233 whether or not the port is also published to the host.
  const temporalPorts = [
    ...containerPorts(doc.services.temporal),
    ...(String(doc.services.temporal?.image ?? '').startsWith('temporalio/') ? [7233] : []),
  ];
  for (const client of ['worker', 'temporal-ui', 'temporal-setup']) {
    const address = environment(doc.services[client]).TEMPORAL_ADDRESS;
    const target = hostAndPort(address);
    if (!target) problems.push(`${client}: TEMPORAL_ADDRESS "${address}" is not host:port`);
    else if (target.host !== 'temporal' || !(target.host in doc.services))
      problems.push(`${client}: TEMPORAL_ADDRESS "${address}" does not name the temporal service`);
    else if (!temporalPorts.includes(target.port))
      problems.push(
        `${client}: TEMPORAL_ADDRESS "${address}" uses a port the temporal service does not listen on (${temporalPorts.join(', ')})`,
      );
  }
  const workerEnv = environment(doc.services.worker);
  if (workerEnv.LEKDICHT_SMTP_HOST !== 'mailpit' || !('mailpit' in doc.services))
    problems.push(`worker: LEKDICHT_SMTP_HOST "${workerEnv.LEKDICHT_SMTP_HOST}" is not the mailpit service`);
  const smtpPort = Number(workerEnv.LEKDICHT_SMTP_PORT);
  const mailpitPorts = [
    ...containerPorts(doc.services.mailpit),
    ...(String(doc.services.mailpit?.image ?? '').startsWith('axllent/mailpit') ? [1025] : []),
  ];
  if (!mailpitPorts.includes(smtpPort))
    problems.push(`worker: LEKDICHT_SMTP_PORT "${workerEnv.LEKDICHT_SMTP_PORT}" is not a port mailpit listens on`);
  if (workerEnv.TEMPORAL_NAMESPACE !== environment(doc.services['temporal-setup']).TEMPORAL_NAMESPACE) {
    problems.push(
      'worker and temporal-setup use different namespaces: the attributes would be registered where the worker does not look',
    );
  }
  const config = workerEnv.LEKDICHT_CONFIG ?? '';
  if (!config.startsWith('/app/') || !existsSync(join(root, config.slice('/app/'.length))))
    problems.push(`worker: LEKDICHT_CONFIG "${config}" is not a file of the repository under /app`);
  if (!(workerEnv.LEKDICHT_REGISTER_PATH ?? '').startsWith('/data/'))
    problems.push(`worker: LEKDICHT_REGISTER_PATH "${workerEnv.LEKDICHT_REGISTER_PATH}" is not on the /data volume`);
  return problems;
}

/** name → type for every `temporal operator search-attribute create` in the setup service (shell comments ignored). */
function registeredSearchAttributes(doc: Compose): Record<string, string> {
  const setup = doc.services['temporal-setup'];
  const text = [commandText(setup?.entrypoint), commandText(setup?.command)]
    .join('\n')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
  const registered: Record<string, string> = {};
  for (const match of text.matchAll(/search-attribute\s+create\b([^\n;&|]*)/g)) {
    const args = match[1] ?? '';
    const name = /--name[=\s]+["']?([A-Za-z0-9_]+)/.exec(args)?.[1];
    const type = /--type[=\s]+["']?([A-Za-z0-9_]+)/.exec(args)?.[1];
    if (name !== undefined && type !== undefined) registered[name] = type;
  }
  return registered;
}

function dependencyProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'];
  for (const [name, service] of Object.entries(doc.services)) {
    for (const [dep, condition] of Object.entries(dependsOn(service))) {
      if (!(dep in doc.services)) problems.push(`${name} depends on "${dep}", which is not a service`);
      else if (condition !== undefined && !conditions.includes(condition))
        problems.push(`${name} waits for "${dep}" with unknown condition "${condition}"`);
      if (condition === 'service_healthy' && doc.services[dep]?.healthcheck === undefined)
        problems.push(`${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
    }
  }
  return problems;
}

/** The start order that makes the stack work, not only a valid graph. */
function startOrderProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const pgHealth = commandText((doc.services.postgresql?.healthcheck as Record<string, unknown> | undefined)?.test);
  if (!pgHealth.includes('pg_isready')) problems.push('postgresql has no pg_isready healthcheck');
  if (dependsOn(doc.services.temporal ?? {}).postgresql !== 'service_healthy')
    problems.push('temporal does not wait for postgresql to be healthy');
  const workerDeps = dependsOn(doc.services.worker ?? {});
  if (workerDeps['temporal-setup'] !== 'service_completed_successfully')
    problems.push('worker does not wait for temporal-setup to complete successfully');
  if (!('mailpit' in workerDeps)) problems.push('worker does not wait for mailpit');
  return problems;
}

/** Named volumes used by services and not declared at the top level (bind mounts start with . / ~ or a variable). */
function undeclaredVolumes(doc: Compose): string[] {
  const declared = new Set(Object.keys(doc.volumes ?? {}));
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    const volumes = Array.isArray(service.volumes) ? service.volumes : [];
    for (const volume of volumes) {
      let source: string | undefined;
      if (typeof volume === 'string') {
        const parts = volume.split(':');
        source = parts.length >= 2 ? parts[0] : undefined; // "/path" alone is an anonymous volume
      } else if (volume && typeof volume === 'object' && (volume as Record<string, unknown>).type === 'volume') {
        const src = (volume as Record<string, unknown>).source;
        source = src === undefined ? undefined : String(src);
      }
      if (source === undefined || /^[./~$]/.test(source)) continue;
      if (!declared.has(source)) problems.push(`${name} uses volume "${source}", which is not declared under volumes:`);
    }
  }
  return problems;
}

const SECRET_KEY = /PASSWORD|PASSWD|PWD|SECRET|KEY|TOKEN|CREDENTIAL/i;
/** `${VAR}` or `${VAR:?message}` / `${VAR?message}`: the value comes from outside, and there is no default to leak. */
const FROM_OUTSIDE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:?\?[^}]*)?\}$/;

/** A yes/no switch named after credentials (TEMPORAL_CODEC_INCLUDE_CREDENTIALS) holds none. */
function isSwitch(value: string | undefined): boolean {
  return value !== undefined && /^(true|false)$/.test(value);
}

/** TEMPORAL_TLS_CLIENT_KEY_PATH=/run/secrets/...: where a secret lies, not the secret. */
function isPathToSecret(key: string, value: string | undefined): boolean {
  return /_(PATH|FILE)$/.test(key) && value !== undefined && value.startsWith('/');
}

function hardCodedSecrets(doc: Compose): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    for (const [key, value] of Object.entries(environment(service))) {
      if (!SECRET_KEY.test(key) || value === undefined || isSwitch(value) || isPathToSecret(key, value)) continue;
      if (!FROM_OUTSIDE.test(value))
        problems.push(`${name}: ${key} is written in the file ("${value}") instead of \${${key}} or \${${key}:?...}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Least privilege: which component gets which secret, database roles, container hardening, volumes.

/** The ${VAR} names a value reads (`$$` is an escaped dollar, not a variable). */
function referencedVariables(value: string | undefined): string[] {
  return [...(value ?? '').matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? '');
}

/** Every variable through which a service receives a value: each environment key, and each ${VAR} its value reads. */
function receivedVariables(service: Service | undefined): Set<string> {
  const names = new Set<string>();
  for (const [key, value] of Object.entries(environment(service))) {
    names.add(key);
    for (const v of referencedVariables(value)) names.add(v);
  }
  return names;
}

/** Variables `${VAR:?...}` (or `${VAR?...}`) anywhere in the file's services: the ones `docker compose up` requires. */
function requiredVariables(doc: Compose): string[] {
  const required = new Set<string>();
  for (const service of Object.values(doc.services)) {
    for (const value of Object.values(environment(service))) {
      for (const m of (value ?? '').matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)) required.add(m[1] ?? '');
    }
  }
  return [...required].sort();
}

const exampleConfig = parse(EXAMPLE_CONFIG_TEXT) as {
  intake?: { sources?: Record<string, { secretEnv?: string }> };
  tickets?: { tokenEnv?: string };
  auth?: { oidc?: { clientSecretEnv?: string } };
};
/** The environment variables that hold the intake sources' secrets in the config the containers use. */
const INTAKE_SECRET_VARS = Object.values(exampleConfig.intake?.sources ?? {}).flatMap((s) =>
  s.secretEnv ? [s.secretEnv] : [],
);

/**
 * Who may receive each secret, by the variable that holds it. The reasons are the README's "Least privilege" table:
 * the administrator's password stays in the database container; Temporal's own role password goes to the database
 * (to create the role) and to Temporal; the codec keys to both lekdicht components, which both read and write
 * payloads; the session, intake and OIDC secrets to the HTTP service that checks them; the SMTP login and the
 * ticket token to the worker, whose activities send mail and open tickets; each Temporal identity to its component.
 */
const SECRET_HOLDERS: Record<string, readonly string[]> = {
  POSTGRES_PASSWORD: ['postgresql'],
  TEMPORAL_DB_PASSWORD: ['postgresql', 'temporal'],
  LEKDICHT_CODEC_KEYS: ['worker', 'http'],
  LEKDICHT_CODEC_KEY_FILE: ['worker', 'http'],
  LEKDICHT_SESSION_SECRET: ['http'],
  // Signs people's acts; the worker gets only the public key (LEKDICHT_ACT_PUBLIC_KEYS, not a secret).
  LEKDICHT_ACT_SIGNING_KEY: ['http'],
  // Not a secret (a public key), but named like one: only the worker, which verifies the acts, needs it.
  LEKDICHT_ACT_PUBLIC_KEYS: ['worker'],
  LEKDICHT_OIDC_CLIENT_SECRET: ['http'],
  [exampleConfig.auth?.oidc?.clientSecretEnv ?? 'LEKDICHT_OIDC_CLIENT_SECRET']: ['http'],
  ...Object.fromEntries(INTAKE_SECRET_VARS.map((v) => [v, ['http']])),
  LEKDICHT_SMTP_USER: ['worker'],
  LEKDICHT_SMTP_PASSWORD: ['worker'],
  LEKDICHT_TICKETS_TOKEN: ['worker'],
  [exampleConfig.tickets?.tokenEnv ?? 'LEKDICHT_TICKETS_TOKEN']: ['worker'],
  LEKDICHT_WORKER_TEMPORAL_API_KEY: ['worker'],
  LEKDICHT_HTTP_TEMPORAL_API_KEY: ['http'],
};

/** What each component cannot work without; checked so the distribution check cannot pass on an empty file. */
const REQUIRED_SECRETS: Record<string, readonly string[]> = {
  postgresql: ['POSTGRES_PASSWORD', 'TEMPORAL_DB_PASSWORD'],
  temporal: ['TEMPORAL_DB_PASSWORD'],
  worker: ['LEKDICHT_CODEC_KEYS'],
  http: ['LEKDICHT_CODEC_KEYS', 'LEKDICHT_SESSION_SECRET', 'LEKDICHT_ACT_SIGNING_KEY', ...INTAKE_SECRET_VARS],
};

/** Every secret only where SECRET_HOLDERS allows it, no secret SECRET_HOLDERS does not know, and no env_file. */
function secretDistributionProblems(doc: Compose): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    // .env holds every component's secrets; env_file would hand them all to this container.
    if (service.env_file !== undefined)
      problems.push(
        `${name}: env_file passes a whole file of variables (other components' secrets too); name each one under environment`,
      );
    for (const [key, value] of Object.entries(environment(service))) {
      const names = [...new Set([key, ...referencedVariables(value)])];
      const known = names.filter((n) => n in SECRET_HOLDERS);
      for (const secret of known) {
        const holders = SECRET_HOLDERS[secret] ?? [];
        if (!holders.includes(name))
          problems.push(`${name}: gets ${secret} (as ${key}), which only ${holders.join(' and ')} may have`);
      }
      if (
        known.length === 0 &&
        names.some((n) => SECRET_KEY.test(n)) &&
        !isSwitch(value) &&
        !isPathToSecret(key, value)
      ) {
        problems.push(
          `${name}: ${key} looks like a secret no component is assigned (add it to SECRET_HOLDERS with the components that need it)`,
        );
      }
    }
  }
  for (const [name, secrets] of Object.entries(REQUIRED_SECRETS)) {
    const received = receivedVariables(doc.services[name]);
    for (const secret of secrets)
      if (!received.has(secret)) problems.push(`${name}: does not get ${secret}, which it needs`);
  }
  return problems;
}

/** Only the worker sends mail: no other service gets any SMTP setting. */
function smtpSettingsProblems(doc: Compose): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    if (name === 'worker') continue;
    for (const variable of receivedVariables(service))
      if (/^LEKDICHT_SMTP_/.test(variable)) problems.push(`${name}: gets ${variable}, but only the worker sends mail`);
  }
  return problems;
}

interface Mount {
  source: string | undefined;
  target: string;
  readOnly: boolean;
  raw: string;
}

/** A service's volumes in the short ("src:target[:mode]") and long ({ source, target, read_only }) forms. */
function mounts(service: Service | undefined): Mount[] {
  const volumes = Array.isArray(service?.volumes) ? service.volumes : [];
  return volumes.map((volume): Mount => {
    if (volume !== null && typeof volume === 'object') {
      const long = volume as Record<string, unknown>;
      return {
        source: long.source === undefined ? undefined : String(long.source),
        target: String(long.target),
        readOnly: long.read_only === true,
        raw: JSON.stringify(volume),
      };
    }
    const raw = String(volume);
    const parts = raw.split(':');
    if (parts.length === 1) return { source: undefined, target: raw, readOnly: false, raw };
    const modes = (parts[2] ?? '').split(',');
    return { source: parts[0], target: parts[1] ?? '', readOnly: modes.includes('ro'), raw };
  });
}

const INIT_DIR = '/docker-entrypoint-initdb.d';

/** The text of the postgres init scripts the postgresql service mounts (empty when it mounts none from the repository). */
function initScriptsOf(doc: Compose): string {
  const mount = mounts(doc.services.postgresql).find((m) => m.target === INIT_DIR);
  if (!mount?.source?.startsWith('./')) return '';
  const dir = join(root, mount.source);
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((f) => /\.(sh|sql)$/.test(f))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

/**
 * Temporal's server logs in as a role of its own, not the superuser: created by an init script with no superuser,
 * createdb, createrole, replication or bypassrls, owning exactly Temporal's two databases, with a password only
 * postgresql and temporal get. `scripts` stands in for the init scripts (the mutation tests break a copy).
 */
function databaseRoleProblems(doc: Compose, scripts = initScriptsOf(doc)): string[] {
  const problems: string[] = [];
  const pg = environment(doc.services.postgresql);
  const temporal = environment(doc.services.temporal);
  const admin = pg.POSTGRES_USER ?? 'postgres';
  const user = temporal.POSTGRES_USER;
  if (user === undefined || !/^[a-z_][a-z0-9_]*$/.test(user))
    return [`temporal: POSTGRES_USER "${user}" is not a fixed role name`];
  if (user === admin)
    problems.push(`temporal: logs in as ${user}, the database administrator (postgresql's POSTGRES_USER)`);
  const passwordVars = referencedVariables(temporal.POSTGRES_PWD);
  const passwordVar = passwordVars[0];
  if (passwordVars.length !== 1 || passwordVar === undefined)
    return [...problems, `temporal: POSTGRES_PWD "${temporal.POSTGRES_PWD}" does not come from one variable`];
  if (referencedVariables(pg.POSTGRES_PASSWORD).includes(passwordVar))
    problems.push(`temporal: POSTGRES_PWD is the administrator's password (${passwordVar})`);
  if (!receivedVariables(doc.services.postgresql).has(passwordVar))
    problems.push(`postgresql: does not get ${passwordVar}, so its init script cannot give ${user} that password`);
  if (temporal.SKIP_DB_CREATE !== 'true')
    problems.push(
      `temporal: SKIP_DB_CREATE is not "true": auto-setup would try to create databases, which ${user} may not`,
    );

  const mount = mounts(doc.services.postgresql).find((m) => m.target === INIT_DIR);
  if (!mount) return [...problems, `postgresql: mounts nothing on ${INIT_DIR}, so nothing creates the ${user} role`];
  if (!mount.readOnly) problems.push(`postgresql: ${mount.raw} is not read-only`);
  const code = scripts
    .split('\n')
    .filter((line) => !/^\s*(#|--)/.test(line))
    .join('\n');
  const name = `"?${user}"?`;
  const role = new RegExp(`CREATE\\s+(?:ROLE|USER)\\s+${name}(?![\\w"])([^;]*);`, 'i').exec(code);
  if (!role) return [...problems, `the init scripts do not create the role ${user}`];
  const attributes = role[1] ?? '';
  if (!/\bLOGIN\b/i.test(attributes) && !/CREATE\s+USER/i.test(role[0]))
    problems.push(`the init scripts create ${user} without LOGIN`);
  for (const power of ['SUPERUSER', 'CREATEDB', 'CREATEROLE', 'REPLICATION', 'BYPASSRLS']) {
    if (!new RegExp(`\\bNO${power}\\b`, 'i').test(attributes))
      problems.push(`the init scripts do not create ${user} with NO${power}`);
    if (new RegExp(`(?<!NO)\\b${power}\\b`, 'i').test(attributes))
      problems.push(`the init scripts give ${user} ${power}`);
  }
  if (
    new RegExp(
      `ALTER\\s+(?:ROLE|USER)\\s+${name}(?![\\w"])[^;]*(?<!NO)\\b(SUPERUSER|CREATEDB|CREATEROLE|REPLICATION|BYPASSRLS)\\b`,
      'i',
    ).test(code)
  ) {
    problems.push(`the init scripts later give ${user} more powers (ALTER ROLE)`);
  }
  // GRANT <role> TO temporal (membership, e.g. of the administrator or pg_* roles), as opposed to GRANT ... ON ...
  if (new RegExp(`GRANT\\s+(?![^;]*\\bON\\b)[^;]*\\bTO\\s+${name}(?![\\w"])`, 'i').test(code))
    problems.push(`the init scripts make ${user} a member of another role`);
  // The password: read from the environment inside psql, never written in the script.
  const password = /PASSWORD\s+(:'(\w+)'|'[^']*'|\S+)/i.exec(attributes);
  const psqlVar = password?.[2];
  if (psqlVar === undefined)
    problems.push(`the init scripts do not set ${user}'s password from a psql variable (PASSWORD :'...')`);
  else if (!new RegExp(`\\\\getenv\\s+${psqlVar}\\s+${passwordVar}\\b`).test(code))
    problems.push(
      `the init scripts do not read ${user}'s password from ${passwordVar} (\\getenv ${psqlVar} ${passwordVar})`,
    );
  for (const db of [temporal.DBNAME ?? 'temporal', temporal.VISIBILITY_DBNAME ?? 'temporal_visibility']) {
    if (
      !new RegExp(`CREATE\\s+DATABASE\\s+"?${db}"?(?![\\w"])[^;]*\\bOWNER\\s*=?\\s*${name}(?![\\w"])`, 'i').test(code)
    )
      problems.push(`the init scripts do not create database ${db} owned by ${user}`);
  }
  return problems;
}

function isRootUser(user: string | undefined): boolean {
  return user === undefined || user === 'root' || user === '0' || user.startsWith('0:') || user.startsWith('root:');
}

function tmpfsPaths(service: Service | undefined): string[] {
  const tmpfs = service?.tmpfs;
  const entries = Array.isArray(tmpfs) ? tmpfs : tmpfs === undefined ? [] : [tmpfs];
  return entries.map((e) => String(e).split(':')[0] ?? '');
}

/**
 * lekdicht's own containers: an unprivileged user, a read-only root filesystem (with the in-memory /tmp that tsx
 * and npm need), no capabilities, no-new-privileges, no privileged mode, no Docker socket; and every volume they
 * write to exists in the image owned by the unprivileged user, so a fresh volume is not root-owned.
 */
function hardeningProblems(doc: Compose, dockerfile = DOCKERFILE_TEXT): string[] {
  const problems: string[] = [];
  const chowned = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .filter((l) => /^\s*RUN\s/i.test(l) && /\bchown\b/.test(l))
    .map((l) => l.slice(l.search(/\bchown\b/)))
    .join('\n');
  for (const name of LEKDICHT_SERVICES) {
    const service = doc.services[name];
    if (!service) {
      problems.push(`no ${name} service`);
      continue;
    }
    const user = service.user === undefined ? dockerfileUser(dockerfile) : String(service.user);
    if (isRootUser(user)) problems.push(`${name}: runs as ${user ?? 'root (no user, no USER in the Dockerfile)'}`);
    if (service.read_only !== true)
      problems.push(`${name}: the root filesystem is writable (read_only: true is missing)`);
    const capDrop = Array.isArray(service.cap_drop) ? service.cap_drop.map((c) => String(c).toUpperCase()) : [];
    if (!capDrop.includes('ALL')) problems.push(`${name}: does not drop ALL capabilities`);
    if (Array.isArray(service.cap_add) && service.cap_add.length > 0)
      problems.push(`${name}: adds capabilities ${service.cap_add.join(', ')}`);
    if (service.privileged === true) problems.push(`${name}: runs privileged`);
    const securityOpt = Array.isArray(service.security_opt) ? service.security_opt.map(String) : [];
    if (!securityOpt.some((o) => /^no-new-privileges([:=]true)?$/.test(o)))
      problems.push(`${name}: no-new-privileges is not set`);
    for (const ns of ['pid', 'ipc', 'network_mode'])
      if (service[ns] === 'host') problems.push(`${name}: shares the host's ${ns}`);
    const tmpfs = tmpfsPaths(service);
    if (service.read_only === true && !tmpfs.includes('/tmp'))
      problems.push(`${name}: read-only without a tmpfs on /tmp, where tsx keeps its cache`);
    const npmCache = environment(service).NPM_CONFIG_CACHE;
    if (
      commandText(service.command).startsWith('npx') &&
      !tmpfs.some((t) => npmCache === t || (npmCache ?? '').startsWith(`${t}/`))
    ) {
      problems.push(`${name}: runs npx on a read-only filesystem but NPM_CONFIG_CACHE "${npmCache}" is not on a tmpfs`);
    }
    for (const mount of mounts(service)) {
      if (/docker\.sock/.test(mount.source ?? ''))
        problems.push(`${name}: mounts the Docker socket (${mount.raw}), root on the host`);
      if (
        !mount.readOnly &&
        mount.source !== undefined &&
        !/^[./~$]/.test(mount.source) &&
        !new RegExp(`\\s${mount.target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`).test(chowned)
      ) {
        problems.push(
          `${name}: writes to ${mount.target}, which the Dockerfile does not create owned by the unprivileged user (a fresh volume would be root's)`,
        );
      }
    }
  }
  return problems;
}

/** The register: the worker's volume, written only by the worker, mounted read-only by the HTTP service, by nothing else. */
function registerVolumeProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const registerVolume = 'worker-data';
  const workerMount = mounts(doc.services.worker).find((m) => m.source === registerVolume);
  const registerDir = posix.dirname(environment(doc.services.worker).LEKDICHT_REGISTER_PATH ?? '');
  if (!workerMount) problems.push(`worker: does not mount ${registerVolume}`);
  else {
    if (workerMount.readOnly) problems.push(`worker: mounts ${registerVolume} read-only, but it writes the register`);
    if (workerMount.target !== registerDir)
      problems.push(
        `worker: mounts ${registerVolume} on ${workerMount.target}, not on ${registerDir} where LEKDICHT_REGISTER_PATH points`,
      );
  }
  const httpMount = mounts(doc.services.http).find((m) => m.source === registerVolume);
  if (!httpMount) problems.push(`http: does not mount ${registerVolume}, so its pages cannot read the register`);
  else {
    if (!httpMount.readOnly)
      problems.push(`http: mounts ${registerVolume} writable (${httpMount.raw}); it only reads the register`);
    const httpRegister = environment(doc.services.http).LEKDICHT_REGISTER_PATH ?? '';
    if (posix.dirname(httpRegister) !== httpMount.target)
      problems.push(`http: LEKDICHT_REGISTER_PATH "${httpRegister}" is not on its ${registerVolume} mount`);
  }
  for (const [name, service] of Object.entries(doc.services)) {
    for (const mount of mounts(service)) {
      if (mount.source === registerVolume && name !== 'worker' && name !== 'http')
        problems.push(`${name}: mounts the register volume ${registerVolume}`);
      if (mount.source === 'http-auth' && name !== 'http')
        problems.push(`${name}: mounts http-auth, the HTTP service's password hashes and sessions`);
    }
  }
  return problems;
}

const IDENTITY_KEYS = [
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_CLIENT_CERT_DATA',
  'TEMPORAL_TLS_CLIENT_KEY_DATA',
];

/** When the worker and the HTTP service present a Temporal identity, each has its own; an API key never travels in clear. */
function temporalIdentityProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const [worker, http] = [environment(doc.services.worker), environment(doc.services.http)];
  for (const key of IDENTITY_KEYS) {
    const [w, h] = [worker[key], http[key]];
    if (w === undefined || h === undefined) continue;
    const [wv, hv] = [referencedVariables(w), referencedVariables(h)];
    if (w === h || wv.some((v) => hv.includes(v)))
      problems.push(`worker and http share one Temporal identity: ${key} is ${w} in both`);
  }
  for (const name of LEKDICHT_SERVICES) {
    const env = environment(doc.services[name]);
    if (env.TEMPORAL_API_KEY !== undefined && /^(false|0)$/i.test(env.TEMPORAL_TLS ?? ''))
      problems.push(`${name}: sends its API key without TLS (TEMPORAL_TLS=${env.TEMPORAL_TLS})`);
  }
  return problems;
}

/** The lines of one service's block in the compose file's text, comments included. */
function serviceSource(text: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === `  ${name}:`);
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^ {0,2}[^\s#]/.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** The optional settings the file shows commented out for the worker and the HTTP service, switched on. */
function withOptionalSettings(text: string): string {
  return text.replace(
    /^(\s+)# ((?:TEMPORAL_API_KEY|TEMPORAL_TLS_[A-Z_]+|LEKDICHT_SMTP_(?:USER|PASSWORD)): .*)$/gm,
    '$1$2',
  );
}

/** The per-component Temporal identity is shown in the file, for each of the worker and the HTTP service. */
function identityDocumentationProblems(text: string): string[] {
  const problems: string[] = [];
  for (const name of LEKDICHT_SERVICES) {
    const block = serviceSource(text, name);
    for (const key of ['TEMPORAL_API_KEY', 'TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH']) {
      if (!new RegExp(`^\\s+#\\s*${key}:`, 'm').test(block))
        problems.push(`${name}: the file does not show its own ${key} (commented out, optional)`);
    }
  }
  return problems;
}

/** The README's Docker section names every variable `docker compose up` requires. */
function readmeVariableProblems(doc: Compose, readme = README_TEXT): string[] {
  const start = readme.indexOf('\n## Docker');
  const end = readme.indexOf('\n## ', start + 1);
  const section = start < 0 ? '' : readme.slice(start, end < 0 ? undefined : end);
  if (section === '') return ['README.md has no "## Docker" section'];
  return requiredVariables(doc)
    .filter((v) => !section.includes(`\`${v}\``))
    .map((v) => `README.md's Docker section does not name ${v}, which docker compose up requires`);
}

/** A config file names the environment variables that hold secrets (…Env keys), and holds none itself. */
function configSecretProblems(doc: unknown, path = ''): string[] {
  if (Array.isArray(doc)) return doc.flatMap((item, i) => configSecretProblems(item, `${path}[${i}]`));
  if (doc === null || typeof doc !== 'object') return [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const at = path ? `${path}.${key}` : key;
    if (/Env$/.test(key)) {
      if (typeof value !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(value))
        problems.push(`${at}: "${String(value)}" is not the name of an environment variable`);
    } else if (
      /pass(word)?$|secret|token|api_?key|credential/i.test(key) &&
      value !== null &&
      typeof value !== 'object'
    ) {
      problems.push(`${at}: a secret written in the config file`);
    } else problems.push(...configSecretProblems(value, at));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  it('defines the six services and the one-shot setup service', () => {
    expect(missingServices(compose)).toEqual([]);
  });

  it('pins every image to an explicit version tag', () => {
    expect(unpinnedImages(compose)).toEqual([]);
  });

  it('builds the worker from . with a Dockerfile that runs worker/main.ts as a non-root user', () => {
    expect(workerBuildProblems(compose)).toEqual([]);
    expect(existsSync(join(root, 'worker', 'main.ts')), 'worker/main.ts, which the image runs, exists').toBe(true);
    expect(
      existsSync(join(root, '.dockerignore')),
      '.dockerignore keeps node_modules and local data out of the image',
    ).toBe(true);
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.env']));
  });

  it('publishes host ports on 127.0.0.1 only, each port once', () => {
    expect(portProblems(compose)).toEqual([]);
    expect(
      Object.values(compose.services).flatMap((s) => publishedPorts(s)).length,
      'some ports are published at all',
    ).toBeGreaterThan(0);
  });

  it('points the worker at the temporal service and at mailpit', () => {
    expect(wiringProblems(compose)).toEqual([]);
  });

  it('registers exactly the search attributes of domain/search-attributes.ts, with their types', () => {
    expect(EXPECTED_SEARCH_ATTRIBUTES).toEqual(SEARCH_ATTRIBUTES);
    expect(registeredSearchAttributes(compose)).toEqual(EXPECTED_SEARCH_ATTRIBUTES);
  });

  it('depends only on defined services, in an order that works', () => {
    expect(dependencyProblems(compose)).toEqual([]);
    expect(startOrderProblems(compose)).toEqual([]);
  });

  it('declares every named volume it uses', () => {
    expect(undeclaredVolumes(compose)).toEqual([]);
    expect(Object.keys(compose.volumes ?? {})).toEqual(expect.arrayContaining(['postgresql-data', 'worker-data']));
  });

  it('takes every secret from the environment', () => {
    expect(hardCodedSecrets(compose)).toEqual([]);
  });

  it('gives each secret only to the components that need it, and mail settings only to the worker', () => {
    expect(secretDistributionProblems(compose)).toEqual([]);
    expect(smtpSettingsProblems(compose)).toEqual([]);
    // Spelled out for the reader; the checks above cover these and more.
    const received = (name: string) => [...receivedVariables(compose.services[name])];
    expect(
      received('http').filter((v) => /SMTP|POSTGRES|TEMPORAL_DB/.test(v)),
      'http: no mail or database credentials',
    ).toEqual([]);
    for (const name of Object.keys(compose.services).filter((n) => n !== 'postgresql' && n !== 'temporal')) {
      expect(
        received(name).filter((v) => /^(POSTGRES_PASSWORD|POSTGRES_PWD|TEMPORAL_DB_PASSWORD)$/.test(v)),
        `${name}: no database password`,
      ).toEqual([]);
    }
    for (const name of Object.keys(compose.services).filter((n) => n !== 'http')) {
      expect(
        received(name).filter((v) => v === 'LEKDICHT_SESSION_SECRET' || INTAKE_SECRET_VARS.includes(v)),
        `${name}: no session or intake secret`,
      ).toEqual([]);
    }
    expect(INTAKE_SECRET_VARS.length, 'the config names intake secrets at all').toBeGreaterThan(0);
  });

  it('runs Temporal on a database role of its own, not the superuser', () => {
    expect(databaseRoleProblems(compose)).toEqual([]);
    expect(initScriptsOf(compose), 'the init script is found').toContain('CREATE ROLE');
  });

  it("hardens lekdicht's own containers: non-root, read-only root filesystem, no capabilities, no-new-privileges", () => {
    expect(hardeningProblems(compose)).toEqual([]);
  });

  it('lets only the worker write the register; the HTTP service mounts it read-only', () => {
    expect(registerVolumeProblems(compose)).toEqual([]);
  });

  it('shows an optional Temporal identity per component, and switched on they stay separate', () => {
    expect(identityDocumentationProblems(COMPOSE_TEXT)).toEqual([]);
    expect(temporalIdentityProblems(compose)).toEqual([]);
    const switchedOn = loadCompose(withOptionalSettings(COMPOSE_TEXT));
    for (const name of LEKDICHT_SERVICES) {
      for (const key of ['TEMPORAL_API_KEY', 'TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH']) {
        expect(environment(switchedOn.services[name])[key], `${name}: ${key} once uncommented`).toBeDefined();
      }
    }
    expect(temporalIdentityProblems(switchedOn)).toEqual([]);
    expect(secretDistributionProblems(switchedOn)).toEqual([]);
    expect(hardCodedSecrets(switchedOn)).toEqual([]);
    expect(smtpSettingsProblems(switchedOn)).toEqual([]);
  });

  it("names every variable it requires in the README's Docker section", () => {
    expect(requiredVariables(compose)).toEqual(
      expect.arrayContaining([
        'POSTGRES_PASSWORD',
        'TEMPORAL_DB_PASSWORD',
        'LEKDICHT_CODEC_KEYS',
        'LEKDICHT_SESSION_SECRET',
      ]),
    );
    expect(readmeVariableProblems(compose)).toEqual([]);
  });
});

describe('config/example.yaml', () => {
  it('holds no secret, only the names of the environment variables that do', () => {
    expect(configSecretProblems(parse(EXAMPLE_CONFIG_TEXT))).toEqual([]);
  });

  it('takes the SMTP login from the environment only, under the names the file and the compose file give', () => {
    const example = parse(EXAMPLE_CONFIG_TEXT) as Record<string, Record<string, unknown>>;
    expect(configSchema.safeParse(example).success, 'the example is a valid config').toBe(true);
    for (const key of ['user', 'password', 'pass', 'auth']) {
      expect(
        configSchema.safeParse({ ...example, smtp: { ...example.smtp, [key]: 'x' } }).success,
        `smtp.${key} is refused`,
      ).toBe(false);
    }
    expect(smtpAuth({ LEKDICHT_SMTP_USER: 'mailer', LEKDICHT_SMTP_PASSWORD: 'pw' })).toEqual({
      user: 'mailer',
      pass: 'pw',
    });
    expect(smtpAuth({})).toBeUndefined();
    const smtpComment = EXAMPLE_CONFIG_TEXT.slice(0, EXAMPLE_CONFIG_TEXT.indexOf('\nsmtp:'));
    expect(smtpComment).toContain('LEKDICHT_SMTP_USER');
    expect(smtpComment).toContain('LEKDICHT_SMTP_PASSWORD');
    const worker = environment(loadCompose(withOptionalSettings(COMPOSE_TEXT)).services.worker);
    expect(referencedVariables(worker.LEKDICHT_SMTP_USER)).toEqual(['LEKDICHT_SMTP_USER']);
    expect(referencedVariables(worker.LEKDICHT_SMTP_PASSWORD)).toEqual(['LEKDICHT_SMTP_PASSWORD']);
  });
});

/** Breaks a copy of the compose file and expects the check to notice: guards against checks that pass vacuously. */
describe('the checks catch a broken compose file', () => {
  const broken = (edit: (doc: Compose) => void): Compose => {
    const copy = structuredClone(compose);
    edit(copy);
    return copy;
  };
  const svc = (doc: Compose, name: string): Service => {
    const service = doc.services[name];
    if (!service) throw new Error(`no service ${name} in the compose file`);
    return service;
  };

  it('a missing service', () => {
    expect(missingServices(broken((d) => delete d.services['temporal-setup']))).not.toEqual([]);
  });

  it.each([
    'postgres:latest',
    'postgres',
    'temporalio/ui:${UI_VERSION}',
    'localhost:5000/postgres',
    'postgres:bookworm',
  ])('an unpinned image: %s', (image) => {
    expect(unpinnedImages(broken((d) => (svc(d, 'postgresql').image = image)))).not.toEqual([]);
  });

  it('a worker built elsewhere, or running something else', () => {
    expect(workerBuildProblems(broken((d) => (svc(d, 'worker').build = './worker')))).not.toEqual([]);
    expect(
      workerBuildProblems(broken((d) => (svc(d, 'worker').build = { context: '.', dockerfile: 'Dockerfile.missing' }))),
    ).not.toEqual([]);
    expect(
      workerBuildProblems(broken((d) => (svc(d, 'worker').command = ['npx', 'tsx', 'client/cli/main.ts']))),
    ).not.toEqual([]);
    expect(dockerfileCmd('FROM node:20\nCMD ["node", "client/cli.js"]\n')).not.toContain('worker/main.ts');
    expect(dockerfileUser('FROM node:20\nUSER node\nUSER root\n')).toBe('root');
  });

  it.each([['8233:8080'], ['0.0.0.0:8233:8080'], ['8080'], [{ target: 8080, published: 8233 }], ['[::]:8233:8080']])(
    'a port not bound to 127.0.0.1: %j',
    (port) => {
      expect(portProblems(broken((d) => (svc(d, 'temporal-ui').ports = [port])))).not.toEqual([]);
    },
  );

  it('a host port published twice', () => {
    expect(portProblems(broken((d) => (svc(d, 'temporal-ui').ports = ['127.0.0.1:8025:8080'])))).not.toEqual([]);
  });

  it('host networking', () => {
    expect(portProblems(broken((d) => (svc(d, 'worker').network_mode = 'host')))).not.toEqual([]);
  });

  it.each([
    ['TEMPORAL_ADDRESS', 'localhost:7233'],
    ['TEMPORAL_ADDRESS', 'temporal:7234'],
    ['TEMPORAL_ADDRESS', undefined],
    ['LEKDICHT_SMTP_HOST', '127.0.0.1'],
    ['LEKDICHT_SMTP_PORT', '25'],
    ['TEMPORAL_NAMESPACE', 'lekdicht'],
    ['LEKDICHT_CONFIG', '/app/config/missing.yaml'],
    ['LEKDICHT_REGISTER_PATH', '/app/data/register.db'],
  ])('worker wiring: %s=%s', (key, value) => {
    const doc = broken((d) => {
      const env = environment(svc(d, 'worker'));
      if (value === undefined) delete env[key];
      else env[key] = value;
      svc(d, 'worker').environment = env;
    });
    expect(wiringProblems(doc)).not.toEqual([]);
  });

  it('worker environment in list form is read the same way', () => {
    const listForm = broken(
      (d) =>
        (svc(d, 'worker').environment = Object.entries(environment(svc(d, 'worker'))).map(([k, v]) => `${k}=${v}`)),
    );
    expect(wiringProblems(listForm)).toEqual([]);
  });

  it('a search attribute missing, mistyped, or only mentioned in a comment', () => {
    const script = commandText(svc(compose, 'temporal-setup').command);
    const edit = (text: string) => broken((d) => (svc(d, 'temporal-setup').command = [text]));
    expect(registeredSearchAttributes(edit(script.replace(/^.*--name AuthorityNotified.*$/m, '')))).not.toEqual(
      EXPECTED_SEARCH_ATTRIBUTES,
    );
    expect(
      registeredSearchAttributes(
        edit(
          script.replace('--name NotificationDeadline --type Datetime', '--name NotificationDeadline --type Keyword'),
        ),
      ),
    ).not.toEqual(EXPECTED_SEARCH_ATTRIBUTES);
    expect(
      registeredSearchAttributes(edit(script.replace(/^(\s*)(register .*--name SeverityBand.*)$/m, '$1# $2'))),
    ).not.toEqual(EXPECTED_SEARCH_ATTRIBUTES);
    expect(
      registeredSearchAttributes(
        edit(`${script}\nregister temporal operator search-attribute create --name Extra --type Text\n`),
      ),
    ).not.toEqual(EXPECTED_SEARCH_ATTRIBUTES);
  });

  it('a dependency on an undefined service, or on health that is never checked', () => {
    expect(dependencyProblems(broken((d) => (svc(d, 'worker').depends_on = ['temporal-admin-tools'])))).not.toEqual([]);
    expect(dependencyProblems(broken((d) => delete svc(d, 'postgresql').healthcheck))).not.toEqual([]);
    expect(
      startOrderProblems(
        broken(
          (d) =>
            (svc(d, 'worker').depends_on = {
              temporal: { condition: 'service_started' },
              mailpit: { condition: 'service_started' },
            }),
        ),
      ),
    ).not.toEqual([]);
  });

  it('an undeclared named volume', () => {
    expect(undeclaredVolumes(broken((d) => delete (d.volumes as Record<string, unknown>)['worker-data']))).not.toEqual(
      [],
    );
    expect(
      undeclaredVolumes(
        broken((d) => (svc(d, 'worker').volumes = [{ type: 'volume', source: 'elsewhere', target: '/data' }])),
      ),
    ).not.toEqual([]);
    expect(undeclaredVolumes(broken((d) => (svc(d, 'worker').volumes = ['./data:/data', '/scratch'])))).toEqual([]);
  });

  it.each([
    ['POSTGRES_PASSWORD', 'temporal'],
    ['POSTGRES_PASSWORD', '${POSTGRES_PASSWORD:-temporal}'],
    ['POSTGRES_PASSWORD', 'prefix-${POSTGRES_PASSWORD}'],
    ['API_KEY', 'abc123'],
    ['GITHUB_TOKEN', 'ghp_x'],
  ])('a hard-coded secret: %s=%s', (key, value) => {
    const doc = broken((d) => {
      const env = environment(svc(d, 'postgresql'));
      env[key] = value;
      svc(d, 'postgresql').environment = Object.entries(env).map(([k, v]) => (v === undefined ? k : `${k}=${v}`));
    });
    expect(hardCodedSecrets(doc)).not.toEqual([]);
  });

  /** Sets (or, with undefined, passes through from the host) environment variables of one service, in list form. */
  const withEnv = (name: string, entries: Record<string, string | undefined>, from: Compose = compose): Compose =>
    broken((d) => {
      if (from !== compose) Object.assign(d, structuredClone(from));
      const env: Record<string, string | undefined> = { ...environment(svc(d, name)), ...entries };
      svc(d, name).environment = Object.entries(env).map(([k, v]) => (v === undefined ? k : `${k}=${v}`));
    });
  const withoutEnv = (name: string, key: string): Compose =>
    broken((d) => {
      const env = environment(svc(d, name));
      delete env[key];
      svc(d, name).environment = env;
    });

  it.each([
    ['http', 'LEKDICHT_SMTP_PASSWORD', '${LEKDICHT_SMTP_PASSWORD:?x}'],
    ['http', 'LEKDICHT_SMTP_USER', undefined],
    ['http', 'DATABASE_PASSWORD', '${POSTGRES_PASSWORD:?x}'],
    ['http', 'POSTGRES_PWD', '${TEMPORAL_DB_PASSWORD:?x}'],
    ['worker', 'POSTGRES_PASSWORD', '${POSTGRES_PASSWORD:?x}'],
    ['temporal', 'ADMIN_PASSWORD', '${POSTGRES_PASSWORD:?x}'],
    ['temporal-setup', 'TEMPORAL_DB_PASSWORD', '${TEMPORAL_DB_PASSWORD:?x}'],
    ['worker', 'LEKDICHT_SESSION_SECRET', '${LEKDICHT_SESSION_SECRET:?x}'],
    ['worker', 'LEKDICHT_INTAKE_DLP_SECRET', undefined],
    ['temporal-ui', 'LEKDICHT_CODEC_KEYS', '${LEKDICHT_CODEC_KEYS:?x}'],
    ['mailpit', 'MP_UI_AUTH', '${LEKDICHT_SESSION_SECRET:?x}'],
    ['http', 'LEKDICHT_TICKETS_TOKEN', '${LEKDICHT_TICKETS_TOKEN:?x}'],
    ['worker', 'OPENAI_API_KEY', '${OPENAI_API_KEY:?x}'],
  ])('a secret where it does not belong: %s gets %s=%s', (name, key, value) => {
    expect(secretDistributionProblems(withEnv(name, { [key]: value }))).not.toEqual([]);
  });

  it('a component without a secret it needs, or with a whole env_file', () => {
    expect(secretDistributionProblems(withoutEnv('http', 'LEKDICHT_SESSION_SECRET'))).not.toEqual([]);
    expect(secretDistributionProblems(withoutEnv('worker', 'LEKDICHT_CODEC_KEYS'))).not.toEqual([]);
    expect(secretDistributionProblems(withoutEnv('postgresql', 'TEMPORAL_DB_PASSWORD'))).not.toEqual([]);
    expect(secretDistributionProblems(broken((d) => (svc(d, 'http').env_file = ['.env'])))).not.toEqual([]);
  });

  it('mail settings outside the worker', () => {
    expect(smtpSettingsProblems(withEnv('http', { LEKDICHT_SMTP_HOST: 'mailpit' }))).not.toEqual([]);
    expect(smtpSettingsProblems(withEnv('temporal-ui', { SMTP: '${LEKDICHT_SMTP_PORT}' }))).not.toEqual([]);
  });

  it('Temporal on the superuser, or on a password the init script does not set', () => {
    expect(databaseRoleProblems(withEnv('temporal', { POSTGRES_USER: 'postgres' }))).not.toEqual([]);
    expect(databaseRoleProblems(withEnv('temporal', { POSTGRES_PWD: '${POSTGRES_PASSWORD:?x}' }))).not.toEqual([]);
    expect(databaseRoleProblems(withEnv('temporal', { POSTGRES_PWD: 'temporal' }))).not.toEqual([]);
    expect(databaseRoleProblems(withoutEnv('temporal', 'SKIP_DB_CREATE'))).not.toEqual([]);
    expect(databaseRoleProblems(withoutEnv('postgresql', 'TEMPORAL_DB_PASSWORD'))).not.toEqual([]);
    expect(
      databaseRoleProblems(
        broken((d) => (svc(d, 'postgresql').volumes = ['postgresql-data:/var/lib/postgresql/data'])),
      ),
    ).not.toEqual([]);
    expect(
      databaseRoleProblems(
        broken((d) => (svc(d, 'postgresql').volumes = ['./deploy/postgres-init:/docker-entrypoint-initdb.d'])),
      ),
    ).not.toEqual([]);
  });

  it.each([
    ['superuser', (t: string) => t.replace('NOSUPERUSER', 'SUPERUSER')],
    ['createdb', (t: string) => t.replace('NOCREATEDB', 'CREATEDB')],
    ['createrole left at its default', (t: string) => t.replace('NOCREATEROLE', '')],
    ['a literal password', (t: string) => t.replace(":'temporal_db_password'", "'hunter2'")],
    [
      "the administrator's password",
      (t: string) =>
        t.replace(
          '\\getenv temporal_db_password TEMPORAL_DB_PASSWORD',
          '\\getenv temporal_db_password POSTGRES_PASSWORD',
        ),
    ],
    ['no visibility database', (t: string) => t.replace(/^CREATE DATABASE temporal_visibility.*$/m, '')],
    [
      'a database owned by the administrator',
      (t: string) => t.replace('CREATE DATABASE temporal OWNER temporal', 'CREATE DATABASE temporal OWNER postgres'),
    ],
    ['powers added later', (t: string) => `${t}\nALTER ROLE temporal CREATEDB;\n`],
    ["membership of the administrator's role", (t: string) => `${t}\nGRANT postgres TO temporal;\n`],
    ['another role name', (t: string) => t.replace(/\btemporal LOGIN/, 'temporal_app LOGIN')],
    ['the role only in a comment', (t: string) => t.replace(/^CREATE ROLE/m, '-- CREATE ROLE')],
  ])('an init script with %s', (_what, edit) => {
    const script = initScriptsOf(compose);
    expect(edit(script)).not.toEqual(script);
    expect(databaseRoleProblems(compose, edit(script))).not.toEqual([]);
  });

  it.each<[string, (s: Service) => void]>([
    ['no read_only', (s) => delete s.read_only],
    ['read_only false', (s) => (s.read_only = false)],
    ['cap_drop without ALL', (s) => (s.cap_drop = ['NET_RAW'])],
    ['no cap_drop', (s) => delete s.cap_drop],
    ['cap_add', (s) => (s.cap_add = ['NET_ADMIN'])],
    ['no security_opt', (s) => delete s.security_opt],
    ['no-new-privileges:false', (s) => (s.security_opt = ['no-new-privileges:false'])],
    ['user root', (s) => (s.user = 'root')],
    ['user 0:0', (s) => (s.user = '0:0')],
    ['privileged', (s) => (s.privileged = true)],
    ['no tmpfs', (s) => delete s.tmpfs],
    ['the host pid namespace', (s) => (s.pid = 'host')],
    [
      'the Docker socket',
      (s) => (s.volumes = [...mounts(s).map((m) => m.raw), '/var/run/docker.sock:/var/run/docker.sock']),
    ],
    [
      'npm cache on the read-only filesystem',
      (s) =>
        (s.environment = Object.fromEntries(Object.entries(environment(s)).filter(([k]) => k !== 'NPM_CONFIG_CACHE'))),
    ],
  ])('a lekdicht container with %s', (_what, edit) => {
    for (const name of LEKDICHT_SERVICES)
      expect(hardeningProblems(broken((d) => edit(svc(d, name)))), name).not.toEqual([]);
  });

  it('an image whose volume directories are root-owned, or that runs as root', () => {
    expect(hardeningProblems(compose, DOCKERFILE_TEXT.replace(/ \/auth\b/g, ''))).not.toEqual([]);
    expect(
      hardeningProblems(compose, DOCKERFILE_TEXT.replace(/chown node:node \/data/, 'chown node:node /srv')),
    ).not.toEqual([]);
    expect(
      hardeningProblems(
        broken((d) => delete svc(d, 'worker').user),
        `${DOCKERFILE_TEXT}\nUSER root\n`,
      ),
    ).not.toEqual([]);
  });

  it('a register others can write, or mount', () => {
    expect(
      registerVolumeProblems(broken((d) => (svc(d, 'http').volumes = ['worker-data:/data', 'http-auth:/auth']))),
    ).not.toEqual([]);
    expect(
      registerVolumeProblems(
        broken(
          (d) =>
            (svc(d, 'http').volumes = [{ type: 'volume', source: 'worker-data', target: '/data' }, 'http-auth:/auth']),
        ),
      ),
    ).not.toEqual([]);
    expect(
      registerVolumeProblems(
        broken(
          (d) =>
            (svc(d, 'http').volumes = [{ type: 'volume', source: 'worker-data', target: '/data', read_only: true }]),
        ),
      ),
    ).toEqual([]);
    expect(
      registerVolumeProblems(broken((d) => (svc(d, 'temporal-ui').volumes = ['worker-data:/data:ro']))),
    ).not.toEqual([]);
    expect(registerVolumeProblems(broken((d) => (svc(d, 'worker').volumes = ['worker-data:/data:ro'])))).not.toEqual(
      [],
    );
    expect(
      registerVolumeProblems(broken((d) => (svc(d, 'worker').volumes = ['worker-data:/data', 'http-auth:/auth']))),
    ).not.toEqual([]);
    expect(registerVolumeProblems(withEnv('http', { LEKDICHT_REGISTER_PATH: '/app/data/register.db' }))).not.toEqual(
      [],
    );
  });

  it('one Temporal identity shared by the worker and the HTTP service, or an API key without TLS', () => {
    const switchedOn = loadCompose(withOptionalSettings(COMPOSE_TEXT));
    const shared = withEnv('http', { TEMPORAL_API_KEY: '${LEKDICHT_WORKER_TEMPORAL_API_KEY:?x}' }, switchedOn);
    expect(temporalIdentityProblems(shared)).not.toEqual([]);
    expect(secretDistributionProblems(shared)).not.toEqual([]);
    const sameCert = environment(svc(switchedOn, 'worker')).TEMPORAL_TLS_CLIENT_CERT_PATH;
    expect(
      temporalIdentityProblems(withEnv('http', { TEMPORAL_TLS_CLIENT_CERT_PATH: sameCert }, switchedOn)),
    ).not.toEqual([]);
    expect(temporalIdentityProblems(withEnv('worker', { TEMPORAL_TLS: 'false' }, switchedOn))).not.toEqual([]);
    const generic = loadCompose(
      withOptionalSettings(COMPOSE_TEXT).replace(
        /\$\{LEKDICHT_(WORKER|HTTP)_TEMPORAL_API_KEY:\?[^}]*\}/g,
        '${TEMPORAL_API_KEY}',
      ),
    );
    expect(secretDistributionProblems(generic)).not.toEqual([]);
  });

  it('a file that no longer shows the per-component identity', () => {
    const http = serviceSource(COMPOSE_TEXT, 'http');
    expect(http).toContain('# TEMPORAL_API_KEY:');
    expect(
      identityDocumentationProblems(COMPOSE_TEXT.replace(http, http.replace(/^\s+# TEMPORAL_API_KEY:.*\n/m, ''))),
    ).not.toEqual([]);
    expect(
      identityDocumentationProblems(
        COMPOSE_TEXT.replace(http, http.replace(/^\s+# TEMPORAL_TLS_CLIENT_CERT_PATH:.*\n/m, '')),
      ),
    ).not.toEqual([]);
  });

  it('a required variable the README does not name', () => {
    expect(readmeVariableProblems(withEnv('worker', { LEKDICHT_NEW_SECRET: '${LEKDICHT_NEW_SECRET:?x}' }))).not.toEqual(
      [],
    );
    expect(readmeVariableProblems(compose, README_TEXT.replace('\n## Docker', '\n## Containers'))).not.toEqual([]);
  });

  it.each([
    [{ smtp: { host: 'mail', password: 'x' } }],
    [{ smtp: { user: 'mailer', pass: 'x' } }],
    [{ tickets: { kind: 'webhook', token: 'abc' } }],
    [{ tickets: { kind: 'webhook', tokenEnv: 'the-token-itself' } }],
    [{ intake: { sources: { dlp: { secretEnv: 'a real secret' } } } }],
    [{ auth: { oidc: { clientSecret: 'x' } } }],
    [{ temporal: { apiKey: 'x' } }],
  ])('a config with a secret in it: %j', (doc) => {
    expect(configSecretProblems(doc)).not.toEqual([]);
  });

  it('a config that only names variables passes', () => {
    expect(
      configSecretProblems({
        intake: { sources: { dlp: { secretEnv: 'LEKDICHT_INTAKE_DLP_SECRET' } } },
        auth: { oidc: { clientSecretEnv: 'X' } },
      }),
    ).toEqual([]);
  });
});
