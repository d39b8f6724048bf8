import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec, RefusePlaintextCodec } from './aes-gcm-codec';
import { devKeyFileIn, loadKeyRing, type KeyRing, type LoadKeyRingOptions } from './keys';

/**
 * The failure converter with encodeCommonAttributes; give it to bundleWorkflowCode when building a bundle
 * yourself, so workflow failures are encoded inside the sandbox too.
 */
export const failureConverterPath = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

export interface LekdichtDataConverter {
  dataConverter: DataConverter;
  codec: AesGcmCodec;
  /** Where the keys came from, for start-up lines. */
  keySource: string;
}

/** The one DataConverter of lekdicht, for every Client, Worker and test environment. */
export function dataConverterFromKeys(ring: KeyRing): LekdichtDataConverter {
  const codec = new AesGcmCodec(ring.keys);
  return { dataConverter: { payloadCodecs: [codec], failureConverterPath }, codec, keySource: ring.source };
}

/** Keys from LEKDICHT_CODEC_KEYS or LEKDICHT_CODEC_KEY_FILE (see codec/keys.ts); throws CodecKeyError without. */
export function dataConverterFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadKeyRingOptions = {},
): LekdichtDataConverter {
  return dataConverterFromKeys(loadKeyRing(env, options));
}

/** Where `npm start` keeps its development key: <LEKDICHT_DATA_DIR or ./data>/dev-secrets/. */
export function devKeyFileFor(env: NodeJS.ProcessEnv = process.env): string {
  return devKeyFileIn(join(resolve(env.LEKDICHT_DATA_DIR ?? 'data'), 'dev-secrets'));
}

/**
 * For the CLI, `npm run worker` and `npm run http`: the keys from the environment; against the embedded server
 * of `npm start` (no TEMPORAL_ADDRESS) also the development key file it generated, never a new one.
 */
export function dataConverterForProcess(env: NodeJS.ProcessEnv = process.env): LekdichtDataConverter {
  return dataConverterFromEnv(env, env.TEMPORAL_ADDRESS ? {} : { devKeyFile: devKeyFileFor(env) });
}

/**
 * The worker's converter: the same codec, and plaintext refused (codec/aes-gcm-codec.ts RefusePlaintextCodec).
 * Only when it encrypts: a converter without keys (recording replay fixtures) stays as it is. Clients (CLI, HTTP
 * service) keep the permissive one, so they can still read what is already in a history.
 */
export function strictForWorker(converter: DataConverter): DataConverter {
  const codecs = converter.payloadCodecs ?? [];
  if (!codecs.some((c) => c instanceof AesGcmCodec)) return converter;
  if (codecs.some((c) => c instanceof RefusePlaintextCodec)) return converter;
  // Decoding runs the chain from the end: this one sees the payloads first, as the server holds them.
  return { ...converter, payloadCodecs: [...codecs, new RefusePlaintextCodec()] };
}
