import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';

/**
 * docker-compose.yml checked without a Docker engine: the file is parsed as YAML and its properties asserted.
 * Every check is a function returning the problems it finds, so that the second half of this file can break a
 * copy of the compose file on purpose and show that each check notices.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const COMPOSE_FILE = join(root, 'docker-compose.yml');

/** The attributes temporal-setup must register, kept here by hand and compared with the domain's list. */
const EXPECTED_SEARCH_ATTRIBUTES: Record<string, string> = {
  BreachPhase: 'Keyword',
  NotificationDeadline: 'Datetime',
  SeverityBand: 'Keyword',
  AuthorityNotified: 'Bool',
};

const REQUIRED_SERVICES = ['postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'mailpit', 'worker'];

type Service = Record<string, unknown>;
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> | null } & Record<string, unknown>;

function loadCompose(): Compose {
  const doc: unknown = parse(readFileSync(COMPOSE_FILE, 'utf8'));
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('docker-compose.yml is not a mapping');
  const services = (doc as Record<string, unknown>).services;
  if (services === null || typeof services !== 'object' || Array.isArray(services)) throw new Error('docker-compose.yml has no services mapping');
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
    for (const [key, value] of Object.entries(env)) out[key] = value === null || value === undefined ? undefined : String(value);
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
    if (parts.length === 2) return { hostIp, hostPorts: parts[0] === '' ? undefined : expandPorts(parts[0] ?? ''), containerPort, protocol, raw };
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
      Object.entries(deps).map(([name, spec]) => [name, spec && typeof spec === 'object' ? (spec as Record<string, unknown>).condition as string | undefined : undefined]),
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
    else if (!/^v?\d+(\.\d+)*([-.+_][A-Za-z0-9_.+-]+)?$/.test(tag)) problems.push(`${name}: image "${ref}" has tag "${tag}", not a version`);
  }
  return problems;
}

function dockerfileCmd(dockerfile: string): string[] | undefined {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim());
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
  const users = dockerfile.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^USER\s/i.test(l));
  return users[users.length - 1]?.slice(4).trim();
}

/** The worker is built from the repository root, by a Dockerfile that exists and runs worker/main.ts as non-root. */
function workerBuildProblems(doc: Compose): string[] {
  const worker = doc.services.worker;
  if (!worker) return ['no worker service'];
  const build = worker.build;
  const context = typeof build === 'string' ? build : build && typeof build === 'object' ? (build as Record<string, unknown>).context : undefined;
  const dockerfileName = build && typeof build === 'object' ? String((build as Record<string, unknown>).dockerfile ?? 'Dockerfile') : 'Dockerfile';
  const problems: string[] = [];
  if (context !== '.' && context !== './') problems.push(`worker builds from ${JSON.stringify(context)}, not "."`);
  const dockerfilePath = join(root, dockerfileName);
  if (!existsSync(dockerfilePath)) return [...problems, `${dockerfileName} does not exist`];
  const dockerfile = readFileSync(dockerfilePath, 'utf8');
  const cmd = dockerfileCmd(dockerfile);
  if (!cmd?.includes('worker/main.ts')) problems.push(`the Dockerfile's CMD ${JSON.stringify(cmd)} does not run worker/main.ts`);
  const user = dockerfileUser(dockerfile);
  if (user === undefined || user === 'root' || user === '0' || user.startsWith('0:') || user.startsWith('root:')) problems.push(`the Dockerfile runs as ${user ?? 'root (no USER)'}`);
  const command = commandText(worker.command);
  if (command !== '' && !command.includes('worker/main.ts')) problems.push(`the worker's command "${command}" does not run worker/main.ts`);
  return problems;
}

