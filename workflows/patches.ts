/**
 * `patched()` for lekdicht's patches, with one marker per run instead of one per patch.
 *
 * Each `patched()` a new run meets records a marker in its history, and the SDK adds an upsert of the
 * TemporalChangeVersion search attribute beside it: two events per patch per run, some 60 events of a lifecycle's
 * ~1,300 (issue 16). A run started since BASELINE_PATCH records that one marker, the first time a patch is asked
 * (in practice as its playbook runtime is made, in its first workflow task), and every patch made before it counts
 * as present without its own marker. A run recorded before the baseline replays with it absent, and then every
 * patch is asked as it was when the run was recorded. A patch made after the baseline is not in IMPLIED: it is
 * asked itself, in every run.
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

/** Decided once per run (module state is per run: the SDK gives each run its own module instances). */
let baseline: boolean | undefined;

/** Whether this run has the baseline: started (or continued as new) by code from BASELINE_PATCH on. */
export function onBaseline(): boolean {
  baseline ??= patched(BASELINE_PATCH);
  return baseline;
}

/** `patched(id)`, without a marker of its own in runs on the baseline when the patch is older than it. */
export function isPatched(id: string): boolean {
  if (IMPLIED.has(id) && onBaseline()) return true;
  return patched(id);
}
