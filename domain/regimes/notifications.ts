import { z } from 'zod';
import { actAuthorityShape, actorSchema, isoInstant, required } from './args';
import { deadlinesFor, type Regime, type RegimeDeadline, type RegimeDeadlineKind, type RegimeInput } from './deadlines';

/** Recording notifications in phases (art. 33(4)) during a breach, and the deadlines they meet. */

export const NOTIFICATION_REGIMES = ['gdpr', 'nis2', 'dora', 'processor'] as const satisfies readonly Regime[];
export const NOTIFICATION_PHASES = [
  'initial',
  'supplement',
  'withdrawal',
  'early-warning',
  'intermediate',
  'final',
] as const;
export type NotificationPhase = (typeof NOTIFICATION_PHASES)[number];

/** The phases each regime knows. Supplements and withdrawals refer to an earlier notification by its reference. */
export const PHASES_OF: Record<Regime, readonly NotificationPhase[]> = {
  gdpr: ['initial', 'supplement', 'withdrawal'],
  processor: ['initial', 'supplement', 'withdrawal'],
  nis2: ['early-warning', 'initial', 'intermediate', 'final', 'supplement', 'withdrawal'],
  dora: ['initial', 'intermediate', 'final', 'supplement', 'withdrawal'],
};

const REGIME_NAMES: Record<Regime, string> = {
  gdpr: 'GDPR',
  processor: 'processor-to-controller',
  nis2: 'NIS2',
  dora: 'DORA',
};
const PHASE_NAMES: Record<NotificationPhase, string> = {
  initial: 'initial notification',
  supplement: 'supplement',
  withdrawal: 'withdrawal',
  'early-warning': 'early warning',
  intermediate: 'intermediate report',
  final: 'final report',
};
/** "the NIS2 early warning", "the GDPR initial notification". */
export function describeNotification(regime: Regime, phase: NotificationPhase): string {
  if (regime === 'nis2' && phase === 'initial') return 'the NIS2 incident notification';
  return `the ${REGIME_NAMES[regime]} ${PHASE_NAMES[phase]}`;
}

/** `recordNotification`: one notification (or report) to a regime's authority, or the processor's to the controller. */
export const recordNotificationArgsSchema = z
  .object({
    actor: actorSchema,
    ...actAuthorityShape,
    regime: z.enum(NOTIFICATION_REGIMES, { message: `must be one of ${NOTIFICATION_REGIMES.join(', ')}` }),
    phase: z.enum(NOTIFICATION_PHASES, { message: `must be one of ${NOTIFICATION_PHASES.join(', ')}` }),
    /** When it was submitted (not when it is recorded here). */
    at: isoInstant,
    /** The authority's reference (meldnummer), or one of our own; supplements and withdrawals repeat it. */
    reference: required(100),
    reasonsForDelay: required(5_000).optional(),
  })
  .strict()
  .superRefine((args, ctx) => {
    if (!PHASES_OF[args.regime].includes(args.phase)) {
      ctx.addIssue({
        code: 'custom',
        path: ['phase'],
        message: `"${args.phase}" is not a phase of ${REGIME_NAMES[args.regime]}; use one of ${PHASES_OF[args.regime].join(', ')}`,
      });
    }
  });
export type RecordNotificationArgs = z.input<typeof recordNotificationArgsSchema>;
export type RecordedNotificationArgs = z.output<typeof recordNotificationArgsSchema>;

/** A notification already recorded, as far as the rules below need it. */
export interface PhasedNotification {
  regime: Regime;
  phase: NotificationPhase;
  at: string;
  reference?: string;
}

/** Which deadline a notification meets: NIS2 early warning → nis2-early-warning, DORA initial → dora-initial, … */
export function deadlineKindFor(regime: Regime, phase: NotificationPhase): RegimeDeadlineKind | undefined {
  switch (`${regime}:${phase}`) {
    case 'gdpr:initial':
      return 'gdpr-authority';
    case 'processor:initial':
      return 'processor-controller';
    case 'nis2:early-warning':
      return 'nis2-early-warning';
    case 'nis2:initial':
      return 'nis2-notification';
    case 'nis2:final':
      return 'nis2-final-report';
    case 'dora:initial':
      return 'dora-initial';
    case 'dora:intermediate':
      return 'dora-intermediate';
    case 'dora:final':
      return 'dora-final';
    default:
      return undefined;
  }
}

const earliest = (list: readonly PhasedNotification[], regime: Regime, ...phases: NotificationPhase[]) =>
  list
    .filter((n) => n.regime === regime && phases.includes(n.phase))
    .map((n) => n.at)
    .sort((a, b) => Date.parse(a) - Date.parse(b))[0];

/**
 * The moments deadlinesFor needs, from the notifications recorded so far. Each deadline is met by the earliest
 * notification that meets it; the DORA final-report month counts from the latest intermediate report
 * (doraIntermediateAt), while the intermediate deadline itself was met by the first one (met). A NIS2 incident
 * notification also serves as the early warning when none came before it (it contains at least as much).
 */