/** Every published port on 127.0.0.1, no host port published twice, and no host networking around that rule. */
function portProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [name, service] of Object.entries(doc.services)) {
    if (service.network_mode === 'host') problems.push(`${name}: network_mode host publishes every port on every interface`);
    for (const port of publishedPorts(service)) {
      if (port.hostIp !== '127.0.0.1') problems.push(`${name}: "${port.raw}" is bound to ${port.hostIp ?? 'all interfaces'}, not 127.0.0.1`);
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
  const temporalPorts = [...containerPorts(doc.services.temporal), ...(String(doc.services.temporal?.image ?? '').startsWith('temporalio/') ? [7233] : [])];
  for (const client of ['worker', 'temporal-ui', 'temporal-setup']) {
    const address = environment(doc.services[client]).TEMPORAL_ADDRESS;
    const target = hostAndPort(address);
    if (!target) problems.push(`${client}: TEMPORAL_ADDRESS "${address}" is not host:port`);
    else if (target.host !== 'temporal' || !(target.host in doc.services)) problems.push(`${client}: TEMPORAL_ADDRESS "${address}" does not name the temporal service`);
    else if (!temporalPorts.includes(target.port)) problems.push(`${client}: TEMPORAL_ADDRESS "${address}" uses a port the temporal service does not listen on (${temporalPorts.join(', ')})`);
  }
  const workerEnv = environment(doc.services.worker);
  if (workerEnv.LEKDICHT_SMTP_HOST !== 'mailpit' || !('mailpit' in doc.services)) problems.push(`worker: LEKDICHT_SMTP_HOST "${workerEnv.LEKDICHT_SMTP_HOST}" is not the mailpit service`);
  const smtpPort = Number(workerEnv.LEKDICHT_SMTP_PORT);
  const mailpitPorts = [...containerPorts(doc.services.mailpit), ...(String(doc.services.mailpit?.image ?? '').startsWith('axllent/mailpit') ? [1025] : [])];
  if (!mailpitPorts.includes(smtpPort)) problems.push(`worker: LEKDICHT_SMTP_PORT "${workerEnv.LEKDICHT_SMTP_PORT}" is not a port mailpit listens on`);
  if (workerEnv.TEMPORAL_NAMESPACE !== environment(doc.services['temporal-setup']).TEMPORAL_NAMESPACE) {
    problems.push('worker and temporal-setup use different namespaces: the attributes would be registered where the worker does not look');
  }
  const config = workerEnv.LEKDICHT_CONFIG ?? '';
  if (!config.startsWith('/app/') || !existsSync(join(root, config.slice('/app/'.length)))) problems.push(`worker: LEKDICHT_CONFIG "${config}" is not a file of the repository under /app`);
  if (!(workerEnv.LEKDICHT_REGISTER_PATH ?? '').startsWith('/data/')) problems.push(`worker: LEKDICHT_REGISTER_PATH "${workerEnv.LEKDICHT_REGISTER_PATH}" is not on the /data volume`);
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
      else if (condition !== undefined && !conditions.includes(condition)) problems.push(`${name} waits for "${dep}" with unknown condition "${condition}"`);
      if (condition === 'service_healthy' && doc.services[dep]?.healthcheck === undefined) problems.push(`${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
    }
  }
  return problems;
}

/** The start order that makes the stack work, not only a valid graph. */
function startOrderProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const pgHealth = commandText((doc.services.postgresql?.healthcheck as Record<string, unknown> | undefined)?.test);
  if (!pgHealth.includes('pg_isready')) problems.push('postgresql has no pg_isready healthcheck');
  if (dependsOn(doc.services.temporal ?? {}).postgresql !== 'service_healthy') problems.push('temporal does not wait for postgresql to be healthy');
  const workerDeps = dependsOn(doc.services.worker ?? {});
  if (workerDeps['temporal-setup'] !== 'service_completed_successfully') problems.push('worker does not wait for temporal-setup to complete successfully');
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

function hardCodedSecrets(doc: Compose): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    for (const [key, value] of Object.entries(environment(service))) {
      // A yes/no switch named after credentials (TEMPORAL_CODEC_INCLUDE_CREDENTIALS) holds none.
      if (!SECRET_KEY.test(key) || value === undefined || /^(true|false)$/.test(value)) continue;
      if (!FROM_OUTSIDE.test(value)) problems.push(`${name}: ${key} is written in the file ("${value}") instead of \${${key}} or \${${key}:?...}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  it('defines the five services and the one-shot setup service', () => {
    expect(missingServices(compose)).toEqual([]);
  });

  it('pins every image to an explicit version tag', () => {
    expect(unpinnedImages(compose)).toEqual([]);
  });

  it('builds the worker from . with a Dockerfile that runs worker/main.ts as a non-root user', () => {
    expect(workerBuildProblems(compose)).toEqual([]);
    expect(existsSync(join(root, 'worker', 'main.ts')), 'worker/main.ts, which the image runs, exists').toBe(true);
    expect(existsSync(join(root, '.dockerignore')), '.dockerignore keeps node_modules and local data out of the image').toBe(true);
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split(/\r?\n/).map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.env']));
  });

  it('publishes host ports on 127.0.0.1 only, each port once', () => {
    expect(portProblems(compose)).toEqual([]);
    expect(Object.values(compose.services).flatMap((s) => publishedPorts(s)).length, 'some ports are published at all').toBeGreaterThan(0);
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

  it.each(['postgres:latest', 'postgres', 'temporalio/ui:${UI_VERSION}', 'localhost:5000/postgres', 'postgres:bookworm'])('an unpinned image: %s', (image) => {
    expect(unpinnedImages(broken((d) => (svc(d, 'postgresql').image = image)))).not.toEqual([]);
  });

  it('a worker built elsewhere, or running something else', () => {
    expect(workerBuildProblems(broken((d) => (svc(d, 'worker').build = './worker')))).not.toEqual([]);
    expect(workerBuildProblems(broken((d) => (svc(d, 'worker').build = { context: '.', dockerfile: 'Dockerfile.missing' })))).not.toEqual([]);
    expect(workerBuildProblems(broken((d) => (svc(d, 'worker').command = ['npx', 'tsx', 'client/cli.ts'])))).not.toEqual([]);
    expect(dockerfileCmd('FROM node:20\nCMD ["node", "client/cli.js"]\n')).not.toContain('worker/main.ts');
    expect(dockerfileUser('FROM node:20\nUSER node\nUSER root\n')).toBe('root');
  });

  it.each([['8233:8080'], ['0.0.0.0:8233:8080'], ['8080'], [{ target: 8080, published: 8233 }], ['[::]:8233:8080']])('a port not bound to 127.0.0.1: %j', (port) => {
    expect(portProblems(broken((d) => (svc(d, 'temporal-ui').ports = [port])))).not.toEqual([]);
  });

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
    const listForm = broken((d) => (svc(d, 'worker').environment = Object.entries(environment(svc(d, 'worker'))).map(([k, v]) => `${k}=${v}`)));
    expect(wiringProblems(listForm)).toEqual([]);
  });

  it('a search attribute missing, mistyped, or only mentioned in a comment', () => {
    const script = commandText(svc(compose, 'temporal-setup').command);
    const edit = (text: string) => broken((d) => (svc(d, 'temporal-setup').command = [text]));
    expect(registeredSearchAttributes(edit(script.replace(/^.*--name AuthorityNotified.*$/m, '')))).not.toEqual(EXPECTED_SEARCH_ATTRIBUTES);
    expect(registeredSearchAttributes(edit(script.replace('--name NotificationDeadline --type Datetime', '--name NotificationDeadline --type Keyword')))).not.toEqual(
      EXPECTED_SEARCH_ATTRIBUTES,
    );
    expect(registeredSearchAttributes(edit(script.replace(/^(\s*)(register .*--name SeverityBand.*)$/m, '$1# $2')))).not.toEqual(EXPECTED_SEARCH_ATTRIBUTES);
    expect(registeredSearchAttributes(edit(`${script}\nregister temporal operator search-attribute create --name Extra --type Text\n`))).not.toEqual(
      EXPECTED_SEARCH_ATTRIBUTES,
    );
  });

  it('a dependency on an undefined service, or on health that is never checked', () => {
    expect(dependencyProblems(broken((d) => (svc(d, 'worker').depends_on = ['temporal-admin-tools'])))).not.toEqual([]);
    expect(dependencyProblems(broken((d) => delete svc(d, 'postgresql').healthcheck))).not.toEqual([]);
    expect(startOrderProblems(broken((d) => (svc(d, 'worker').depends_on = { temporal: { condition: 'service_started' }, mailpit: { condition: 'service_started' } })))).not.toEqual([]);
  });

  it('an undeclared named volume', () => {
    expect(undeclaredVolumes(broken((d) => delete (d.volumes as Record<string, unknown>)['worker-data']))).not.toEqual([]);
    expect(undeclaredVolumes(broken((d) => (svc(d, 'worker').volumes = [{ type: 'volume', source: 'elsewhere', target: '/data' }])))).not.toEqual([]);
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
});
