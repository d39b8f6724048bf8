import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../domain/config';
import { ConfigError } from '../../config/load';
import { ACT_SIGNING_KEY_ENV, parseSigningKey } from '../shared/act-signing';

export const SESSION_SECRET_ENV = 'LEKDICHT_SESSION_SECRET';
const MIN_SECRET_LENGTH = 32;

export interface HttpSecrets {
  /** Signs session cookies and keys the pseudonyms in logs. */
  sessionSecret: string;
  /** Per intake source (config intake.sources), the secret it signs with. */
  intake: Record<string, string>;
  oidcClientSecret?: string;
  /** Signs each act for the person authenticated here (client/shared/act-signing.ts): 32 bytes as 64 hex digits. */
  actSigningKey: string;
}

export interface ResolvedSecrets {
  secrets: HttpSecrets;
  /** Development secrets generated into (or read from) files, by what they are for; empty with real secrets. */
  devFiles: { name: string; env: string; file: string }[];
}

/**
 * Secrets come from the environment only. For `npm start` on a laptop, `devDir` stands in: what the environment
 * lacks is generated once into a file there (readable by its owner only) and reused on the next start.
 */
export function resolveSecrets(config: Config, env: NodeJS.ProcessEnv, devDir?: string): ResolvedSecrets {
  const devFiles: ResolvedSecrets['devFiles'] = [];
  const take = (name: string, envName: string): string => {
    const value = env[envName];
    if (value !== undefined && value !== '') {
      if (value.length < MIN_SECRET_LENGTH)
        throw new ConfigError(`${envName}: the ${name} secret is shorter than ${MIN_SECRET_LENGTH} characters`);
      return value;
    }
    if (devDir === undefined)
      throw new ConfigError(`${envName}: is not set; the ${name} secret comes from the environment`);
    const file = join(devDir, envName.toLowerCase());
    if (!existsSync(file)) {
      mkdirSync(devDir, { recursive: true, mode: 0o700 });
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    }
    devFiles.push({ name, env: envName, file });
    return readFileSync(file, 'utf8').trim();
  };
  const sessionSecret = take('session', SESSION_SECRET_ENV);
  const actSigningKey = take('act signing', ACT_SIGNING_KEY_ENV);
  parseSigningKey(actSigningKey, ACT_SIGNING_KEY_ENV);
  const intake = Object.fromEntries(
    Object.entries(config.intake.sources).map(([source, { secretEnv }]) => [
      source,
      take(`intake ${source}`, secretEnv),
    ]),
  );
  const oidcEnv = config.auth.method === 'oidc' ? config.auth.oidc?.clientSecretEnv : undefined;
  const oidcClientSecret = oidcEnv ? env[oidcEnv] : undefined;
  if (oidcEnv && !oidcClientSecret)
    throw new ConfigError(`${oidcEnv}: is not set; auth.oidc.clientSecretEnv names it for the OIDC client secret`);
  return {
    secrets: { sessionSecret, intake, actSigningKey, ...(oidcClientSecret ? { oidcClientSecret } : {}) },
    devFiles,
  };
}
