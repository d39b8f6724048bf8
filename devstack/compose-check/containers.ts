import {
  DOCKERFILE_TEXT,
  LEKDICHT_SERVICES,
  type Service,
  type Compose,
  environment,
  commandText,
  dockerfileUser,
  mounts,
  scalar,
} from './compose-file';

/** Checks of least privilege for lekdicht's own containers (the database roles: databases.ts). */

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
export function hardeningProblems(doc: Compose, dockerfile = DOCKERFILE_TEXT): string[] {
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
    const user = service.user === undefined ? dockerfileUser(dockerfile) : scalar(service.user);
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
