/**
 * Signals the worker refused because they were not encrypted with lekdicht's payload keys, counted per run. A
 * signal cannot be rejected like an update (it is in the history once sent), so it is dropped and counted; the
 * count is shown in the run's current details (Temporal UI) by the playbook runtime that listens here. Module state
 * is per workflow run: the SDK gives each run its own module cache.
 */
let refusedSignals = 0;
let listener: ((count: number) => void) | undefined;
/** Refused before the runtime listened (a signal waiting for a run that continued as new). */
let unheard = 0;
let carriedInFull = false;

export function refusedSignalCount(): number {
  return refusedSignals;
}

/** The run's playbook runtime: told of every refused signal (current details, and the timeline's tally). */
export function onRefusedSignal(fn: (count: number) => void): void {
  listener = fn;
  // Those it missed show at once (only in runs that carry in full: older ones replay without this call).
  if (unheard > 0 && carriedInFull) {
    unheard = 0;
    fn(refusedSignals);
  }
}

/**
 * A run that continued as new goes on counting from where the previous one was. `inFull`: add to what this run has
 * counted already. A signal waiting for the new run is refused as soon as its handler is set, which the breach does
 * before it reads what was carried; set to the carried count instead (runs before REFUSALS_CARRIED_IN_FULL_PATCH),
 * those were lost from the count.
 */
export function carryRefusedSignals(count: number, inFull: boolean): void {
  refusedSignals = inFull ? refusedSignals + count : count;
  carriedInFull = inFull;
}

export function countRefusedSignal(): void {
  refusedSignals += 1;
  if (listener) listener(refusedSignals);
  else unheard += 1;
}
