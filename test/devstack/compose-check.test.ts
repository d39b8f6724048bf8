import { describe, expect, it } from 'vitest';
import {
  COMPOSE_TEXT,
  DOCKERFILE_TEXT,
  README_TEXT,
  LEKDICHT_SERVICES,
  type Service,
  type Compose,
  loadCompose,
  compose,
  environment,
  commandText,
  dockerfileCmd,
  dockerfileUser,
  mounts,
  serviceSource,
  withOptionalSettings,
} from '../../devstack/compose-check/compose-file';
import {
  EXPECTED_SEARCH_ATTRIBUTES,
  missingServices,
  unpinnedImages,
  workerBuildProblems,
  portProblems,
  wiringProblems,
  registeredSearchAttributes,
  dependencyProblems,
  startOrderProblems,
  scalableWorkerProblems,
  undeclaredVolumes,
} from '../../devstack/compose-check/stack';
import {
  hardCodedSecrets,
  secretDistributionProblems,
  smtpSettingsProblems,
  temporalIdentityProblems,
  identityDocumentationProblems,
  readmeVariableProblems,
  configSecretProblems,
} from '../../devstack/compose-check/secrets';
import { hardeningProblems } from '../../devstack/compose-check/containers';
import { initScriptsOf, databaseRoleProblems, lekdichtDatabaseProblems } from '../../devstack/compose-check/databases';

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
    expect(
      undeclaredVolumes(broken((d) => delete (d.volumes as Record<string, unknown>)['postgresql-data'])),
    ).not.toEqual([]);
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
    ['temporal', 'LEKDICHT_DB_PASSWORD', '${LEKDICHT_DB_PASSWORD:?x}'],
    ['temporal-ui', 'DB_URL', 'postgresql://lekdicht:${LEKDICHT_DB_PASSWORD:?x}@postgresql:5432/lekdicht'],
    ['mailpit', 'LEKDICHT_DB_PASSWORD', undefined],
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
    expect(secretDistributionProblems(withoutEnv('postgresql', 'LEKDICHT_DB_PASSWORD'))).not.toEqual([]);
    expect(secretDistributionProblems(withoutEnv('http', 'LEKDICHT_DATABASE_URL'))).not.toEqual([]);
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
      // The image's CMD runs node; a command through npx needs npm's cache on the tmpfs (the http service's does).
      'npx, with the npm cache on the read-only filesystem',
      (s) => {
        s.command = ['npx', 'tsx', 'worker/main.ts'];
        s.environment = Object.fromEntries(Object.entries(environment(s)).filter(([k]) => k !== 'NPM_CONFIG_CACHE'));
      },
    ],
  ])('a lekdicht container with %s', (_what, edit) => {
    for (const name of LEKDICHT_SERVICES)
      expect(hardeningProblems(broken((d) => edit(svc(d, name)))), name).not.toEqual([]);
  });

  it('an image whose volume directories are root-owned, or that runs as root', () => {
    // The stores are in PostgreSQL now; a volume added back must still be the unprivileged user's.
    const withVolume = (target: string) => broken((d) => (svc(d, 'http').volumes = [`http-files:${target}`]));
    expect(hardeningProblems(withVolume('/auth'))).toEqual([]);
    expect(hardeningProblems(withVolume('/auth'), DOCKERFILE_TEXT.replace(/ \/auth\b/g, ''))).not.toEqual([]);
    expect(
      hardeningProblems(withVolume('/data'), DOCKERFILE_TEXT.replace(/chown node:node \/data/, 'chown node:node /srv')),
    ).not.toEqual([]);
    expect(
      hardeningProblems(
        broken((d) => delete svc(d, 'worker').user),
        `${DOCKERFILE_TEXT}\nUSER root\n`,
      ),
    ).not.toEqual([]);
  });

  it.each<[string, string, string | undefined]>([
    ['worker', 'LEKDICHT_DATABASE_ENGINE', undefined],
    ['http', 'LEKDICHT_DATABASE_ENGINE', 'sqlite'],
    ['worker', 'LEKDICHT_DATABASE_URL', undefined],
    ['http', 'LEKDICHT_DATABASE_URL', 'postgresql://postgres:${POSTGRES_PASSWORD:?x}@postgresql:5432/lekdicht'],
    ['worker', 'LEKDICHT_DATABASE_URL', 'postgresql://temporal:${TEMPORAL_DB_PASSWORD:?x}@postgresql:5432/temporal'],
    ['http', 'LEKDICHT_DATABASE_URL', 'postgresql://lekdicht:${LEKDICHT_DB_PASSWORD:?x}@postgresql:5432/temporal'],
    ['worker', 'LEKDICHT_DATABASE_URL', 'postgresql://lekdicht:hunter2@postgresql:5432/lekdicht'],
    ['worker', 'LEKDICHT_DATABASE_URL', 'postgresql://lekdicht:${LEKDICHT_DB_PASSWORD:-dev}@postgresql:5432/lekdicht'],
    ['http', 'LEKDICHT_DATABASE_URL', 'postgresql://lekdicht:${TEMPORAL_DB_PASSWORD:?x}@postgresql:5432/lekdicht'],
    [
      'worker',
      'LEKDICHT_DATABASE_URL',
      'postgresql://lekdicht:${LEKDICHT_DB_PASSWORD:?x}@db.example.org:5432/lekdicht',
    ],
    ['http', 'LEKDICHT_DATABASE_URL', 'postgresql://lekdicht:${LEKDICHT_HTTP_DB_PASSWORD:?x}@postgresql:5432/lekdicht'],
    ['worker', 'LEKDICHT_REGISTER_PATH', '/data/register.db'],
    ['http', 'LEKDICHT_AUTH_PATH', '/auth/auth.db'],
    ['temporal-ui', 'PGPASSWORD', '${LEKDICHT_DB_PASSWORD:?x}'],
  ])("lekdicht's stores not on its own role and database: %s %s=%s", (name, key, value) => {
    const doc = value === undefined ? withoutEnv(name, key) : withEnv(name, { [key]: value });
    expect(lekdichtDatabaseProblems(doc)).not.toEqual([]);
  });

  it("lekdicht's services that do not wait for the database, or a service that mounts its files", () => {
    for (const name of LEKDICHT_SERVICES) {
      const doc = broken(
        (d) => (svc(d, name).depends_on = { 'temporal-setup': { condition: 'service_completed_successfully' } }),
      );
      expect(lekdichtDatabaseProblems(doc), name).not.toEqual([]);
    }
    expect(
      lekdichtDatabaseProblems(
        broken((d) => (svc(d, 'http').volumes = ['postgresql-data:/var/lib/postgresql/data:ro'])),
      ),
    ).not.toEqual([]);
    expect(lekdichtDatabaseProblems(withoutEnv('postgresql', 'LEKDICHT_DB_PASSWORD'))).not.toEqual([]);
  });

  it.each([
    ['superuser', (t: string) => t.replace(/(lekdicht LOGIN )NOSUPERUSER/, '$1SUPERUSER')],
    ['createdb', (t: string) => t.replace(/(lekdicht LOGIN .*)NOCREATEDB/, '$1CREATEDB')],
    ['createrole left at its default', (t: string) => t.replace(/(lekdicht LOGIN .*)NOCREATEROLE/, '$1')],
    ['no login', (t: string) => t.replace('lekdicht LOGIN', 'lekdicht')],
    ['a literal password', (t: string) => t.replace(":'lekdicht_db_password'", "'hunter2'")],
    [
      "Temporal's password",
      (t: string) =>
        t.replace(
          '\\getenv lekdicht_db_password LEKDICHT_DB_PASSWORD',
          '\\getenv lekdicht_db_password TEMPORAL_DB_PASSWORD',
        ),
    ],
    ['no database', (t: string) => t.replace(/^CREATE DATABASE lekdicht .*$/m, '')],
    [
      'a database owned by the administrator',
      (t: string) => t.replace('CREATE DATABASE lekdicht OWNER lekdicht', 'CREATE DATABASE lekdicht OWNER postgres'),
    ],
    ['a database left open to PUBLIC', (t: string) => t.replace(/^REVOKE ALL ON DATABASE lekdicht FROM PUBLIC;$/m, '')],
    ['a database opened again', (t: string) => `${t}\nGRANT CONNECT ON DATABASE lekdicht TO PUBLIC;\n`],
    ['powers added later', (t: string) => `${t}\nALTER ROLE lekdicht CREATEROLE;\n`],
    ["membership of Temporal's role", (t: string) => `${t}\nGRANT temporal TO lekdicht;\n`],
    ['the role only in a comment', (t: string) => t.replace(/^CREATE ROLE lekdicht/m, '-- CREATE ROLE lekdicht')],
  ])("an init script that creates lekdicht's role with %s", (_what, edit) => {
    const script = initScriptsOf(compose);
    expect(edit(script)).not.toEqual(script);
    expect(lekdichtDatabaseProblems(compose, edit(script))).not.toEqual([]);
    expect(databaseRoleProblems(compose, edit(script)), "Temporal's role is untouched").toEqual([]);
  });

  it.each<[string, (s: Service) => void]>([
    ['a container_name', (s) => (s.container_name = 'lekdicht-worker')],
    ['a hostname', (s) => (s.hostname = 'worker')],
    ['a published host port', (s) => (s.ports = ['127.0.0.1:9464:9464'])],
    ['a writable volume', (s) => (s.volumes = ['worker-data:/data'])],
  ])('a worker that cannot be scaled: %s', (_what, edit) => {
    expect(scalableWorkerProblems(broken((d) => edit(svc(d, 'worker'))))).not.toEqual([]);
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
