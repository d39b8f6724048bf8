import { parse } from 'yaml';
import {
  EXAMPLE_CONFIG_TEXT,
  README_TEXT,
  LEKDICHT_SERVICES,
  type Compose,
  environment,
  referencedVariables,
  receivedVariables,
  requiredVariables,
  serviceSource,
} from './compose-file';

/** Checks of the secrets: none written in a file, each only where a component needs it, documented where required. */

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

export function hardCodedSecrets(doc: Compose): string[] {
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

const exampleConfig = parse(EXAMPLE_CONFIG_TEXT) as {
  intake?: { sources?: Record<string, { secretEnv?: string }> };
  tickets?: { tokenEnv?: string };
  auth?: { oidc?: { clientSecretEnv?: string } };
};
/** The environment variables that hold the intake sources' secrets in the config the containers use. */
export const INTAKE_SECRET_VARS = Object.values(exampleConfig.intake?.sources ?? {}).flatMap((s) =>
  s.secretEnv ? [s.secretEnv] : [],
);

/**
 * Who may receive each secret, by the variable that holds it. The reasons are the README's "Least privilege" table:
 * the administrator's password stays in the database container; Temporal's own role password goes to the database
 * (to create the role) and to Temporal; lekdicht's role password to the database (to create the role), the worker
 * and the HTTP service; the codec keys to both lekdicht components, which both read and write
 * payloads; the session, intake and OIDC secrets to the HTTP service that checks them; the SMTP login and the
 * ticket token to the worker, whose activities send mail and open tickets; each Temporal identity to its component.
 */
const SECRET_HOLDERS: Record<string, readonly string[]> = {
  POSTGRES_PASSWORD: ['postgresql'],
  TEMPORAL_DB_PASSWORD: ['postgresql', 'temporal'],
  // lekdicht's own database role: the database creates it, the worker and the HTTP service log in with it.
  LEKDICHT_DB_PASSWORD: ['postgresql', 'worker', 'http'],
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
  postgresql: ['POSTGRES_PASSWORD', 'TEMPORAL_DB_PASSWORD', 'LEKDICHT_DB_PASSWORD'],
  temporal: ['TEMPORAL_DB_PASSWORD'],
  worker: ['LEKDICHT_CODEC_KEYS', 'LEKDICHT_DB_PASSWORD'],
  http: [
    'LEKDICHT_CODEC_KEYS',
    'LEKDICHT_DB_PASSWORD',
    'LEKDICHT_SESSION_SECRET',
    'LEKDICHT_ACT_SIGNING_KEY',
    ...INTAKE_SECRET_VARS,
  ],
};

/** Every secret only where SECRET_HOLDERS allows it, no secret SECRET_HOLDERS does not know, and no env_file. */
export function secretDistributionProblems(doc: Compose): string[] {
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
export function smtpSettingsProblems(doc: Compose): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    if (name === 'worker') continue;
    for (const variable of receivedVariables(service))
      if (/^LEKDICHT_SMTP_/.test(variable)) problems.push(`${name}: gets ${variable}, but only the worker sends mail`);
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
export function temporalIdentityProblems(doc: Compose): string[] {
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

/** The per-component Temporal identity is shown in the file, for each of the worker and the HTTP service. */
export function identityDocumentationProblems(text: string): string[] {
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
export function readmeVariableProblems(doc: Compose, readme = README_TEXT): string[] {
  const start = readme.indexOf('\n## Docker');
  const end = readme.indexOf('\n## ', start + 1);
  const section = start < 0 ? '' : readme.slice(start, end < 0 ? undefined : end);
  if (section === '') return ['README.md has no "## Docker" section'];
  return requiredVariables(doc)
    .filter((v) => !section.includes(`\`${v}\``))
    .map((v) => `README.md's Docker section does not name ${v}, which docker compose up requires`);
}

/** A config file names the environment variables that hold secrets (…Env keys), and holds none itself. */
export function configSecretProblems(doc: unknown, path = ''): string[] {
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
