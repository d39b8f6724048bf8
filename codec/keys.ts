import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { packageRoot } from './package-root';

export const CODEC_KEYS_ENV = 'LEKDICHT_CODEC_KEYS';
export const CODEC_KEY_FILE_ENV = 'LEKDICHT_CODEC_KEY_FILE';
/** The development key file's name in data/dev-secrets/, beside the other development secrets. */
export const DEV_KEY_FILE_NAME = 'lekdicht_codec_keys';

const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Sources or dist/: the key file check compares with the repository itself (package-root.ts). */
const REPO_ROOT = packageRoot(import.meta.url);

export interface CodecKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  /** Oldest first; the last one encrypts. */
  keys: CodecKey[];
  /** Where they came from, for start-up messages (never the keys themselves). */
  source: string;
}

/** A configuration problem with the keys; messages name the variable, file or key id, never key material. */
export class CodecKeyError extends Error {
  override name = 'CodecKeyError';
}

/**
 * `id:key` entries separated by commas or newlines, oldest first; a key is 32 bytes as base64 or 64 hex
 * digits; `#` starts a comment. Rotation is appending a new entry: it encrypts from then on, the older ones
 * keep decrypting what they wrote.
 */
export function parseKeyRing(text: string, source: string): CodecKey[] {
  const entries = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, ''))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0)
    throw new CodecKeyError(
      `${source}: holds no codec keys; expected id:key entries, e.g. 2026-01:<32 bytes as base64>`,
    );
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon).trim();
    const encoded = colon < 0 ? entry : entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id))
      throw new CodecKeyError(
        `${source}: entry ${index + 1} has no valid key id before the colon (letters, digits, . _ -; at most 64)`,
      );
    if (seen.has(id)) throw new CodecKeyError(`${source}: key id "${id}" appears twice`);
    seen.add(id);
    const key = /^[0-9a-fA-F]{64}$/.test(encoded) ? Buffer.from(encoded, 'hex') : decodeBase64(encoded);
    if (key?.length !== KEY_BYTES)
      throw new CodecKeyError(`${source}: key "${id}" is not ${KEY_BYTES} bytes (AES-256) as base64 or 64 hex digits`);
    return { id, key };
  });
}

function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
}

export interface LoadKeyRingOptions {
  /** `npm start` and the CLI against the embedded server: a key file generated here when none is configured. */
  devKeyFile?: string;
  /** Create the development key file when it does not exist (npm start); otherwise it is only read (CLI). */
  createDevKey?: boolean;
  /** Key files inside it are refused, except under its data/ folder (ignored by git). For tests. */
  repoRoot?: string;
}

/** The key ring from LEKDICHT_CODEC_KEYS, else LEKDICHT_CODEC_KEY_FILE, else the development key file. */
export function loadKeyRing(env: NodeJS.ProcessEnv = process.env, options: LoadKeyRingOptions = {}): KeyRing {
  const inline = env[CODEC_KEYS_ENV];
  if (inline !== undefined && inline.trim() !== '')
    return { keys: parseKeyRing(inline, CODEC_KEYS_ENV), source: CODEC_KEYS_ENV };
  const file = env[CODEC_KEY_FILE_ENV];
  if (file !== undefined && file.trim() !== '')
    return { keys: readKeyFile(file, CODEC_KEY_FILE_ENV, options.repoRoot), source: `${CODEC_KEY_FILE_ENV} (${file})` };
  const dev = options.devKeyFile;
  if (dev !== undefined) {
    if (!existsSync(dev) && options.createDevKey) writeDevKeyFile(dev);
    if (existsSync(dev))
      return {
        keys: readKeyFile(dev, 'the development key file', options.repoRoot),
        source: `development key file ${dev}`,
      };
  }
  throw new CodecKeyError(
    `${CODEC_KEYS_ENV}: is not set, nor ${CODEC_KEY_FILE_ENV}; payloads are encrypted, so the codec keys come from the environment ` +
      `(generate one with: node -e "console.log('k1:'+require('crypto').randomBytes(32).toString('base64'))")`,
  );
}

function readKeyFile(file: string, what: string, repoRoot = REPO_ROOT): CodecKey[] {
  const path = resolve(file);
  if (!existsSync(path)) throw new CodecKeyError(`${what}: ${path} does not exist`);
  const real = realpathSync(path);
  const inRepo = within(realpathSync(repoRoot), real);
  // data/ is ignored by git and is where npm start keeps its development secrets; anything else in the
  // working tree could end up in a commit.
  if (inRepo !== undefined && !inRepo.startsWith(`data${sep}`)) {
    throw new CodecKeyError(
      `${what}: ${path} lies inside the repository; codec keys must never be stored there (keep them outside it, or in the environment)`,
    );
  }
  const mode = statSync(real).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new CodecKeyError(
      `${what}: ${path} is readable by others (mode ${(mode & 0o777).toString(8)}); make it readable by its owner only (chmod 600)`,
    );
  }
  return parseKeyRing(readFileSync(real, 'utf8'), `${what} ${path}`);
}

/** The path of `child` relative to `root` when it lies inside it. */
function within(root: string, child: string): string | undefined {
  const rel = relative(root, child);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel) ? rel : undefined;
}

/** One fresh key, readable by its owner only; its id is the date, so a later rotation sorts after it. */
export function writeDevKeyFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const id = `dev-${new Date().toISOString().slice(0, 10)}`;
  writeFileSync(
    file,
    `# lekdicht development codec keys, oldest first; generated by npm start. Never commit.\n${id}:${randomBytes(KEY_BYTES).toString('base64')}\n`,
    {
      mode: 0o600,
      flag: 'wx',
    },
  );
}

/** A random key ring entry, e.g. for a test run: `id:base64`. */
export function generateKeyEntry(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

export const devKeyFileIn = (devSecretsDir: string) => join(devSecretsDir, DEV_KEY_FILE_NAME);
