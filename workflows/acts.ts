import { setHandler, workflowInfo, type defineUpdate } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import { actBody, checkAct, operatorViaSchema, type ActMessage, type OperatorVia } from '../domain/act-proof';
import type { Refused } from '../domain/errors';
import { refusedUpdate } from './coded-failure';
import { isPatched } from './patches';

/** Guards what an act records about how it came (an operator act says so): see README, patch list. */
export const ACTS_PATCH = 'acts-proven';

/** An update's definition (common's UpdateDefinition, which @temporalio/workflow does not export). */
type Update<Ret, Arg> = ReturnType<typeof defineUpdate<Ret, [Arg]>>;

/** What a check of an update's arguments finds: fine, or why not (the message the caller gets). */
export type Verdict = { ok: true } | Refused;

/**
 * Registers an update whose validator refuses what one of `checks` finds wrong (the first one's refusal, with its
 * code when it has one: coded-failure.ts). The
 * handler runs only for what passed; it checks again where it needs the checked value.
 */
export function setValidatedUpdate<Ret, Arg>(
  update: Update<Ret, Arg>,
  handler: (arg: Arg) => Promise<Ret>,
  checks: ((arg: Arg) => Verdict)[],
): void {
  setHandler(update, handler, {
    // Validators are not run on replay, and a rejected update leaves nothing in the history: a check may change
    // without a patch.
    validator: (arg: Arg) => {
      for (const check of checks) {
        const verdict = check(arg);
        if (!verdict.ok) throw refusedUpdate(verdict);
      }
    },
  });
}

/**
 * The check that an update's act is proven (domain/act-proof.ts): the HTTP service's proof, or an operator marker if
 * those are allowed. Reads `settings.acts` at each check: refreshActKeys may have loaded new keys since.
 */
export function actProven(
  breachId: string,
  settings: PlaybookSettings,
  message: ActMessage,
): (args: unknown) => Verdict {
  return (args) => {
    const actor = ((args ?? {}) as { actor?: unknown }).actor;
    return checkAct(
      args as Parameters<typeof checkAct>[0],
      {
        breachId,
        workflowId: workflowInfo().workflowId,
        message,
        actor: typeof actor === 'string' ? actor : '',
        body: actBody(args),
      },
      settings.acts,
      Date.now(),
    );
  };
}

/** The operator marker of an act that carries no proof (its check has passed), if any. */
export function operatorOf(act: { proof?: unknown; via?: unknown } | undefined): OperatorVia | undefined {
  if (act?.proof !== undefined || act?.via === undefined) return undefined;
  const parsed = operatorViaSchema.safeParse(act.via);
  return parsed.success ? parsed.data : undefined;
}

/** operatorOf, in runs past ACTS_PATCH: older runs recorded no operator acts and replay as they ran. */
export function operatorActOf(act: unknown): OperatorVia | undefined {
  return isPatched(ACTS_PATCH) ? operatorOf(act as { proof?: unknown; via?: unknown } | undefined) : undefined;
}
