import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  root,
  EXAMPLE_CONFIG_TEXT,
  LEKDICHT_SERVICES,
  type Compose,
  environment,
  dependsOn,
  referencedVariables,
  receivedVariables,
  mounts,
} from './compose-file';

/**
 * Checks of the database roles: Temporal's server and lekdicht's worker and HTTP service each log in as a role of
 * their own, created by deploy/postgres-init with no powers beyond its own database; nobody uses the administrator.
 * test/devstack/postgres-init.test.ts runs the scripts on a real PostgreSQL; these checks tie them to the file.
 */

const INIT_DIR = '/docker-entrypoint-initdb.d';
/** The role and database lekdicht's stores use (deploy/postgres-init/20-lekdicht-role.sh). */
export const LEKDICHT_ROLE = 'lekdicht';
export const LEKDICHT_DATABASE = 'lekdicht';
const POWERS = ['SUPERUSER', 'CREATEDB', 'CREATEROLE', 'REPLICATION', 'BYPASSRLS'];
/** SQLite paths: under database.engine postgres they are unused, and a reader would think the data is there. */
const SQLITE_PATHS = ['LEKDICHT_REGISTER_PATH', 'LEKDICHT_AUTH_PATH', 'LEKDICHT_INTAKE_PATH'];

const exampleConfig = parse(EXAMPLE_CONFIG_TEXT) as { database?: { urlEnv?: string } };
/** The variable the containers' config reads the connection string from. */
export const DATABASE_URL_ENV = exampleConfig.database?.urlEnv ?? 'LEKDICHT_DATABASE_URL';

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

