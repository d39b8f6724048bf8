import { z } from 'zod';

/**
 * A listener's `host:port` (IPv6 in brackets, `[::1]:9464`). Port 0 is refused: a scraper or probe must know where
 * to look.
 */
export const bindAddressSchema = z
  .string()
  .trim()
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, e.g. "127.0.0.1:9464"')
  .refine((text) => {
    const port = Number(text.slice(text.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65_535;
  }, 'must have a port between 1 and 65535');

/** Splits a bind address the schema accepted into what `listen` wants (brackets off an IPv6 host). */
export function parseBindAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(at + 1)) };
}

/**
 * Operations (docs/operations.md): log format, metrics and health listeners, tracing. Everything is off unless
 * set, so `npm start` and a plain deployment open no listener beyond the HTTP service's own port.
 */
export const operationsConfigSchema = z
  .object({
    /**
     * `text`: one readable line per event (`npm start`, a terminal). `json`: one JSON object per line, for a log
     * collector. Either way only breach ids, sources, codes and pseudonyms: never names, addresses or texts.
     */
    logFormat: z.enum(['text', 'json']).default('text'),
    /** The worker's Prometheus endpoint, served by the Temporal SDK runtime (its own metrics only). */
    workerMetricsAddress: bindAddressSchema.optional(),
    /** The worker's /healthz and /readyz. */
    workerHealthAddress: bindAddressSchema.optional(),
    /**
     * The HTTP service's /metrics, on a listener of its own so it never shares the public port. Off loopback it
     * requires a bearer token (LEKDICHT_METRICS_TOKEN) or the service does not start.
     */
    httpMetricsAddress: bindAddressSchema.optional(),
    /**
     * OpenTelemetry tracing through the Temporal SDK's interceptors: spans go to this OTLP/HTTP traces endpoint
     * (e.g. http://127.0.0.1:4318/v1/traces). Off unless set.
     */
    otlpEndpoint: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. http://127.0.0.1:4318/v1/traces' })
      .optional(),
    /**
     * A workflow bundle built ahead (`npm run build:workflows`, the Docker image's dist/workflow-bundle.js): the worker
     * loads it instead of bundling workflows/ at every start. Unset: bundled at start.
     */
    workflowBundle: z.string().trim().min(1, 'must be the path of a bundle, e.g. "dist/workflow-bundle.js"').optional(),
    /**
     * Worker tuning (docs/operations.md, "Worker tuning"). Unset: the Temporal SDK's defaults, which lekdicht has not
     * changed; choose them from `npm run bench` on the machine that runs the worker.
     * How many breaches' and playbooks' runs the worker keeps in memory between their tasks (the sticky cache).
     */
    maxCachedWorkflows: z.number().int().min(0, 'must be 0 (no cache) or more').optional(),
    /** Workflow tasks run at once; at least 2 while the cache is on, and at most maxCachedWorkflows. */
    maxConcurrentWorkflowTaskExecutions: z.number().int().min(2, 'must be 2 or more').optional(),
    /** Activities (emails, letter batches, register writes) run at once. */
    maxConcurrentActivityTaskExecutions: z.number().int().min(1, 'must be 1 or more').optional(),
    /** One V8 context shared by all workflow runs (the SDK's default, true) or one per run (false). */
    reuseV8Context: z.boolean().optional(),
    /**
     * Threads that run workflow tasks (the SDK's workflowThreadPoolSize; its default: 1 with a shared context, 2
     * without). Each thread has its own context and copy of the workflow bundle.
     */
    workflowThreads: z.number().int().min(1, 'must be 1 or more').max(16, 'must be 16 or fewer').optional(),
  })
  .strict()
  .refine(
    (o) =>
      o.maxCachedWorkflows === undefined ||
      o.maxCachedWorkflows === 0 ||
      o.maxConcurrentWorkflowTaskExecutions === undefined ||
      o.maxConcurrentWorkflowTaskExecutions <= o.maxCachedWorkflows,
    {
      path: ['maxConcurrentWorkflowTaskExecutions'],
      message: 'must not exceed operations.maxCachedWorkflows (unless that is 0)',
    },
  );
export type OperationsConfig = z.output<typeof operationsConfigSchema>;
