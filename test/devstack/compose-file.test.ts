import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../domain/config';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { smtpAuth } from '../../config/load';
import { TEMPORAL_SERVER_VERSION } from '../../devstack/temporal-cluster';
import {
  root,
  COMPOSE_TEXT,
  EXAMPLE_CONFIG_TEXT,
  LEKDICHT_SERVICES,
  loadCompose,
  compose,
  environment,
  publishedPorts,
  referencedVariables,
  receivedVariables,
  requiredVariables,
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
  INTAKE_SECRET_VARS,
  secretDistributionProblems,
  smtpSettingsProblems,
  temporalIdentityProblems,
  identityDocumentationProblems,
  readmeVariableProblems,
  configSecretProblems,
} from '../../devstack/compose-check/secrets';
import { hardeningProblems } from '../../devstack/compose-check/containers';
import { initScriptsOf, databaseRoleProblems, lekdichtDatabaseProblems } from '../../devstack/compose-check/databases';

/**
 * The PostgreSQL major of the production-shaped suite: Debian 12's `postgresql` package, which
 * scripts/install-temporal-server installs (test/devstack/postgres-init.test.ts checks the server it runs on).
 */
const TESTED_POSTGRES_MAJOR = 15;

describe('docker-compose.yml', () => {
  it('defines the six services and the one-shot setup service', () => {
    expect(missingServices(compose)).toEqual([]);
  });

  it('pins every image to an explicit version tag', () => {
    expect(unpinnedImages(compose)).toEqual([]);
  });

  it('builds the worker from . with a Dockerfile that runs the compiled worker/main.ts with node as a non-root user', () => {
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
    // Every store is in PostgreSQL: its volume is the only one, so a backup of the database is a backup of all.
    expect(Object.keys(compose.volumes ?? {})).toEqual(['postgresql-data']);
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
      "http: no mail credentials, and no administrator's or Temporal's database password",
    ).toEqual([]);
    for (const name of ['worker', 'http'])
      expect(received(name), `${name}: lekdicht's own database password`).toContain('LEKDICHT_DB_PASSWORD');
    for (const name of Object.keys(compose.services).filter((n) => !['postgresql', 'worker', 'http'].includes(n)))
      expect(received(name), `${name}: not lekdicht's database password`).not.toContain('LEKDICHT_DB_PASSWORD');
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

  it("keeps lekdicht's stores in PostgreSQL as its own role, on its own database, as the tested stack does", () => {
    expect(lekdichtDatabaseProblems(compose)).toEqual([]);
    expect(initScriptsOf(compose), 'the init script is found').toContain('CREATE ROLE lekdicht');
  });

  it('runs PostgreSQL at the major and Temporal at the version the production-shaped suite tests', () => {
    expect(compose.services.postgresql?.image).toBe(`postgres:${TESTED_POSTGRES_MAJOR}`);
    expect(compose.services.temporal?.image).toBe(`temporalio/auto-setup:${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}`);
    expect(environment(compose.services.temporal).DB).toBe('postgres12');
    // auto-setup's default would be 24h; closed breaches' histories stay 30 days for debugging (docs/operations.md).
    expect(environment(compose.services.temporal).DEFAULT_NAMESPACE_RETENTION).toBe('720h');
  });

  it('lets the worker scale: docker compose up --scale worker=2', () => {
    expect(scalableWorkerProblems(compose)).toEqual([]);
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
        'LEKDICHT_DB_PASSWORD',
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
