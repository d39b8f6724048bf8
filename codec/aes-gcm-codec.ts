import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { CodecKey } from './keys';
import { REFUSED_MARKER } from '../domain/refused';

export const ENCODING_KEY = 'encoding';
/** The encoding of an encrypted payload; anything else passes decode untouched. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_KEY = 'encryption-key-id';
export const CIPHER_KEY = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of the plaintext: lets a later format be told apart from this one. */
const FORMAT_V1 = 1;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Thrown for payloads that cannot be decrypted; the message names the key id, never content. */
export class CodecError extends Error {
  override name = 'CodecError';
}

/**
 * AES-256-GCM over the whole inner payload (metadata and data), so the server sees neither the JSON nor its
 * encoding. The key id travels in clear metadata (it is no secret) and is authenticated as associated data,
 * so relabelling a payload with another key id fails like any other tampering.
 */
export class AesGcmCodec implements PayloadCodec {
  private readonly byId: ReadonlyMap<string, Buffer>;
  private readonly current: CodecKey;

  /** @param keys the key ring, oldest first: the last key encrypts, every key decrypts. */
  constructor(keys: readonly CodecKey[]) {
    const newest = keys.at(-1);
    if (!newest) throw new CodecError('the codec key ring is empty');
    this.current = newest;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The key id new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(utf8.encode(id));
    const body = Buffer.concat([cipher.update(serialize(payload)), cipher.final()]);
    return {
      metadata: {
        [ENCODING_KEY]: utf8.encode(ENCRYPTED_ENCODING),
        [KEY_ID_KEY]: utf8.encode(id),
        [CIPHER_KEY]: utf8.encode(CIPHER),
      },
      data: Buffer.concat([iv, body, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const idBytes = payload.metadata?.[KEY_ID_KEY];
    if (!idBytes) throw new CodecError(`an encrypted payload carries no ${KEY_ID_KEY}`);
    const id = fromUtf8.decode(idBytes);
    const key = this.byId.get(id);
    if (!key)
      throw new CodecError(
        `payload encrypted with codec key id "${id}", which is not in the key ring (add it to LEKDICHT_CODEC_KEYS or the key file)`,
      );
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new CodecError(`an encrypted payload (key id "${id}") is too short`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(utf8.encode(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new CodecError(
        `an encrypted payload (key id "${id}") failed authentication: it was altered or the key with that id is not the one it was written with`,
      );
    }
    return deserialize(plain, id);
  }
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.[ENCODING_KEY];
  return encoding !== undefined && encoding !== null && fromUtf8.decode(encoding) === ENCRYPTED_ENCODING;
}

/*
 * The inner payload as bytes: version, metadata entries (u16 count; per entry u16 key length, key, u32 value
 * length, value), then the data. Our own small format rather than the Payload protobuf, because
 * @temporalio/proto is not a direct dependency; only this codec ever reads it.
 */
function serialize(payload: Payload): Buffer {
  const entries = Object.entries(payload.metadata ?? {}).filter(
    (e): e is [string, Uint8Array] => e[1] !== null && e[1] !== undefined,
  );
  const parts: Buffer[] = [Buffer.from([FORMAT_V1]), u16(entries.length)];
  for (const [name, value] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    parts.push(u16(nameBytes.length), nameBytes, u32(value.length), Buffer.from(value));
  }
  parts.push(Buffer.from(payload.data ?? new Uint8Array()));
  return Buffer.concat(parts);
}

function deserialize(bytes: Buffer, id: string): Payload {
  const broken = () => new CodecError(`an encrypted payload (key id "${id}") decrypted to an unknown format`);
  if (bytes[0] !== FORMAT_V1 || bytes.length < 3) throw broken();
  let at = 1;
  const take = (n: number) => {
    if (at + n > bytes.length) throw broken();
    const slice = bytes.subarray(at, at + n);
    at += n;
    return slice;
  };
  const count = take(2).readUInt16BE(0);
  const metadata: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) {
    const name = take(take(2).readUInt16BE(0)).toString('utf8');
    metadata[name] = new Uint8Array(take(take(4).readUInt32BE(0)));
  }
  return { metadata, data: new Uint8Array(bytes.subarray(at)) };
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** What a refused payload becomes on the worker: data no workflow accepts (workflows/interceptors.ts refuses it). */
const REFUSED_PAYLOAD: Payload = {
  metadata: { [ENCODING_KEY]: utf8.encode('json/plain') },
  data: utf8.encode(JSON.stringify(REFUSED_MARKER)),
};

/**
 * The worker's gate: only holders of the payload keys may speak to a workflow. Placed last in the worker's codec
 * chain, so it decodes first and sees each payload as the server holds it; one that is not encrypted is replaced by
 * REFUSED_MARKER instead of reaching workflow code as data. It does not throw: a payload that fails decoding fails
 * the workflow task, which is retried forever, so one plaintext signal would stall the breach. Encoding is untouched.
 */
export class RefusePlaintextCodec implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? payload : REFUSED_PAYLOAD));
  }
}
