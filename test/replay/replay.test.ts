import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { installRuntime } from '../support/harness';

// Complete histories recorded with earlier versions of the workflows (test/replay/record-histories.ts), one
// folder per version and path. Breaches run for months: today's code must replay every one of them exactly,
// or a deploy would break the breaches still open. A change that fails here needs patched() (README).
const root = fileURLToPath(new URL('../fixtures/histories', import.meta.url));
const sets = readdirSync(root).flatMap((version) =>
  readdirSync(join(root, version)).map((path) => ({ version, path })),
);

describe('recorded histories replay on the current workflows', () => {
  it('has fixtures for every path: not a breach, notified, late (with a corrected awareness), NIS2, duplicates, continued as new at every wait, letters approved', () => {
    expect(new Set(sets.map((s) => s.path))).toEqual(
      new Set([
        'not-a-breach',
        'notified',
        'late-corrected',
        'nis2',
        'duplicates',
        'continued-at-waits',
        'letters-approved',
      ]),
    );
  });

  it.each(sets)('$version / $path', async ({ version, path }) => {
    installRuntime();
    const dir = join(root, version, path);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    const histories = files.map((file) => ({
      workflowId: file.replace(/(@run\d+)?\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
    }));
    const results = [];
    // The fixtures' payloads are plaintext (recorded without keys): replayed with the SDK's permissive default
    // converter, explicitly not the worker's strict one (codec/data-converter.ts strictForWorker), which would turn
    // them into refused markers. The bundle includes the interceptors, as production's does.
    const permissive = { dataConverter: {} };
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, ...permissive },
      histories,
    ))
      results.push(result);
    expect(results.map((r) => [r.workflowId, r.error?.message])).toEqual(
      histories.map((h) => [h.workflowId, undefined]),
    );
  });
});