/** The scripts without comment lines (shell `#` and SQL `--`): a statement only in a comment does nothing. */
function code(scripts: string): string {
  return scripts
    .split('\n')
    .filter((line) => !/^\s*(#|--)/.test(line))
    .join('\n');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What the init scripts must do for one role: create it with LOGIN and none of the powers, never grant it more or
 * another role's membership, set its password from `passwordVar` through psql's \getenv, and create each of its
 * databases owned by it and closed to PUBLIC.
 */
function initRoleProblems(scripts: string, user: string, passwordVar: string, databases: string[]): string[] {
  const problems: string[] = [];
  const sql = code(scripts);
  const name = `"?${user}"?`;
  const role = new RegExp(`CREATE\\s+(?:ROLE|USER)\\s+${name}(?![\\w"])([^;]*);`, 'i').exec(sql);
  if (!role) return [`the init scripts do not create the role ${user}`];
  const attributes = role[1] ?? '';
  if (!/\bLOGIN\b/i.test(attributes) && !/CREATE\s+USER/i.test(role[0]))
    problems.push(`the init scripts create ${user} without LOGIN`);
  for (const power of POWERS) {
    if (!new RegExp(`\\bNO${power}\\b`, 'i').test(attributes))
      problems.push(`the init scripts do not create ${user} with NO${power}`);
    if (new RegExp(`(?<!NO)\\b${power}\\b`, 'i').test(attributes))
      problems.push(`the init scripts give ${user} ${power}`);
  }
  if (new RegExp(`ALTER\\s+(?:ROLE|USER)\\s+${name}(?![\\w"])[^;]*(?<!NO)\\b(${POWERS.join('|')})\\b`, 'i').test(sql))
    problems.push(`the init scripts later give ${user} more powers (ALTER ROLE)`);
  // GRANT <role> TO user (membership, e.g. of the administrator or pg_* roles), as opposed to GRANT ... ON ...
  if (new RegExp(`GRANT\\s+(?![^;]*\\bON\\b)[^;]*\\bTO\\s+${name}(?![\\w"])`, 'i').test(sql))
    problems.push(`the init scripts make ${user} a member of another role`);
  // The password: read from the environment inside psql, never written in the script.
  const password = /PASSWORD\s+(:'(\w+)'|'[^']*'|\S+)/i.exec(attributes);
  const psqlVar = password?.[2];
  if (psqlVar === undefined)
    problems.push(`the init scripts do not set ${user}'s password from a psql variable (PASSWORD :'...')`);
  else if (!new RegExp(`\\\\getenv\\s+${psqlVar}\\s+${passwordVar}\\b`).test(sql))
    problems.push(
      `the init scripts do not read ${user}'s password from ${passwordVar} (\\getenv ${psqlVar} ${passwordVar})`,
    );
  const revoked = [...sql.matchAll(/REVOKE\s+ALL(?:\s+PRIVILEGES)?\s+ON\s+DATABASE\s+([^;]*?)\s+FROM\s+PUBLIC/gi)]
    .flatMap((m) => (m[1] ?? '').split(','))
    .map((db) => db.trim().replace(/"/g, ''));
  for (const db of databases) {
    if (!new RegExp(`CREATE\\s+DATABASE\\s+"?${db}"?(?![\\w"])[^;]*\\bOWNER\\s*=?\\s*${name}(?![\\w"])`, 'i').test(sql))
      problems.push(`the init scripts do not create database ${db} owned by ${user}`);
    if (!revoked.includes(db))
      problems.push(`the init scripts leave database ${db} open to PUBLIC (REVOKE ALL ON DATABASE ${db} FROM PUBLIC)`);
    if (
      new RegExp(`GRANT\\s[^;]*\\bON\\s+DATABASE\\s+[^;]*"?${escape(db)}"?(?![\\w"])[^;]*\\bTO\\s+PUBLIC`, 'i').test(
        sql,
      )
    )
      problems.push(`the init scripts open database ${db} to PUBLIC again (GRANT ... TO PUBLIC)`);
  }
  return problems;
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
  const databases = [temporal.DBNAME ?? 'temporal', temporal.VISIBILITY_DBNAME ?? 'temporal_visibility'];
  return [...problems, ...initRoleProblems(scripts, user, passwordVar, databases)];
}

/** postgresql://user:password@host:port/database, the password possibly a ${VAR:?message}. */
const DATABASE_URL = /^postgres(?:ql)?:\/\/([^:@/]+):(.*)@([^:@/]+):(\d+)\/([^/?#]+)$/;
/** `${VAR}` or `${VAR:?message}` and nothing else: the password comes from outside, with no default. */
const ONE_VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?\?[^}]*)?\}$/;

/**
 * lekdicht's worker and HTTP service keep their stores in PostgreSQL (database.engine postgres, as the tested stack)
 * through a URL for the `lekdicht` role on the `lekdicht` database of the postgresql service: never the
 * administrator or Temporal's role, never Temporal's databases, the password from one variable that only
 * postgresql (to create the role), the worker and the HTTP service receive; no SQLite paths left behind; they wait
 * for the database to be healthy; and the init scripts create that role and database with no more powers.
 */
export function lekdichtDatabaseProblems(doc: Compose, scripts = initScriptsOf(doc)): string[] {
  const problems: string[] = [];
  const pg = environment(doc.services.postgresql);
  const temporal = environment(doc.services.temporal);
  const admin = pg.POSTGRES_USER ?? 'postgres';
  const otherPasswords = new Map<string, string>();
  for (const v of referencedVariables(pg.POSTGRES_PASSWORD)) otherPasswords.set(v, "the administrator's password");
  for (const v of referencedVariables(temporal.POSTGRES_PWD)) otherPasswords.set(v, "Temporal's role's password");
  const passwordVars = new Set<string>();
  for (const name of LEKDICHT_SERVICES) {
    const service = doc.services[name];
    if (!service) {
      problems.push(`no ${name} service`);
      continue;
    }
    const env = environment(service);
    if (env.LEKDICHT_DATABASE_ENGINE !== 'postgres')
      problems.push(
        `${name}: LEKDICHT_DATABASE_ENGINE is "${env.LEKDICHT_DATABASE_ENGINE}", not "postgres" (the tested stack)`,
      );
    for (const key of SQLITE_PATHS)
      if (env[key] !== undefined)
        problems.push(`${name}: sets ${key}, a SQLite file, but its stores are in PostgreSQL`);
    if (dependsOn(service).postgresql !== 'service_healthy')
      problems.push(`${name}: does not wait for postgresql to be healthy, yet opens its stores there at start-up`);
    const url = env[DATABASE_URL_ENV];
    const parts = url === undefined ? null : DATABASE_URL.exec(url);
    if (!parts) {
      problems.push(`${name}: ${DATABASE_URL_ENV} "${url}" is not postgresql://user:password@host:port/database`);
      continue;
    }
    const [, user = '', password = '', host = '', port = '', database = ''] = parts;
    if (user === admin) problems.push(`${name}: connects as ${user}, the database administrator`);
    else if (user === temporal.POSTGRES_USER) problems.push(`${name}: connects as ${user}, Temporal's role`);
    else if (user !== LEKDICHT_ROLE) problems.push(`${name}: connects as ${user}, not as the role ${LEKDICHT_ROLE}`);
    if (database !== LEKDICHT_DATABASE)
      problems.push(`${name}: uses database ${database}, not ${LEKDICHT_DATABASE} (Temporal's are not lekdicht's)`);
    if (host !== 'postgresql' || !('postgresql' in doc.services))
      problems.push(`${name}: ${DATABASE_URL_ENV} names host ${host}, not the postgresql service`);
    if (port !== '5432') problems.push(`${name}: ${DATABASE_URL_ENV} uses port ${port}, not PostgreSQL's 5432`);
    const variable = ONE_VARIABLE.exec(password)?.[1];
    if (variable === undefined) {
      problems.push(`${name}: the password in ${DATABASE_URL_ENV} is not one \${VARIABLE} from the environment`);
      continue;
    }
    const whose = otherPasswords.get(variable);
    if (whose !== undefined) problems.push(`${name}: the password in ${DATABASE_URL_ENV} is ${whose} (${variable})`);
    passwordVars.add(variable);
  }
  if (passwordVars.size > 1)
    problems.push(`worker and http log in as one role with different passwords (${[...passwordVars].join(', ')})`);
  const [passwordVar] = passwordVars;
  if (passwordVar === undefined) return problems;
  if (!receivedVariables(doc.services.postgresql).has(passwordVar))
    problems.push(`postgresql: does not get ${passwordVar}, so its init script cannot create ${LEKDICHT_ROLE}`);
  for (const [name, service] of Object.entries(doc.services)) {
    if (name === 'postgresql' || (LEKDICHT_SERVICES as readonly string[]).includes(name)) continue;
    if (receivedVariables(service).has(passwordVar))
      problems.push(`${name}: gets ${passwordVar}, lekdicht's database password, which it does not use`);
  }
  for (const [name, service] of Object.entries(doc.services))
    if (name !== 'postgresql' && mounts(service).some((m) => m.source === 'postgresql-data'))
      problems.push(`${name}: mounts postgresql-data, the database's files, around every role`);
  return [...problems, ...initRoleProblems(scripts, LEKDICHT_ROLE, passwordVar, [LEKDICHT_DATABASE])];
}
