import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type Logger, type WorkerOptions } from '@temporalio/worker';
import { failureConverterPath } from '../codec/data-converter';
import { OTEL_WORKFLOW_INTERCEPTORS, type Tracing } from '../config/tracing';

/** A module of this repository by its source path, or its compiled `.js` where tsc built it (dist/, the image). */
function module(relative: string): string {
  const source = fileURLToPath(new URL(`${relative}.ts`, import.meta.url));
  return existsSync(source) ? source : source.replace(/\.ts$/, '.js');
}

export const workflowsPath = module('../workflows/index');
/**
 * Workflow interceptor modules: refuse messages whose payloads were not encrypted with lekdicht's keys. Every
 * bundle of workflows/ must include them (bundleWorkflowCode's workflowInterceptorModules; test/support/global-setup.ts).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [module('../workflows/interceptors')];
/**
 * Modules loaded once per worker and shared by all its workflows (workflows/preload.ts: domain/'s schemas and
 * tables). Every bundle of workflows/ preloads them (bundleWorkflowCode's preloadModules; test/support/global-setup.ts).
 */
export const WORKFLOW_PRELOAD_MODULES = [module('../workflows/preload')];

/** Where `npm run build:workflows` and the Docker image put the production bundle. */
export const DEFAULT_BUNDLE_PATH = 'dist/workflow-bundle.js';

/**
 * What a prebuilt bundle was built with, in a file beside it (dist/workflow-bundle.json): a worker checks it before it
 * runs breaches on the bundle, because what went into a bundle cannot be changed at start.
 */
export interface BundleManifest {
  format: 1;
  /** `codec-check`: workflows/interceptors.ts; `opentelemetry`: the SDK's workflow tracing interceptors. */
  interceptors: ('codec-check' | 'opentelemetry')[];
  /** codec/failure-converter.cjs: failure messages encoded inside the sandbox too. */
  failureConverter: boolean;
  /** The SDK that built it (@temporalio/worker's version). */
  sdk: string;
  builtAt: string;
}

export function manifestPathFor(bundlePath: string): string {
  return bundlePath.replace(/\.js$/, '') + '.json';
}

const SDK_VERSION = (
  JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@temporalio/worker/package.json'), 'utf8')) as {
    version: string;
  }
).version;

const QUIET: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
  log() {},
};

/**
 * The traced twin of a production bundle, written beside it: `workflow-bundle.js` → `workflow-bundle.traced.js`.
 * Two bundles, because the OpenTelemetry workflow interceptors cost every open breach about 1.5 MiB of worker memory
 * even when their spans are dropped (bench `memory`), and what went into a bundle cannot be switched off at start.
 */
export function tracedPathFor(bundlePath: string): string {
  return bundlePath.replace(/\.js$/, '') + '.traced.js';
}

/** One production bundle and its manifest: the codec check and failure converter always, OpenTelemetry if asked. */
async function writeBundle(bundlePath: string, traced: boolean, logger: Logger): Promise<BundleManifest> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES, ...(traced ? [OTEL_WORKFLOW_INTERCEPTORS] : [])],
    preloadModules: WORKFLOW_PRELOAD_MODULES,
    failureConverterPath,
    logger,
  });
  const manifest: BundleManifest = {
    format: 1,
    interceptors: traced ? ['codec-check', 'opentelemetry'] : ['codec-check'],
    failureConverter: true,
    sdk: SDK_VERSION,
    builtAt: new Date().toISOString(),
  };
  mkdirSync(dirname(resolve(bundlePath)), { recursive: true });
  writeFileSync(bundlePath, code);
  writeFileSync(manifestPathFor(bundlePath), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Bundles workflows/ for production workers: at `bundlePath` without tracing (what a worker runs by default), and
 * its traced twin at tracedPathFor(bundlePath) with the OpenTelemetry interceptors, which a worker with tracing on
 * picks by itself (workflowSource). Each with its manifest. `traced: false` writes only the first (the bench).
 */
export async function buildWorkflowBundle(
  bundlePath = DEFAULT_BUNDLE_PATH,
  options: { logger?: Logger; traced?: boolean } = {},
): Promise<{ plain: BundleManifest; traced?: BundleManifest }> {
  const logger = options.logger ?? QUIET;
  const plain = await writeBundle(bundlePath, false, logger);
  if (options.traced === false) return { plain };
  return { plain, traced: await writeBundle(tracedPathFor(bundlePath), true, logger) };
}

export class WorkflowBundleError extends Error {
  override readonly name = 'WorkflowBundleError';
}

/** The manifest beside a bundle, or undefined when there is none (a bundle built by the tests, or by hand). */
export function readBundleManifest(bundlePath: string): BundleManifest | undefined {
  const path = manifestPathFor(bundlePath);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BundleManifest;
  } catch (err) {
    throw new WorkflowBundleError(`workflow bundle manifest ${path} is not readable JSON: ${(err as Error).message}`);
  }
}

