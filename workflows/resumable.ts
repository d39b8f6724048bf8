/**
 * Bounded history for runs that last weeks or months, or that somebody floods with messages: a run continues as
 * new, carrying its state, and the new run takes up where the old one waited.
 *
 * How a playbook is written for it. Its body re-runs from the top in every new run, so:
 * - every step with an effect (a timeline note, an email, a child started, a signal sent) goes through `once(key)`:
 *   done before, it is not done again, and its result comes from the journal the run carried;
 * - waits stay outside `once`: waiting on a task's answer, a child's report or a condition over carried state
 *   simply waits again (or passes at once) in the new run; a timer is `sleepUntil`, its moment kept in the journal;
 * - `PlaybookRuntime.ask` opens its task in a `once`, so a task still open when the run moved is the same task.
 *
 * When a run moves (`mayMove`): only while nothing is half done, so nothing is done twice or lost: no step in
 * `once` under way, no activity, child start or signal in flight (interceptors.ts counts them), every update and
 * signal handler finished, no ticket being opened or closed. Then the body is parked at a wait, and everything it
 * needs to wait again is in the state the run carries.
 *
 * Runs recorded before this existed replay as they ran: `on` is false for them (RESUMABLE_PATCH), and then `once`
 * and `sleepUntil` are the bare calls they wrap, with no extra await.
 */
import { allHandlersFinished, condition, sleep, workflowInfo } from '@temporalio/workflow';
import { inFlight } from './in-flight';
import { isPatched, onBaseline } from './patches';

/** Guards the resumable shape of the playbooks (children started apart, results reported): see README, patches. */
export const RESUMABLE_PATCH = 'resumable-runs';

/** When no setting says otherwise: far under Temporal's 51,200-event limit, well over a normal lifecycle's run. */
export const DEFAULT_EVENTS_PER_RUN = 10_000;
/**
 * A run that made no progress of its own (only re-ran carried steps and waits) moves only after this many events of
 * its own: a small budget must not make runs hand their state on to each other forever, while a flood still moves.
 */
const MIN_EVENTS_OF_OWN = 100;

/** What a run hands on: the steps done (and their results), and the moments its timers fire. */
export interface Journal {
  steps: Record<string, { value?: unknown }>;
  wakeAt: Record<string, number>;
}

export class Resumable {
  private readonly steps: Map<string, { value?: unknown }>;
  private readonly wakeAt: Map<string, number>;
  private running = 0;
  /** Steps done in this run (not carried): this run got somewhere. */
  private progress = 0;
  /**
   * The history's length when this run began, for MIN_EVENTS_OF_OWN. Runs on the baseline count from 0: signals that
   * reached the run before its first workflow task are its own events too. Counted from the first workflow task, a
   * run that a flood filled (Temporal's signals-per-run cap) before that task made no progress and never had 100
   * events "of its own", so it stayed full and did not move on for minutes (seen in CI: the flood test).
   */
  private readonly startLength = onBaseline() ? 0 : workflowInfo().historyLength;

  /**
   * @param on false for runs recorded before RESUMABLE_PATCH: they never move and replay exactly as they ran.
   * @param eventsPerRun config history.eventsPerRun.
   */
  constructor(
    readonly on: boolean,
    carried: Journal | undefined,
    private readonly eventsPerRun = DEFAULT_EVENTS_PER_RUN,
  ) {
    this.steps = new Map(Object.entries(carried?.steps ?? {}));
    this.wakeAt = new Map(Object.entries(carried?.wakeAt ?? {}));
  }

  /** `on` for a run started (or carried on) with this code; a replayed older run answers false. */
  static decide(carried: boolean): boolean {
    return carried || isPatched(RESUMABLE_PATCH);
  }

  /** Whether the step has been done, in this run or an earlier one. */
  done(key: string): boolean {
    return this.steps.has(key);
  }

  /** Runs a step with effects once across runs; its result must be plain data (it is carried as a payload). */
  once<T>(key: string, step: () => Promise<T>): Promise<T> {
    if (!this.on) return step();
    const known = this.steps.get(key);
    if (known) return Promise.resolve(known.value as T);
    this.running += 1;
    return step().then(
      (value) => {
        this.running -= 1;
        this.progress += 1;
        this.steps.set(key, value === undefined ? {} : { value });
        return value;
      },
      (err: unknown) => {
        this.running -= 1;
        throw err;
      },
    );
  }

  /** A moment (epoch ms) fixed the first time this key is met (`at()`), the same in every later run. */
  fix(key: string, at: () => number): number {
    if (!this.on) return at();
    let moment = this.wakeAt.get(key);
    if (moment === undefined) {
      moment = at();
      this.wakeAt.set(key, moment);
    }
    return moment;
  }

  /** Sleeps until a moment fixed the first time this key is met (`at()`), so a new run does not start the wait over. */
  sleepUntil(key: string, at: () => number): Promise<void> {
    const wait = this.fix(key, at) - Date.now();
    return wait > 0 ? sleep(wait) : Promise.resolve();
  }

  /** The history is long enough to move on (Temporal suggests it, or the configured budget is spent). */
  private long(): boolean {
    const info = workflowInfo();
    if (!info.continueAsNewSuggested && info.historyLength < this.eventsPerRun) return false;
    return this.progress > 0 || info.historyLength - this.startLength >= MIN_EVENTS_OF_OWN;
  }

  /** Whether the run may continue as new now (see the top of this file); `quiet` adds the playbook's own checks. */
  mayMove(quiet: () => boolean): boolean {
    return this.on && this.long() && this.running === 0 && inFlight() === 0 && allHandlersFinished() && quiet();
  }

  /** Resolves when the run may move; a body racing against it is parked at a wait when it does. */
  moment(quiet: () => boolean): Promise<void> {
    return condition(() => this.mayMove(quiet));
  }

  journal(): Journal {
    return { steps: Object.fromEntries(this.steps), wakeAt: Object.fromEntries(this.wakeAt) };
  }
}

const MOVED = Symbol('moved');

/**
 * Runs a playbook's body; if the run may move first (see Resumable.mayMove), calls `moveOn`, which continues as new
 * with the state the body's wait needs. A run that is not `on` just runs its body.
 */
export async function runResumable<T>(
  resumable: Resumable,
  quiet: () => boolean,
  body: () => Promise<T>,
  moveOn: (journal: Journal) => Promise<never>,
): Promise<T> {
  if (!resumable.on) return body();
  const running = body();
  for (;;) {
    const outcome = await Promise.race([running, resumable.moment(quiet).then(() => MOVED)]);
    if (outcome !== MOVED) return outcome as T;
    // The body may have gone on in the same activation (its wait ended too) and started a step: then not now.
    if (resumable.mayMove(quiet)) return moveOn(resumable.journal());
  }
}
