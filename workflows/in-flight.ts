/**
 * Commands whose outcome this run still waits for: activities (remote and local), child workflow starts, signals
 * to other workflows. Counted by the outbound interceptor (interceptors.ts); a run continues as new only when none
 * is in flight (resumable.ts), so no email is sent twice and no result is lost. Module state is per run (the SDK
 * gives each run its own module instances).
 */
let pending = 0;

export function inFlight(): number {
  return pending;
}

/**
 * Counts `started` until it settles, and hands back the very same promise: the caller's await takes no extra turn,
 * so the order of commands stays what recorded histories have (the count is a side branch on the promise).
 */
export function track<T>(started: Promise<T>): Promise<T> {
  pending += 1;
  const settle = () => {
    pending -= 1;
  };
  started.then(settle, settle);
  return started;
}