/**
 * Checks a prebuilt production bundle (operations.workflowBundle) before the worker runs on it: it exists, its
 * manifest says it has the codec check and the failure converter. Each refusal names what is missing and how to
 * rebuild.
 */
export function checkProductionBundle(bundlePath: string): BundleManifest {
  const rebuild = `rebuild it with "npm run build:workflows" (operations.workflowBundle / LEKDICHT_WORKFLOW_BUNDLE)`;
  if (!existsSync(bundlePath))
    throw new WorkflowBundleError(`workflow bundle ${bundlePath} does not exist: ${rebuild}`);
  const manifest = readBundleManifest(bundlePath);
  if (!manifest)
    throw new WorkflowBundleError(
      `workflow bundle ${bundlePath} has no manifest ${manifestPathFor(bundlePath)} saying what it was built with: ${rebuild}`,
    );
  const missing = [
    ...(manifest.interceptors?.includes('codec-check') ? [] : ['the codec check (workflows/interceptors.ts)']),
    ...(manifest.failureConverter ? [] : ['the failure converter (codec/failure-converter.cjs)']),
  ];
  if (missing.length > 0)
    throw new WorkflowBundleError(
      `workflow bundle ${bundlePath} was built without ${missing.join(' and ')}: ${rebuild}`,
    );
  return manifest;
}

/**
 * How the worker gets its workflows: a bundle it was given (the tests'), the prebuilt production bundle
 * (operations.workflowBundle), or workflows/ bundled at start with the interceptors it needs. A prebuilt bundle's
 * interceptors were fixed when it was built: with tracing on, the worker takes the bundle's traced twin
 * (tracedPathFor) unless the configured one is itself traced, and refuses to start without one rather than silently
 * lose the workflow spans. A traced bundle run without tracing gets a sink that drops the spans, so the SDK does not
 * log every span as sent to a sink that is not there.
 */
export function workflowSource(
  given: WorkerOptions['workflowBundle'] | undefined,
  configured: string | undefined,
  tracing: Tracing | undefined,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions' | 'interceptors' | 'sinks'> {
  const activity = tracing ? { activity: tracing.worker.activity } : {};
  const sinks = tracing ? { sinks: tracing.worker.sinks } : {};
  let bundle: WorkerOptions['workflowBundle'];
  let withTracing: boolean;
  if (given) {
    bundle = given;
    withTracing =
      'codePath' in given && readBundleManifest(given.codePath)?.interceptors?.includes('opentelemetry') === true;
  } else if (configured) {
    const manifest = checkProductionBundle(configured);
    const twin = tracedPathFor(configured);
    const useTwin = tracing !== undefined && !manifest.interceptors.includes('opentelemetry') && existsSync(twin);
    bundle = { codePath: useTwin ? twin : configured };
    withTracing = (useTwin ? checkProductionBundle(twin) : manifest).interceptors.includes('opentelemetry');
  } else {
    return {
      workflowsPath,
      bundlerOptions: { preloadModules: WORKFLOW_PRELOAD_MODULES },
      interceptors: {
        workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES, ...(tracing?.worker.workflowModules ?? [])],
        ...activity,
      },
      ...sinks,
    };
  }
  if (tracing && !withTracing)
    throw new WorkflowBundleError(
      `tracing (operations.otlpEndpoint) needs a workflow bundle built with the OpenTelemetry interceptors, and ${configured ? tracedPathFor(configured) : 'the bundle given'} is not there: rebuild with "npm run build:workflows" (it writes both), or let the worker bundle its workflows (no operations.workflowBundle)`,
    );
  return {
    workflowBundle: bundle,
    ...(tracing ? { interceptors: activity } : {}),
    ...(tracing ? sinks : withTracing ? { sinks: DROP_WORKFLOW_SPANS } : {}),
  };
}

/** The OpenTelemetry workflow interceptors' sink, for a worker without tracing: every span dropped. */
const DROP_WORKFLOW_SPANS: NonNullable<WorkerOptions['sinks']> = { exporter: { export: { fn: () => {} } } };
