import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  root,
  type Compose,
  environment,
  splitImage,
  publishedPorts,
  containerPorts,
  dependsOn,
  commandText,
  hostAndPort,
  dockerfileCmd,
  dockerfileUser,
  scalar,
  mounts,
} from './compose-file';

/** Checks that the stack starts and is wired: services, images, the worker's build, ports, addresses, start order. */

/** The attributes temporal-setup must register, kept here by hand and compared with the domain's list. */
export const EXPECTED_SEARCH_ATTRIBUTES: Record<string, string> = {
  BreachPhase: 'Keyword',
  NotificationDeadline: 'Datetime',
  SeverityBand: 'Keyword',
  AuthorityNotified: 'Bool',
};

const REQUIRED_SERVICES = ['postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'mailpit', 'worker', 'http'];

// ---------------------------------------------------------------------------------------------------------
// The checks. Each returns the problems found; [] means the property holds.

export function missingServices(doc: Compose): string[] {
  return REQUIRED_SERVICES.filter((name) => !(name in doc.services)).map((name) => `service "${name}" is missing`);
}

/** A version tag on every image: no `latest`, no missing tag, no tag left to an interpolated variable. */
export function unpinnedImages(doc: Compose): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    if (service.image === undefined) {
      if (service.build === undefined) problems.push(`${name}: neither image nor build`);
      continue;
    }
    const ref = scalar(service.image);
    const { tag } = splitImage(ref);
    if (ref.includes('$')) problems.push(`${name}: image "${ref}" depends on a variable, so the file pins nothing`);
    else if (tag === undefined) problems.push(`${name}: image "${ref}" has no tag (means latest)`);
    else if (!/^v?\d+(\.\d+)*([-.+_][A-Za-z0-9_.+-]+)?$/.test(tag))
      problems.push(`${name}: image "${ref}" has tag "${tag}", not a version`);
  }
  return problems;
}

/** The worker as `npm run build` compiles it into the image. */
const COMPILED_WORKER = 'dist/worker/main.js';

/**
 * The worker is built from the repository root, by a Dockerfile that exists and runs the compiled worker/main.ts
 * with node as non-root.
 */
export function workerBuildProblems(doc: Compose): string[] {
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
      ? scalar((build as Record<string, unknown>).dockerfile ?? 'Dockerfile')
      : 'Dockerfile';
  const problems: string[] = [];
  if (context !== '.' && context !== './') problems.push(`worker builds from ${JSON.stringify(context)}, not "."`);
  const dockerfilePath = join(root, dockerfileName);
  if (!existsSync(dockerfilePath)) return [...problems, `${dockerfileName} does not exist`];
  const dockerfile = readFileSync(dockerfilePath, 'utf8');
  const cmd = dockerfileCmd(dockerfile);
  // The image runs the compiled worker with node: no npm, tsx or compiler in the running container (issue 16).
  if (cmd?.[0] !== 'node' || !cmd.includes(COMPILED_WORKER))
    problems.push(`the Dockerfile's CMD ${JSON.stringify(cmd)} does not run ${COMPILED_WORKER} with node`);
  const user = dockerfileUser(dockerfile);
  if (user === undefined || user === 'root' || user === '0' || user.startsWith('0:') || user.startsWith('root:'))
    problems.push(`the Dockerfile runs as ${user ?? 'root (no USER)'}`);
  const command = commandText(worker.command);
  if (command !== '' && !command.includes('worker/main.ts') && !command.includes(COMPILED_WORKER))
    problems.push(`the worker's command "${command}" does not run worker/main.ts or ${COMPILED_WORKER}`);
  return problems;
}

/** Every published port on 127.0.0.1, no host port published twice, and no host networking around that rule. */
export function portProblems(doc: Compose): string[] {
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
export function wiringProblems(doc: Compose): string[] {
  const problems: string[] = [];
  // The frontend listens on 7233 whether or not the port is also published to the host.
  const temporalPorts = [
    ...containerPorts(doc.services.temporal),
    ...(scalar(doc.services.temporal?.image ?? '').startsWith('temporalio/') ? [7233] : []),
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
    ...(scalar(doc.services.mailpit?.image ?? '').startsWith('axllent/mailpit') ? [1025] : []),
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
  return problems;
}

/** name → type for every `temporal operator search-attribute create` in the setup service (shell comments ignored). */
export function registeredSearchAttributes(doc: Compose): Record<string, string> {
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

export function dependencyProblems(doc: Compose): string[] {
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
export function startOrderProblems(doc: Compose): string[] {
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

/**
 * `docker compose up --scale worker=2` works: the worker pins nothing to one container (no container_name, no
 * published host port, no volume two containers would share as if it were one's) and gets no hostname of its own.
 */
export function scalableWorkerProblems(doc: Compose): string[] {
  const worker = doc.services.worker;
  if (!worker) return ['no worker service'];
  const problems: string[] = [];
  if (worker.container_name !== undefined)
    problems.push(`worker: container_name "${scalar(worker.container_name)}" allows only one worker container`);
  if (worker.hostname !== undefined)
    problems.push(`worker: hostname "${scalar(worker.hostname)}" gives every worker container the same name`);
  for (const port of publishedPorts(worker))
    if (port.hostPorts !== undefined)
      problems.push(`worker: "${port.raw}" publishes a host port only one container can have`);
  for (const mount of mounts(worker))
    if (!mount.readOnly)
      problems.push(`worker: writes to ${mount.target} (${mount.raw}), which every scaled worker would share`);
  return problems;
}

/** Named volumes used by services and not declared at the top level (bind mounts start with . / ~ or a variable). */
export function undeclaredVolumes(doc: Compose): string[] {
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
        source = src === undefined ? undefined : scalar(src);
      }
      if (source === undefined || /^[./~$]/.test(source)) continue;
      if (!declared.has(source)) problems.push(`${name} uses volume "${source}", which is not declared under volumes:`);
    }
  }
  return problems;
}
