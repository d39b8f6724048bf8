import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { provisionTemporal, type TemporalTarget } from '../../devstack/temporal-server';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOW_PRELOAD_MODULES, workflowsPath } from '../../worker/create-worker';
import { failureConverterPath } from '../../codec/data-converter';
import { generateKeyEntry } from '../../codec/keys';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    workflowBundlePath: string;
    /** The run's codec key ring (LEKDICHT_CODEC_KEYS format): the whole suite runs encrypted. */
    codecKeys: string;
    /** The run's act-signing key (hex): the HTTP service's in tests, and test/support/acts.ts's. */
    actSigningKey: string;
  }
}

let server: TemporalTarget | undefined;

/** One real Temporal server (embedded dev server on free ports, in memory) and one workflow bundle per run. */
export async function setup(project: TestProject): Promise<void> {
  // Tests always get their own server, even if the developer's shell points TEMPORAL_ADDRESS elsewhere.
  const env = { ...process.env };
  delete env.TEMPORAL_ADDRESS;
  const [target, bundle] = await Promise.all([
    provisionTemporal({
      env,
      port: 0,
      uiPort: null,
      dbFile: null,
      dataDir: mkdtempSync(join(tmpdir(), 'lekdicht-temporal-')),
    }),
    // The failure converter goes into the bundle: workflow failures are encoded inside the sandbox.
    bundleWorkflowCode({
      workflowsPath,
      workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
      preloadModules: WORKFLOW_PRELOAD_MODULES,
      failureConverterPath,
      logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
    }),
  ]);
  server = target;
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'lekdicht-bundle-')), 'workflows.js');
  writeFileSync(bundlePath, bundle.code);
  project.provide('temporalAddress', target.address);
  project.provide('temporalNamespace', target.namespace);
  project.provide('workflowBundlePath', bundlePath);
  // Fresh keys per run, never from the repository; a developer's own keys in the shell are not used for tests.
  // Recording replay fixtures is the exception: their payloads stay readable so that replay, which has no keys of
  // a past run, can decode them (and the recorded breaches are synthetic).
  project.provide('actSigningKey', randomBytes(32).toString('hex'));
  project.provide(
    'codecKeys',
    process.env.RECORD_HISTORIES ? '' : [generateKeyEntry('test-old'), generateKeyEntry('test-current')].join(','),
  );
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
