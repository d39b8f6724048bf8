import { describe, expect, it } from 'vitest';
import { ConfigError, EXAMPLE_CONFIG, loadConfig } from '../../config/load';
import { parseBindAddress } from '../../domain/operations-config';

describe('operations config: off unless set, environment over file (docs/operations.md)', () => {
  it('opens no listener and sends no span by default: text logs, no addresses, no endpoint', () => {
    expect(loadConfig({}, EXAMPLE_CONFIG).operations).toEqual({ logFormat: 'text' });
  });

  it('takes every key from its environment variable', () => {
    const { operations } = loadConfig(
      {
        LEKDICHT_LOG_FORMAT: 'json',
        LEKDICHT_WORKER_METRICS_ADDRESS: '127.0.0.1:9464',
        LEKDICHT_WORKER_HEALTH_ADDRESS: '[::1]:9465',
        LEKDICHT_HTTP_METRICS_ADDRESS: '0.0.0.0:9466',
        LEKDICHT_OTLP_ENDPOINT: 'http://127.0.0.1:4318/v1/traces',
      },
      EXAMPLE_CONFIG,
    );
    expect(operations).toEqual({
      logFormat: 'json',
      workerMetricsAddress: '127.0.0.1:9464',
      workerHealthAddress: '[::1]:9465',
      httpMetricsAddress: '0.0.0.0:9466',
      otlpEndpoint: 'http://127.0.0.1:4318/v1/traces',
    });
    expect(parseBindAddress('[::1]:9465')).toEqual({ host: '::1', port: 9465 });
  });

  it.each([
    ['LEKDICHT_LOG_FORMAT', 'yaml', /operations\.logFormat/],
    ['LEKDICHT_WORKER_METRICS_ADDRESS', '9464', /operations\.workerMetricsAddress: must be host:port/],
    ['LEKDICHT_HTTP_METRICS_ADDRESS', '127.0.0.1:0', /operations\.httpMetricsAddress: must have a port/],
    ['LEKDICHT_OTLP_ENDPOINT', 'grpc://collector:4317', /operations\.otlpEndpoint: must be an http\(s\) URL/],
  ])('refuses %s=%s, naming the key', (name, value, message) => {
    expect(() => loadConfig({ [name]: value }, EXAMPLE_CONFIG)).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value }, EXAMPLE_CONFIG)).toThrow(message);
  });
});
