import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * The repository's docker-compose.yml, Dockerfile, config/example.yaml and README.md, read once, and readers for the
 * forms Docker accepts (short and long syntax, list and map environments). The checks in this folder check
 * docker-compose.yml without a Docker engine: the file is parsed as YAML and its properties checked. Every check is
 * a function returning the problems it finds, so that test/devstack/compose-check.test.ts can break a copy of the
 * compose file on purpose and show that each check notices; test/devstack/compose-file.test.ts runs them on the real
 * file. The files are read when this module is loaded: only the tests load it.
 */

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMPOSE_FILE = join(root, 'docker-compose.yml');
export const COMPOSE_TEXT = readFileSync(COMPOSE_FILE, 'utf8');
export const DOCKERFILE_TEXT = readFileSync(join(root, 'Dockerfile'), 'utf8');
export const EXAMPLE_CONFIG_TEXT = readFileSync(join(root, 'config', 'example.yaml'), 'utf8');
export const README_TEXT = readFileSync(join(root, 'README.md'), 'utf8');

/** lekdicht's own containers, built from the Dockerfile: the ones this repository can harden. */
export const LEKDICHT_SERVICES = ['worker', 'http'] as const;

export type Service = Record<string, unknown>;
export type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> | null } & Record<
  string,
  unknown
>;

export function loadCompose(text = COMPOSE_TEXT): Compose {
  const doc: unknown = parse(text);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('docker-compose.yml is not a mapping');
  const services = (doc as Record<string, unknown>).services;
  if (services === null || typeof services !== 'object' || Array.isArray(services))
    throw new Error('docker-compose.yml has no services mapping');
  return doc as Compose;
}

export const compose = loadCompose();

// ---------------------------------------------------------------------------------------------------------
// Helpers that read the compose forms Docker accepts (short and long syntax, list and map environments).

/**
 * A YAML value as text, as String() gives it. Docker takes these keys as scalars; a mapping where a scalar belongs
 * prints as [object Object] in the problem, which is enough to find it.
 */
export function scalar(value: unknown): string {
  const asScalar = value as string | number | boolean | bigint | null | undefined;
  return String(asScalar);
}

export function environment(service: Service | undefined): Record<string, string | undefined> {
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
export function splitImage(ref: string): { name: string; tag: string | undefined; digest: string | undefined } {
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
export function publishedPorts(service: Service | undefined): PublishedPort[] {
  const ports = service?.ports;
  if (!Array.isArray(ports)) return [];
  return ports.map((entry): PublishedPort => {
    if (entry !== null && typeof entry === 'object') {
      const long = entry as Record<string, unknown>;
      const published = long.published === undefined || long.published === null ? undefined : scalar(long.published);
      return {
        hostIp: long.host_ip === undefined ? undefined : scalar(long.host_ip),
        hostPorts: published === undefined ? undefined : expandPorts(published),
        containerPort: Number(long.target),
        protocol: scalar(long.protocol ?? 'tcp'),
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
export function containerPorts(service: Service | undefined): number[] {
  const exposed = Array.isArray(service?.expose) ? service.expose.map((p) => Number(String(p).split('/')[0])) : [];
  return [...publishedPorts(service).map((p) => p.containerPort), ...exposed];
}

export function dependsOn(service: Service): Record<string, string | undefined> {
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

export function commandText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.map(String).join('\n') : scalar(value);
}

/** Splits "host:port"; undefined if the value is not of that form. */
export function hostAndPort(address: string | undefined): { host: string; port: number } | undefined {
  const match = /^([A-Za-z0-9._-]+):(\d+)$/.exec(address ?? '');
  return match ? { host: match[1] ?? '', port: Number(match[2]) } : undefined;
}

export function dockerfileCmd(dockerfile: string): string[] | undefined {
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

export function dockerfileUser(dockerfile: string): string | undefined {
  const users = dockerfile
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^USER\s/i.test(l));
  return users[users.length - 1]?.slice(4).trim();
}

/** The ${VAR} names a value reads (`$$` is an escaped dollar, not a variable). */
export function referencedVariables(value: string | undefined): string[] {
  return [...(value ?? '').matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? '');
}

/** Every variable through which a service receives a value: each environment key, and each ${VAR} its value reads. */
export function receivedVariables(service: Service | undefined): Set<string> {
  const names = new Set<string>();
  for (const [key, value] of Object.entries(environment(service))) {
    names.add(key);
    for (const v of referencedVariables(value)) names.add(v);
  }
  return names;
}

/** Variables `${VAR:?...}` (or `${VAR?...}`) anywhere in the file's services: the ones `docker compose up` requires. */
export function requiredVariables(doc: Compose): string[] {
  const required = new Set<string>();
  for (const service of Object.values(doc.services)) {
    for (const value of Object.values(environment(service))) {
      for (const m of (value ?? '').matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)) required.add(m[1] ?? '');
    }
  }
  return [...required].sort();
}

interface Mount {
  source: string | undefined;
  target: string;
  readOnly: boolean;
  raw: string;
}

/** A service's volumes in the short ("src:target[:mode]") and long ({ source, target, read_only }) forms. */
export function mounts(service: Service | undefined): Mount[] {
  const volumes = Array.isArray(service?.volumes) ? service.volumes : [];
  return volumes.map((volume): Mount => {
    if (volume !== null && typeof volume === 'object') {
      const long = volume as Record<string, unknown>;
      return {
        source: long.source === undefined ? undefined : scalar(long.source),
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

/** The lines of one service's block in the compose file's text, comments included. */
export function serviceSource(text: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === `  ${name}:`);
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^ {0,2}[^\s#]/.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** The optional settings the file shows commented out for the worker and the HTTP service, switched on. */
export function withOptionalSettings(text: string): string {
  return text.replace(
    /^(\s+)# ((?:TEMPORAL_API_KEY|TEMPORAL_TLS_[A-Z_]+|LEKDICHT_SMTP_(?:USER|PASSWORD)): .*)$/gm,
    '$1$2',
  );
}
