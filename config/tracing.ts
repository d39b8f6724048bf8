import { createRequire } from 'node:module';
import type { Context, Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * OpenTelemetry tracing through the Temporal SDK's interceptors (operations.otlpEndpoint; off unless set): the
 * client's start and signal of a breach, the workflow runs and the activities, linked by the trace context Temporal
 * carries in its headers, sent to an OTLP/HTTP collector.
 *
 * Only the shape goes out: span names (operation and workflow/activity type), breach ids (the workflow ids) and
 * timing. The interceptors also record an error's message and stack and a terminate reason; those can quote a
 * breach's facts (the reason failure messages are encrypted, codec/failure-converter.cjs), so they are removed
 * before a span leaves the process.
 */
export interface Tracing {
  /** For the Client (HTTP service, CLI, the worker's own client): spans for starts, signals, updates, queries. */
  clientInterceptors: WorkflowClientInterceptor[];
  /** Merged into the Worker's options; workflowModules apply only where the worker bundles its workflows. */
  worker: {
    workflowModules: string[];
    activity: NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']>;
    sinks: NonNullable<WorkerOptions['sinks']>;
  };
  /** Sends what is still buffered (tests; before a process exits). */
  flush(): Promise<void>;
}

/**
 * The workflow half runs inside the sandbox: the bundler includes it by path (also into the prebuilt production
 * bundle, worker/workflow-bundle.ts, so a worker from that bundle can trace).
 */
export const OTEL_WORKFLOW_INTERCEPTORS = createRequire(import.meta.url).resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);
/** Attributes and exception details that may carry free text (see above). */
const FREE_TEXT_ATTRIBUTES = new Set(['temporalTerminateReason', 'exception.message', 'exception.stacktrace']);

/** A finished span as the exporter may see it: status code without message, exceptions by type only. */
function withoutFreeText(span: ReadableSpan): ReadableSpan {
  const keep = (attributes: ReadableSpan['attributes'] | undefined) =>
    Object.fromEntries(Object.entries(attributes ?? {}).filter(([key]) => !FREE_TEXT_ATTRIBUTES.has(key)));
  return new Proxy(span, {
    get(target, property) {
      if (property === 'status') return { code: target.status.code };
      if (property === 'attributes') return keep(target.attributes);
      if (property === 'events')
        return target.events.map((event) => ({ ...event, attributes: keep(event.attributes) }));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Hands every finished span to `inner` without its free text. */
class FreeTextFilter implements SpanProcessor {
  constructor(private readonly inner: SpanProcessor) {}
  onStart(span: Span, parent: Context): void {
    this.inner.onStart(span, parent);
  }
  onEnd(span: ReadableSpan): void {
    this.inner.onEnd(withoutFreeText(span));
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

let installed: { endpoint: string; tracing: Tracing } | undefined;

/**
 * The process's tracing for `endpoint`, or undefined when tracing is off. Once per process: OpenTelemetry's
 * context and propagation are global (the interceptors use them), so `npm start`'s worker and HTTP service share
 * one provider; a second, different endpoint in the same process is a mistake and refused.
 */
export function tracingFor(endpoint: string | undefined, service: string): Tracing | undefined {
  if (endpoint === undefined) return undefined;
  if (installed) {
    if (installed.endpoint !== endpoint)
      throw new Error(`tracing already sends to ${installed.endpoint}; one endpoint per process`);
    return installed.tracing;
  }
  const resource = new Resource({ 'service.name': service });
  const processor = new FreeTextFilter(new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint })));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  // Global: a context that follows awaits (so the interceptors' active span reaches the headers they write), and
  // the W3C trace-context propagator (register's default).
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  const tracer: Tracer = provider.getTracer('lekdicht');
  const tracing: Tracing = {
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor({ tracer })],
    worker: {
      workflowModules: [OTEL_WORKFLOW_INTERCEPTORS],
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      // Workflow spans are made in the sandbox and leave it through this sink, to the same processor.
      sinks: { exporter: makeWorkflowExporter(processor, resource) },
    },
    flush: () => provider.forceFlush(),
  };
  installed = { endpoint, tracing };
  return tracing;
}