export function regimeMomentsFrom(
  list: readonly PhasedNotification[],
): Pick<RegimeInput, 'notifiedAuthorityAt' | 'nis2NotifiedAt' | 'doraInitialAt' | 'doraIntermediateAt' | 'met'> {
  const moments: ReturnType<typeof regimeMomentsFrom> = {};
  const met: Partial<Record<RegimeDeadlineKind, string>> = {};
  const set = <K extends keyof typeof moments>(key: K, value: (typeof moments)[K] | undefined) => {
    if (value !== undefined) moments[key] = value;
  };
  set('notifiedAuthorityAt', earliest(list, 'gdpr', 'initial'));
  set('nis2NotifiedAt', earliest(list, 'nis2', 'initial'));
  set('doraInitialAt', earliest(list, 'dora', 'initial'));
  const intermediates = list
    .filter((n) => n.regime === 'dora' && n.phase === 'intermediate')
    .map((n) => n.at)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  set('doraIntermediateAt', intermediates[intermediates.length - 1]);
  const metBy: [RegimeDeadlineKind, string | undefined][] = [
    ['processor-controller', earliest(list, 'processor', 'initial')],
    ['nis2-early-warning', earliest(list, 'nis2', 'early-warning', 'initial')],
    ['nis2-final-report', earliest(list, 'nis2', 'final')],
    ['dora-intermediate', intermediates[0]],
    ['dora-final', earliest(list, 'dora', 'final')],
  ];
  for (const [kind, at] of metBy) if (at !== undefined) met[kind] = at;
  if (Object.keys(met).length > 0) moments.met = met;
  return moments;
}

/**
 * deadlinesFor with the notifications recorded so far. Where deadlinesFor takes the met moment from the input
 * that also anchors the next deadline (doraIntermediateAt), the deadline is set to when it was first met.
 */
export function deadlinesWithNotifications(
  input: Omit<RegimeInput, 'notifiedAuthorityAt' | 'nis2NotifiedAt' | 'doraInitialAt' | 'doraIntermediateAt' | 'met'>,
  list: readonly PhasedNotification[],
): RegimeDeadline[] {
  const moments = regimeMomentsFrom(list);
  return deadlinesFor({ ...input, ...moments }).map((deadline) => {
    const first = moments.met?.[deadline.kind];
    return first !== undefined && deadline.kind === 'dora-intermediate' ? { ...deadline, metAt: first } : deadline;
  });
}

export interface NotificationContext {
  now: number;
  awareAt: string;
  /** Notifications recorded before this one. */
  recorded: readonly PhasedNotification[];
  /** The deadlines as they stand (deadlinesWithNotifications). */
  deadlines: readonly RegimeDeadline[];
}

/**
 * Checks one notification against what is recorded. Refused, with the field named: a moment in the future or
 * before awareness; a supplement or withdrawal without an earlier initial notification (for NIS2 also an early
 * warning) with the same reference, or after that reference was withdrawn; an initial notification whose
 * reference was already recorded; a NIS2/DORA intermediate or final report before the report it follows; an
 * initial GDPR notification after the 72 hours without the reasons for the delay (art. 33(1)).
 */
export function checkNotification(args: RecordedNotificationArgs, ctx: NotificationContext): string | undefined {
  const at = Date.parse(args.at);
  if (at > ctx.now + 60_000) return 'at: lies in the future; enter the moment the notification was submitted';
  if (at < Date.parse(ctx.awareAt))
    return `at: lies before the moment of awareness (${ctx.awareAt}); a notification cannot come before it`;
  const what = describeNotification(args.regime, args.phase);
  const same = ctx.recorded.filter((n) => n.regime === args.regime);
  const openers: NotificationPhase[] = args.regime === 'nis2' ? ['initial', 'early-warning'] : ['initial'];

  if (args.phase === 'supplement' || args.phase === 'withdrawal') {
    const opener = same.find((n) => openers.includes(n.phase) && n.reference === args.reference);
    if (!opener) {
      const known = [...new Set(same.filter((n) => openers.includes(n.phase)).map((n) => n.reference))].filter(Boolean);
      const first = openers.map((phase) => describeNotification(args.regime, phase).replace(/^the /, '')).join(' or ');
      return `reference: no ${first} with reference "${args.reference}" was recorded; a ${args.phase} refers to an earlier one by its reference${known.length ? ` (recorded: ${known.join(', ')})` : ''}`;
    }
    if (at < Date.parse(opener.at))
      return `at: lies before the notification it ${args.phase === 'supplement' ? 'supplements' : 'withdraws'} (${opener.at})`;
    const withdrawn = same.find((n) => n.phase === 'withdrawal' && n.reference === args.reference);
    if (withdrawn)
      return `reference: "${args.reference}" was withdrawn at ${withdrawn.at}; nothing more can be added to it`;
    return undefined;
  }
  if (args.phase === 'initial' || args.phase === 'early-warning') {
    const twice = same.find((n) => n.phase === args.phase && n.reference === args.reference);
    if (twice)
      return `reference: ${what} with reference "${args.reference}" was already recorded at ${twice.at}; record a supplement instead`;
  }
  const before: Partial<Record<`${Regime}:${NotificationPhase}`, NotificationPhase>> = {
    'nis2:intermediate': 'initial',
    'nis2:final': 'initial',
    'dora:intermediate': 'initial',
    'dora:final': 'intermediate',
  };
  const needs = before[`${args.regime}:${args.phase}`];
  if (needs !== undefined) {
    const earlier = same.filter((n) => n.phase === needs).sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
    if (!earlier) return `phase: ${what} follows ${describeNotification(args.regime, needs)}; record that first`;
    if (at < Date.parse(earlier.at))
      return `at: lies before ${describeNotification(args.regime, needs)} (${earlier.at}) it follows`;
  }
  if (args.regime === 'gdpr' && args.phase === 'initial' && args.reasonsForDelay === undefined) {
    const due = ctx.deadlines.find((d) => d.kind === 'gdpr-authority')?.due;
    if (due !== undefined && at > Date.parse(due)) {
      return `reasonsForDelay: is required because the initial notification came after the 72-hour deadline (${due}; GDPR art. 33(1))`;
    }
  }
  return undefined;
}
