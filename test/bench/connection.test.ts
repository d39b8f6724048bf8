import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectionOptionsOf } from '../../bench/workers';

describe("the bench's connection to TEMPORAL_ADDRESS", () => {
  afterEach(() => vi.unstubAllEnvs());

  it('follows the env-config conventions (API key, TLS, namespace) as lekdicht does, for a cluster or Temporal Cloud', () => {
    vi.stubEnv('TEMPORAL_ADDRESS', 'bench.a1b2c.tmprl.cloud:7233');
    vi.stubEnv('TEMPORAL_NAMESPACE', 'bench.a1b2c');
    vi.stubEnv('TEMPORAL_API_KEY', 'bench-api-key');
    const options = connectionOptionsOf({ address: 'bench.a1b2c.tmprl.cloud:7233', external: true });
    expect(options.address).toBe('bench.a1b2c.tmprl.cloud:7233');
    expect(options.apiKey).toBe('bench-api-key');
    // An API key means TLS, as the SDK's env config has it.
    expect(options.tls).toBeTruthy();
  });

  it("takes the bench's own dev server by its plain address", () => {
    vi.stubEnv('TEMPORAL_API_KEY', 'not-for-the-dev-server');
    expect(connectionOptionsOf({ address: '127.0.0.1:45678' })).toEqual({ address: '127.0.0.1:45678' });
  });
});
