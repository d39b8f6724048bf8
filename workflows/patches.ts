/**
 * `patched()` for lekdicht's patches, with one marker per run instead of one per patch.
 *
 * Each `patched()` a new run meets records a marker in its history, and the SDK adds an upsert of the
 * TemporalChangeVersion search attribute beside it: two events per patch per run, some 60 events of a lifecycle's
 * ~1,300 (issue 16). A run started since BASELINE_PATCH records that one marker, the first time a patch is asked
 * (in practice as its playbook runtime is made, in its first workflow task), and every patch made before it counts
 * as present without its own marker. A run recorded before the baseline replays with it absent, and then every
 * patch is asked as it was when the run was recorded.
 *
 * BASELINE_2 does the same for the patches made after the first baseline (IMPLIED_2): a run started since records
 * only its marker, and counts as on both baselines. A run on the first baseline replays with BASELINE_2 absent and
 * asks each later patch itself. Asked first, so a new run records one marker, not two. A patch made after BASELINE_2
 * is in neither list: it is asked itself, in every run (or a third baseline takes it and the two before).
 */
import { patched } from '@temporalio/workflow';

export const BASELINE_PATCH = 'baseline-2026-12';

/** Every patch made before BASELINE_PATCH. Never add to this list: a later patch is asked itself. */
const IMPLIED: ReadonlySet<string> = new Set([
  'acts-proven',
  'act-keys-refresh',
  'aftercare-contact-point',
  'authority-task-follows-deadline',
  'duplicates-compacted',
  'email-refusal-noted',
  'evaluation-from-containment',
  'gdpr-notifications-settled-signal',
  'letter-approval',
  'procedure-review',
  'refusals-carried-in-full',
  'refusals-on-timeline',
  'report-again',
  'resumable-runs',
  'signal-again',
  'task-before-ticket',
  'timeline-queued',
]);

export const BASELINE_2 = 'baseline-2026-12b';

/** Every patch made after BASELINE_PATCH and before BASELINE_2. Never add to this list either. */
const IMPLIED_2: ReadonlySet<string> = new Set(['reports-ride']);

/**
 * Which baseline this run has (2, 1, or 0: none), decided once per run (module state is per run: the SDK gives each
 * run its own module instances).
 */
let level: 0 | 1 | 2 | undefined;

function baseline(): 0 | 1 | 2 {
  level ??= patched(BASELINE_2) ? 2 : patched(BASELINE_PATCH) ? 1 : 0;
  return level;
}

/** Whether this run has the baseline: started (or continued as new) by code from BASELINE_PATCH on. */
export function onBaseline(): boolean {
  return baseline() >= 1;
}

/** `patched(id)`, without a marker of its own in runs on a baseline when the patch is older than it. */
export function isPatched(id: string): boolean {
  if (IMPLIED.has(id) && baseline() >= 1) return true;
  if (IMPLIED_2.has(id) && baseline() >= 2) return true;
  return patched(id);
}
