import { statSync } from 'node:fs';
import { buildWorkflowBundle, DEFAULT_BUNDLE_PATH, manifestPathFor, tracedPathFor } from './workflow-bundle';

/**
 * `npm run build:workflows [path]`: the production workflow bundles (default dist/workflow-bundle.js, and its traced
 * twin dist/workflow-bundle.traced.js for workers with tracing on) and their manifests, so workers load them
 * (operations.workflowBundle / LEKDICHT_WORKFLOW_BUNDLE) instead of bundling at every start.
 */
const path = process.argv[2] ?? DEFAULT_BUNDLE_PATH;
const { plain, traced } = await buildWorkflowBundle(path);
const kib = (p: string) => Math.round(statSync(p).size / 1024);
process.stdout.write(
  `workflow bundle ${path} (${kib(path)} KiB; interceptors ${plain.interceptors.join(', ')}; SDK ${plain.sdk}) and ${manifestPathFor(path)}\n` +
    `traced twin ${tracedPathFor(path)} (${kib(tracedPathFor(path))} KiB; interceptors ${traced!.interceptors.join(', ')}) and ${manifestPathFor(tracedPathFor(path))}\n`,
);
