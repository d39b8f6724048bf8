import { statSync } from 'node:fs';
import { buildWorkflowBundle, DEFAULT_BUNDLE_PATH, manifestPathFor } from './workflow-bundle';

/**
 * `npm run build:workflows [path]`: the production workflow bundle (default dist/workflow-bundle.js) and its manifest, so
 * workers load it (operations.workflowBundle / LEKDICHT_WORKFLOW_BUNDLE) instead of bundling at every start.
 */
const path = process.argv[2] ?? DEFAULT_BUNDLE_PATH;
const manifest = await buildWorkflowBundle(path);
process.stdout.write(
  `workflow bundle ${path} (${Math.round(statSync(path).size / 1024)} KiB; interceptors ${manifest.interceptors.join(', ')}; SDK ${manifest.sdk}) and ${manifestPathFor(path)}\n`,
);
