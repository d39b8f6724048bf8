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

  it('takes the worker tuning from the environment; unset, the SDK defaults stay', () => {
    const { operations } = loadConfig(
      {
        LEKDICHT_MAX_CACHED_WORKFLOWS: '500',
        LEKDICHT_MAX_CONCURRENT_WORKFLOW_TASKS: '40',
        LEKDICHT_MAX_CONCURRENT_ACTIVITIES: '20',
        LEKDICHT_REUSE_V8_CONTEXT: 'false',
        LEKDICHT_WORKFLOW_THREADS: '2',
        LEKDICHT_WORKFLOW_BUNDLE: 'dist/workflow-bundle.js',
      },
      EXAMPLE_CONFIG,
    );
    expect(operations).toEqual({
      logFormat: 'text',
      maxCachedWorkflows: 500,
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentActivityTaskExecutions: 20,
      reuseV8Context: false,
      workflowThreads: 2,
      workflowBundle: 'dist/workflow-bundle.js',
    });
  });

  it.each([
    [{ LEKDICHT_MAX_CACHED_WORKFLOWS: 'many' }, /operations\.maxCachedWorkflows/],
    [{ LEKDICHT_MAX_CONCURRENT_ACTIVITIES: '0' }, /operations\.maxConcurrentActivityTaskExecutions: must be 1 or more/],
    [{ LEKDICHT_REUSE_V8_CONTEXT: 'sometimes' }, /operations\.reuseV8Context/],
    [{ LEKDICHT_WORKFLOW_THREADS: '0' }, /operations\.workflowThreads: must be 1 or more/],
    [{ LEKDICHT_WORKFLOW_THREADS: 'two' }, /operations\.workflowThreads/],
    [
      { LEKDICHT_MAX_CACHED_WORKFLOWS: '10', LEKDICHT_MAX_CONCURRENT_WORKFLOW_TASKS: '20' },
      /operations\.maxConcurrentWorkflowTaskExecutions: must not exceed operations\.maxCachedWorkflows/,
    ],
  ])('refuses worker tuning %o, naming the key', (env, message) => {
    expect(() => loadConfig(env, EXAMPLE_CONFIG)).toThrow(message);
  });
});
