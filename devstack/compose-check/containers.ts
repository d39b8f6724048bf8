import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  root,
  DOCKERFILE_TEXT,
  LEKDICHT_SERVICES,
  type Service,
  type Compose,
  environment,
  commandText,
  dockerfileUser,
  referencedVariables,
  receivedVariables,
  mounts,
  scalar,
} from './compose-file';

/** Checks of least privilege for the containers: Temporal's database role, hardening, who may write the register. */

const INIT_DIR = '/docker-entrypoint-initdb.d';

/** The text of the postgres init scripts the postgresql service mounts (empty when it mounts none from the repository). */
export function initScriptsOf(doc: Compose): string {
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
export function databaseRoleProblems(doc: Compose, scripts = initScriptsOf(doc)): string[] {
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

/** The register: the worker's volume, written only by the worker, mounted read-only by the HTTP service, by nothing else. */
export function registerVolumeProblems(doc: Compose): string[] {
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
