import type { NotificationSuggestion } from './decision';
import type { Reason } from './reasons';

/**
 * Reasons that must never stand side by side in one suggestion: read together they say opposite things (issue 14:
 * "unlikely to result in a risk" next to "the risk would be high because the severity is very high"). The FG signs
 * what the suggestion says; a contradiction makes it unsignable. Used by the tests over every combination of facts,
 * and cheap enough to assert anywhere.
 */

type Code = Reason['code'];

const UNLIKELY: Code[] = [
  'a33-unlikely-unintelligible',
  'a33-unlikely-trusted',
  'a33-unlikely-nobody',
  'a33-unlikely-contained',
];
const NOTIFY: Code[] = ['a33-notify', 'a33-notify-low', 'a33-4-phases', 'a33-2-processor', 'cross-border'];
/** Sentences that say the risk to people is (or would be) high. */
const HIGH: Code[] = [
  'a34-inform',
  'a34-3a-unintelligible',
  'a34-3b-applied',
  'a34-3b',
  'a34-3c-many',
  'a34-3c-no-contact',
];
/** Sentences that say the risk to people is not high. */
const NOT_HIGH: Code[] = ['a34-not-high', 'a34-low', 'a34-unlikely'];

const PAIRS: [Code[], Code[], string][] = [
  [UNLIKELY, NOTIFY, 'art. 33 both "unlikely to result in a risk" and "notify"'],
  [UNLIKELY, HIGH, 'a risk that is unlikely next to a risk that is (or would be) high'],
  [NOT_HIGH, HIGH, 'art. 34 both "not high" and "high"'],
  [['a34-3a-unintelligible', 'a34-3b-applied'], ['a34-inform'], 'art. 34 both "an exception applies" and "inform"'],
  [['a34-3a-unintelligible'], ['a34-3b-applied'], 'art. 34 two exceptions at once'],
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
  for (const reason of suggestion.why ?? []) {
    if (reason.code === 'a34-not-high' && (reason.params.band === 'high' || reason.params.band === 'very-high'))
      found.push(`"not high" said of a ${reason.params.band} band`);
    // A high band may stand beside "not high" only when the data is out of reach of anyone who could use it.
    if (
      reason.code === 'a34-low' &&
      (reason.params.band === 'high' || reason.params.band === 'very-high') &&
      (reason.params.holder === 'unknown' || reason.params.holder === 'public')
    )
      found.push(`"not high" said of a ${reason.params.band} band with the data in ${reason.params.holder} hands`);
    // "Nobody got the data" next to a holder who has it.
    if (reason.code === 'a33-notify' && reason.params.open?.some((o) => o.kind === 'holder' && o.holder === 'nobody'))
      found.push('"nobody has the data" given as what keeps a risk likely');
  }
  return found;
}
