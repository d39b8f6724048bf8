import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../domain/duration';

const HOUR = 3_600_000;

describe('durations in the config', () => {
  it('parses units and refuses prose', () => {
    expect(parseDuration('72h')).toBe(72 * HOUR);
    expect(parseDuration('14d')).toBe(14 * 24 * HOUR);
    expect(parseDuration('1.5h')).toBe(1.5 * HOUR);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('4 hours')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});
