/**
 * What the worker's codec puts in place of a payload that was not encrypted with lekdicht's payload keys
 * (codec/aes-gcm-codec.ts RefusePlaintextCodec); workflows/interceptors.ts refuses any message carrying it.
 */
export const REFUSED_MARKER = { lekdichtRefused: 'unencrypted' } as const;

/** The message an update carrying a refused payload is rejected with. */
export const REFUSED_MESSAGE = "refused: not encrypted with lekdicht's payload keys";

export function isRefusedMarker(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as Record<string, unknown>).lekdichtRefused === REFUSED_MARKER.lekdichtRefused
  );
}
