import type { NotificationSuggestion } from './decision';
import type { Reason } from './reasons';

/**
 * Reasons that must never stand side by side in one suggestion: read together they say opposite things (issue 14:
 * "unlikely to result in a risk" next to "the risk would be high because the severity is very high"). The FG signs
 * what the suggestion says; a contradiction makes it unsignable. Used by the tests over every combination of facts,
 * and cheap enough to assert anywhere.
 */

type Code = Reason['code'];

const UNLIKELY: Code[] = ['a33-unlikely-unintelligible', 'a33-unlikely-trusted'];
const NOTIFY: Code[] = ['a33-notify', 'a33-notify-low', 'a33-4-phases', 'a33-2-processor', 'cross-border'];
/** Sentences that say the risk to people is (or would be) high. */
const HIGH: Code[] = ['a34-inform', 'a34-3a-unintelligible', 'a34-3b', 'a34-3c-many', 'a34-3c-no-contact'];

const PAIRS: [Code[], Code[], string][] = [
  [UNLIKELY, NOTIFY, 'art. 33 both "unlikely to result in a risk" and "notify"'],
  [UNLIKELY, HIGH, 'a risk that is unlikely next to a risk that is (or would be) high'],
  [['a34-not-high'], HIGH, 'art. 34 both "not high" and "high"'],
  [['a34-unlikely'], HIGH, 'art. 34 both "no risk likely" and "high"'],
  [['a34-3a-unintelligible'], ['a34-inform'], 'art. 34 both "unintelligible: not required" and "inform"'],
];

/** What contradicts in the suggestion, in words; empty when its reasons and its answers agree. */
export function reasonConflicts(
  suggestion: Pick<NotificationSuggestion, 'why' | 'notifyAuthority' | 'notifyDataSubjects' | 'publicCommunication'>,
): string[] {
  const codes = new Set((suggestion.why ?? []).map((r) => r.code));
  const has = (list: Code[]) => list.some((c) => codes.has(c));
  const found = PAIRS.filter(([a, b]) => has(a) && has(b)).map(([, , what]) => what);
  // The answers must say what the reasons say.
  if (suggestion.notifyAuthority !== has(NOTIFY.slice(0, 2))) found.push('art. 33 answer and reason differ');
  if (suggestion.notifyDataSubjects !== codes.has('a34-inform')) found.push('art. 34 answer and reason differ');
  if (suggestion.publicCommunication !== (codes.has('a34-3c-many') || codes.has('a34-3c-no-contact')))
    found.push('public communication answer and reason differ');
  for (const reason of suggestion.why ?? [])
    if (reason.code === 'a34-not-high' && (reason.params.band === 'high' || reason.params.band === 'very-high'))
      found.push(`"not high" said of a ${reason.params.band} band`);
  return found;
}
