import { z } from 'zod';
import { instantAtWallClock, wallClock } from './amsterdam-clock';
import { durationSchema, HOUR_MS } from './duration';
import { checkAwareAt, GDPR_AUTHORITY_HOURS, upcomingReminders, type Reminder } from './deadlines';
import { InvalidInputError } from './errors';

/**
 * Every notification regime that can apply to a breach, as pure functions: the GDPR (authority, people
 * affected, processor to controller), NIS2 art. 23 and DORA art. 19. Callers pass every moment in; nothing
 * here reads a clock. How each due instant is computed, and every reading of the law, is in docs/deadlines.md.
 */

// ---------------------------------------------------------------------------------------------------------
// The organisation's profile (config: organisation.profile) and the classification of one incident
// ---------------------------------------------------------------------------------------------------------

/** What the organisation is, for the regimes that depend on it. Every field has a default. */
export const organisationProfileSchema = z
  .object({
    /** Controller (verwerkingsverantwoordelijke), processor (verwerker), or both (for different processing). */
    role: z.enum(['controller', 'processor', 'both']).default('controller'),
    /** NIS2 essential or important entity (Cyberbeveiligingswet in the Netherlands), or neither. */
    nis2Entity: z.enum(['none', 'essential', 'important']).default('none'),
    /** A financial entity under DORA (Regulation (EU) 2022/2554). */
    financialEntity: z.boolean().default(false),
    /** Art. 33(2) says "without undue delay"; the processing agreement usually says 24–48 h. */
    processorToControllerDue: durationSchema.prefault('24h'),
    /** Internal target for art. 34 "without undue delay", counted from the FG's decision to inform people. */
    dataSubjectTarget: durationSchema.prefault('72h'),
  })
  .strict();
export type OrganisationProfile = z.output<typeof organisationProfileSchema>;

/** When the people affected should have been told, counted from the FG's decision (art. 34's internal target). */
export function dataSubjectTargetOf(profile: OrganisationProfile | undefined): number {
  return (profile ?? organisationProfileSchema.parse({})).dataSubjectTarget;
}
export type OrganisationProfileInput = z.input<typeof organisationProfileSchema>;

const isoInstant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time, e.g. 2026-11-28T09:30:00Z',
});

/** How the incident was classified during the breach (not config). Absent answers mean "not yet assessed". */
export const incidentClassificationSchema = z
  .object({
    /** NIS2 art. 23(3): a significant incident. Undefined: not yet assessed. */
    nis2Significant: z.boolean().optional(),
    /** DORA art. 18: `false` when assessed as not major (no DORA reporting). Implied by doraMajorClassifiedAt. */
    doraMajor: z.boolean().optional(),
    /** The moment the incident was classified as major under DORA: starts the 4-hour clock. */
    doraMajorClassifiedAt: isoInstant.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.doraMajor === false && value.doraMajorClassifiedAt !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['doraMajorClassifiedAt'],
        message: 'is set, but doraMajor is false; a classification moment means the incident is major',
      });
    }
  });
export type IncidentClassification = z.output<typeof incidentClassificationSchema>;

// ---------------------------------------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------------------------------------

export const NIS2_EARLY_WARNING_HOURS = 24;
export const NIS2_NOTIFICATION_HOURS = 72;
export const DORA_INITIAL_AFTER_CLASSIFICATION_HOURS = 4;
export const DORA_INITIAL_AFTER_AWARENESS_HOURS = 24;
export const DORA_INTERMEDIATE_HOURS = 72;
/** The time zone whose calendar and wall clock "one month" is counted in. */
export { LEGAL_TIME_ZONE } from './amsterdam-clock';
/** Default reminders: when half and when 90 % of a deadline's window has passed. */
export const DEFAULT_REMINDER_FRACTIONS: readonly number[] = [0.5, 0.9];

export const REGIME_DEADLINE_KINDS = [
  'gdpr-authority',
  'data-subjects',
  'processor-controller',
  'nis2-early-warning',
  'nis2-notification',
  'nis2-final-report',
  'dora-initial',
  'dora-intermediate',
  'dora-final',
] as const;
/** Every legal clock; the case's DeadlineKind (domain/case.ts) is this type. */
export type RegimeDeadlineKind = (typeof REGIME_DEADLINE_KINDS)[number];
export type Regime = 'gdpr' | 'nis2' | 'dora' | 'processor';

export interface Bilingual {
  nl: string;
  en: string;
}

/** The moments deadlinesFor can wait for: the names of its input fields. */
export type PendingInput = 'decidedAt' | 'nis2NotifiedAt' | 'doraInitialAt' | 'doraIntermediateAt';

export interface RegimeDeadline {
  kind: RegimeDeadlineKind;
  regime: Regime;
  label: Bilingual;
  /** Where the figure comes from, e.g. "GDPR art. 33(1)". */
  basis: string;
  /** The exact instant (UTC ISO) by which it must be done; undefined while it waits for `pendingOn`. */
  due: string | undefined;
  /** The instant the window counts from (awareness, classification, a previous report); for reminders. */
  countsFrom: string | undefined;
  /** What the due instant waits for: the input field that will fill it, and words for people. */
  pendingOn?: { input: PendingInput; text: Bilingual };
  /** When it was done (notification sent, report filed); a met deadline is no longer "next". */
  metAt?: string;
  /** Applies only if the pending assessment (NIS2 significance, DORA "major") comes out yes. */
  provisional?: boolean;
  /** How the due instant was chosen, where that is not obvious (e.g. DORA's outer bound). */
  note?: Bilingual | undefined;
}

export interface RegimeInput {
  /** The moment of awareness (art. 33(1)); also the awareness NIS2 and DORA count from. */
  awareAt: string;
  profile: OrganisationProfile;
  classification?: IncidentClassification;
  /** When the FG decided that the people affected must be told (art. 34); omit until so decided. */
  decidedAt?: string;
  /** When the authority (AP) was notified: meets gdpr-authority. */
  notifiedAuthorityAt?: string;
  /** When the NIS2 incident notification (art. 23(4)(b)) was submitted: meets it, and starts the final-report month. */
  nis2NotifiedAt?: string;
  /** When the DORA initial notification was submitted: meets it, and starts the 72 h to the intermediate report. */
  doraInitialAt?: string;
  /** When the (latest updated) DORA intermediate report was submitted: meets it, and starts the final-report month. */
  doraIntermediateAt?: string;
  /** When other deadlines were met (e.g. the NIS2 early warning, the processor's message to the controller). */
  met?: Partial<Record<RegimeDeadlineKind, string>>;
}

const LABELS: Record<RegimeDeadlineKind, Bilingual> = {
  'gdpr-authority': {
    nl: 'Melding aan de Autoriteit Persoonsgegevens',
    en: 'Notification to the Dutch DPA (Autoriteit Persoonsgegevens)',
  },
  'data-subjects': { nl: 'Betrokkenen informeren', en: 'Inform the people affected' },
  'processor-controller': { nl: 'Melding aan de verwerkingsverantwoordelijke', en: 'Notify the controller' },
  'nis2-early-warning': { nl: 'NIS2 vroegtijdige waarschuwing', en: 'NIS2 early warning' },
  'nis2-notification': { nl: 'NIS2-incidentmelding', en: 'NIS2 incident notification' },
  'nis2-final-report': { nl: 'NIS2-eindverslag', en: 'NIS2 final report' },
  'dora-initial': { nl: 'DORA initiële melding', en: 'DORA initial notification' },
  'dora-intermediate': { nl: 'DORA tussentijds rapport', en: 'DORA intermediate report' },
  'dora-final': { nl: 'DORA eindrapport', en: 'DORA final report' },
};

const BASIS: Record<RegimeDeadlineKind, string> = {
  'gdpr-authority': 'GDPR art. 33(1)',
  'data-subjects': 'GDPR art. 34(1) (internal target for "without undue delay")',
  'processor-controller': 'GDPR art. 33(2) and the processing agreement',
  'nis2-early-warning': 'NIS2 art. 23(4)(a)',
  'nis2-notification': 'NIS2 art. 23(4)(b)',
  'nis2-final-report': 'NIS2 art. 23(4)(d)',
  'dora-initial': 'DORA art. 19(4)(a); Delegated Regulation (EU) 2025/301 art. 5',
  'dora-intermediate': 'DORA art. 19(4)(b); Delegated Regulation (EU) 2025/301 art. 5',
  'dora-final': 'DORA art. 19(4)(c); Delegated Regulation (EU) 2025/301 art. 5',
};

const REGIME: Record<RegimeDeadlineKind, Regime> = {
  'gdpr-authority': 'gdpr',
  'data-subjects': 'gdpr',
  'processor-controller': 'processor',
  'nis2-early-warning': 'nis2',
  'nis2-notification': 'nis2',
  'nis2-final-report': 'nis2',
  'dora-initial': 'dora',
  'dora-intermediate': 'dora',
  'dora-final': 'dora',
};

const PENDING: Record<PendingInput, Bilingual> = {
  decidedAt: {
    nl: 'het besluit van de FG om betrokkenen te informeren',
    en: "the FG's decision to inform the people affected",
  },
  nis2NotifiedAt: {
    nl: 'het moment van de NIS2-incidentmelding',
    en: 'the moment the NIS2 incident notification is submitted',
  },
  doraInitialAt: {
    nl: 'het moment van de initiële DORA-melding',
    en: 'the moment the DORA initial notification is submitted',
  },
  doraIntermediateAt: {
    nl: 'het moment van het (laatst bijgewerkte) tussentijdse DORA-rapport',
    en: 'the moment the (latest updated) DORA intermediate report is submitted',
  },
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Parses an instant the caller passed in, naming the field when it is not one. */
function instant(field: string, value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidInputError(`${field}: is not a date-time`);
  return ms;
}

/**
 * Every deadline that applies to this breach, in a fixed order (GDPR, processor, NIS2, DORA). "72 h" and the
 * like are elapsed time; "one month" is calendar time in Europe/Amsterdam (see oneMonthAfter). Regimes that
 * do not apply are left out; a deadline whose starting moment is not known yet has `due: undefined` and says
 * what it waits for in `pendingOn`.
 */
export function deadlinesFor(input: RegimeInput): RegimeDeadline[] {
  const { profile, classification = {} } = input;
  const aware = instant('awareAt', input.awareAt);
  for (const field of [
    'decidedAt',
    'notifiedAuthorityAt',
    'nis2NotifiedAt',
    'doraInitialAt',
    'doraIntermediateAt',
  ] as const) {
    const value = input[field];
    if (value !== undefined) instant(field, value);
  }
  for (const [kind, at] of Object.entries(input.met ?? {})) if (at !== undefined) instant(`met.${kind}`, at);
  if (classification.doraMajorClassifiedAt !== undefined)
    instant('classification.doraMajorClassifiedAt', classification.doraMajorClassifiedAt);

  const met = input.met ?? {};
  const deadline = (
    kind: RegimeDeadlineKind,
    fields: Omit<RegimeDeadline, 'kind' | 'regime' | 'label' | 'basis'>,
    metAt?: string,
  ): RegimeDeadline => {
    const entry: RegimeDeadline = { kind, regime: REGIME[kind], label: LABELS[kind], basis: BASIS[kind], ...fields };
    const done = metAt ?? met[kind];
    if (done !== undefined) entry.metAt = done;
    for (const key of ['pendingOn', 'provisional', 'note'] as const) if (entry[key] === undefined) delete entry[key];
    return entry;
  };
  const after = (kind: RegimeDeadlineKind, fromMs: number, ms: number, metAt?: string) =>
    deadline(kind, { due: iso(fromMs + ms), countsFrom: iso(fromMs) }, metAt);
  const waiting = (kind: RegimeDeadlineKind, on: PendingInput, metAt?: string) =>
    deadline(kind, { due: undefined, countsFrom: undefined, pendingOn: { input: on, text: PENDING[on] } }, metAt);
  const monthAfter = (kind: RegimeDeadlineKind, anchor: string | undefined, anchorField: PendingInput) =>
    anchor === undefined
      ? waiting(kind, anchorField)
      : deadline(kind, { due: oneMonthAfter(anchor), countsFrom: iso(Date.parse(anchor)) });

  const list: RegimeDeadline[] = [];
  const controller = profile.role !== 'processor';

  // GDPR: the controller's duties.
  if (controller) {
    list.push(after('gdpr-authority', aware, GDPR_AUTHORITY_HOURS * HOUR_MS, input.notifiedAuthorityAt));
    if (input.decidedAt !== undefined)
      list.push(after('data-subjects', instant('decidedAt', input.decidedAt), profile.dataSubjectTarget));
  }
  // GDPR art. 33(2): the processor's duty towards the controller.
  if (profile.role !== 'controller') list.push(after('processor-controller', aware, profile.processorToControllerDue));

  // NIS2 art. 23: only significant incidents; not yet assessed counts as "maybe" (provisional).
  if (profile.nis2Entity !== 'none' && classification.nis2Significant !== false) {
    const provisional = classification.nis2Significant !== true && input.nis2NotifiedAt === undefined;
    const nis2 = [
      after('nis2-early-warning', aware, NIS2_EARLY_WARNING_HOURS * HOUR_MS),
      after('nis2-notification', aware, NIS2_NOTIFICATION_HOURS * HOUR_MS, input.nis2NotifiedAt),
      monthAfter('nis2-final-report', input.nis2NotifiedAt, 'nis2NotifiedAt'),
    ];
    for (const entry of nis2) {
      if (provisional) {
        entry.provisional = true;
        entry.note = {
          nl: 'Geldt als het incident significant is (NIS2 art. 23(3)); dat is nog niet beoordeeld. Beoordeel het vóór de vroegtijdige waarschuwing.',
          en: 'Applies if the incident is significant (NIS2 art. 23(3)); that has not been assessed yet. Assess it before the early warning is due.',
        };
      }
      list.push(entry);
    }
  }

  // DORA art. 19: only major ICT-related incidents.
  if (profile.financialEntity && classification.doraMajor !== false) {
    const classified = classification.doraMajorClassifiedAt;
    const outer = aware + DORA_INITIAL_AFTER_AWARENESS_HOURS * HOUR_MS;
    let initial: RegimeDeadline;
    if (classified === undefined) {
      const note: Bilingual =
        classification.doraMajor === true
          ? {
              nl: 'Uiterste grens: 24 uur na het bewustzijnsmoment. Het incident is "major", maar het moment van classificatie is niet vastgelegd; leg het vast, dan geldt 4 uur daarna als dat eerder is.',
              en: 'Outer bound: 24 h after awareness. The incident is major, but the moment of classification is not recorded; record it and the notification is due 4 h after it if that is earlier.',
            }
          : {
              nl: 'Uiterste grens: 24 uur na het bewustzijnsmoment. Het incident is nog niet als "major" geclassificeerd; na classificatie geldt 4 uur daarna, als dat eerder is.',
              en: 'Outer bound: 24 h after awareness. The incident has not been classified as major yet; once it is, the notification is due 4 h after classification if that is earlier.',
            };
      initial = deadline('dora-initial', { due: iso(outer), countsFrom: iso(aware), note }, input.doraInitialAt);
    } else {
      const classifiedMs = Date.parse(classified);
      const fourHours = classifiedMs + DORA_INITIAL_AFTER_CLASSIFICATION_HOURS * HOUR_MS;
      const capped = outer < fourHours;
      const note: Bilingual | undefined = capped
        ? {
            nl: 'Begrensd: 24 uur na het bewustzijnsmoment valt vóór 4 uur na de classificatie als "major".',
            en: 'Capped: 24 h after awareness comes before 4 h after classification as major.',
          }
        : undefined;
      initial = deadline(
        'dora-initial',
        { due: iso(Math.min(fourHours, outer)), countsFrom: iso(capped ? aware : classifiedMs), note },
        input.doraInitialAt,
      );
    }
    const doraInitialAt = input.doraInitialAt;
    const intermediate =
      doraInitialAt === undefined
        ? waiting('dora-intermediate', 'doraInitialAt', input.doraIntermediateAt)
        : after(
            'dora-intermediate',
            Date.parse(doraInitialAt),
            DORA_INTERMEDIATE_HOURS * HOUR_MS,
            input.doraIntermediateAt,
          );
    const final = monthAfter('dora-final', input.doraIntermediateAt, 'doraIntermediateAt');
    const provisional = classified === undefined && classification.doraMajor !== true && doraInitialAt === undefined;
    for (const entry of [initial, intermediate, final]) {
      if (provisional) entry.provisional = true;
      list.push(entry);
    }
  }
  return list;
}

// ---------------------------------------------------------------------------------------------------------
// "One month": calendar time in Europe/Amsterdam
// ---------------------------------------------------------------------------------------------------------

const DAY_MS = 24 * HOUR_MS;
/**
 * "One month" after an instant: the same day of the month, one calendar month later, at the same wall-clock
 * time in Europe/Amsterdam. A day the next month lacks becomes its last day (31 Jan → 28 or 29 Feb,
 * 31 Mar → 30 Apr). Across a change to or from summer time the wall clock stays and the elapsed time changes
 * by an hour.
 */
export function oneMonthAfter(at: string): string {
  const wall = new Date(wallClock(instant('at', at)));
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth();
  const day = wall.getUTCDate();
  const timeOfDay = wall.getTime() - Date.UTC(year, month, day);
  const targetYear = month === 11 ? year + 1 : year;
  const targetMonth = (month + 1) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return iso(instantAtWallClock(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay)) + timeOfDay));
}

/** "2026-10-24 12:00": the Amsterdam wall clock, for text people read. */
export function amsterdamTime(at: string): string {
  return new Date(wallClock(instant('at', at))).toISOString().slice(0, 16).replace('T', ' ');
}

// ---------------------------------------------------------------------------------------------------------
// The dashboard and reminders
// ---------------------------------------------------------------------------------------------------------

export interface NextDeadline {
  deadline: RegimeDeadline & { due: string };
  /** The due instant has passed and the deadline is still open. */
  overdue: boolean;
  /** Until due; negative when overdue. */
  msLeft: number;
}

const isOpen = (deadline: RegimeDeadline): deadline is RegimeDeadline & { due: string } =>
  deadline.due !== undefined && deadline.metAt === undefined;

/**
 * The deadline to show first: of those with a due instant and not yet met, the earliest — so an open overdue
 * one comes before one still ahead. Ties keep the order of the list. Undefined when nothing is open.
 */
export function nextDeadline(deadlines: readonly RegimeDeadline[], now: number): NextDeadline | undefined {
  let best: (RegimeDeadline & { due: string }) | undefined;
  for (const deadline of deadlines) {
    if (isOpen(deadline) && (best === undefined || Date.parse(deadline.due) < Date.parse(best.due))) best = deadline;
  }
  if (best === undefined) return undefined;
  const msLeft = Date.parse(best.due) - now;
  return { deadline: best, overdue: msLeft < 0, msLeft };
}

export interface RegimeReminder extends Reminder {
  kind: RegimeDeadlineKind;
  /** Exact time left at the reminder (hoursLeft is rounded, which says 0 for a 4-hour window). */
  msLeft: number;
}

/** Default reminder offsets for a deadline: at 50 % and at 90 % of its window (countsFrom → due). */
export function defaultReminderOffsets(deadline: RegimeDeadline): number[] {
  if (deadline.due === undefined || deadline.countsFrom === undefined) return [];
  const window = Date.parse(deadline.due) - Date.parse(deadline.countsFrom);
  return DEFAULT_REMINDER_FRACTIONS.map((fraction) => Math.round(window * fraction));
}

/**
 * Reminders still ahead of `now` for one deadline, generalising upcomingReminders: offsets count from the
 * deadline's `countsFrom` (awareness for gdpr-authority, so the configured 24/48/60/70 h fit as they are);
 * without offsets, defaultReminderOffsets. None for a deadline that is met or not yet computable.
 */
export function remindersFor(
  deadline: RegimeDeadline,
  offsetsMs: readonly number[] | undefined,
  now: number,
): RegimeReminder[] {
  if (deadline.due === undefined || deadline.countsFrom === undefined || deadline.metAt !== undefined) return [];
  const due = Date.parse(deadline.due);
  return upcomingReminders(deadline.countsFrom, deadline.due, offsetsMs ?? defaultReminderOffsets(deadline), now).map(
    (reminder) => ({
      ...reminder,
      kind: deadline.kind,
      msLeft: due - Date.parse(reminder.at),
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Correcting the moment of awareness
// ---------------------------------------------------------------------------------------------------------

export interface DeadlineMove {
  kind: RegimeDeadlineKind;
  label: Bilingual;
  from: string;
  to: string;
  /** Positive: later; negative: earlier. */
  shiftMs: number;
  /** "NIS2 early warning: moves 5 h earlier, to 2026-10-25 07:00". */
  text: Bilingual;
}

export type AwarenessCorrection =
  | { ok: false; message: string }
  | { ok: true; from: string; to: string; shiftMs: number; moves: DeadlineMove[]; summary: Bilingual };

/** The rest of the case, so the corrections cover every regime that applies (default: a controller only). */
export type AwarenessContext = Partial<Omit<RegimeInput, 'awareAt'>> & { by?: string };

/** "5 h", "1 d 2 h 30 min" (en) / "5 uur", "1 dag 2 uur 30 min" (nl). */
export function describeSpan(ms: number): Bilingual {
  let rest = Math.abs(ms);
  const days = Math.floor(rest / DAY_MS);
  rest -= days * DAY_MS;
  const hours = Math.floor(rest / HOUR_MS);
  rest -= hours * HOUR_MS;
  const minutes = Math.floor(rest / 60_000);
  const seconds = Math.round((rest - minutes * 60_000) / 1000);
  const en: string[] = [];
  const nl: string[] = [];
  const add = (amount: number, en_: string, nl_: string) => {
    en.push(`${amount} ${en_}`);
    nl.push(`${amount} ${nl_}`);
  };
  if (days) add(days, 'd', days === 1 ? 'dag' : 'dagen');
  if (hours) add(hours, 'h', 'uur');
  if (minutes) add(minutes, 'min', 'min');
  if (seconds || en.length === 0) add(seconds, 's', 's');
  return { en: en.join(' '), nl: nl.join(' ') };
}

/**
 * Validates a correction of the moment of awareness and says which deadlines move and by how much, for the
 * audit entry. Refused: a moment that does not parse, lies in the future (checkAwareAt), equals the recorded
 * one, or comes after something that can only follow awareness (a decision, a notification, a report, the
 * DORA classification). Deadlines that count from something else (NIS2 final report, DORA intermediate and
 * final, the people affected) do not move; DORA's initial notification moves only while awareness bounds it.
 */
export function correctAwareness(
  oldAwareAt: string,
  newAwareAt: string,
  now: number,
  context: AwarenessContext = {},
): AwarenessCorrection {
  const oldMs = Date.parse(oldAwareAt);
  if (Number.isNaN(oldMs)) return { ok: false, message: 'oldAwareAt: is not a date-time' };
  const problem = checkAwareAt(newAwareAt, now);
  if (problem) return { ok: false, message: `newAwareAt: ${problem}` };
  const newMs = Date.parse(newAwareAt);
  if (newMs === oldMs) return { ok: false, message: 'newAwareAt: is the moment already recorded; nothing to correct' };

  const later: [string, string | undefined][] = [
    ['the DORA classification as major', context.classification?.doraMajorClassifiedAt],
    ["the FG's decision to inform the people affected", context.decidedAt],
    ['the notification to the authority', context.notifiedAuthorityAt],
    ['the NIS2 incident notification', context.nis2NotifiedAt],
    ['the DORA initial notification', context.doraInitialAt],
    ['the DORA intermediate report', context.doraIntermediateAt],
    ...Object.entries(context.met ?? {}).map(([kind, at]): [string, string | undefined] => [
      `${(LABELS[kind as RegimeDeadlineKind] as Bilingual | undefined)?.en ?? kind} (done)`,
      at,
    ]),
  ];
  for (const [what, at] of later) {
    if (at !== undefined && Date.parse(at) < newMs)
      return { ok: false, message: `newAwareAt: lies after ${what} (${at}); awareness cannot come after it` };
  }

  const { profile, ...others } = context;
  const rest = { ...others, profile: profile ?? organisationProfileSchema.parse({}) };
  let before: RegimeDeadline[];
  let after: RegimeDeadline[];
  try {
    before = deadlinesFor({ ...rest, awareAt: oldAwareAt });
    after = deadlinesFor({ ...rest, awareAt: newAwareAt });
  } catch (error) {
    if (error instanceof InvalidInputError) return { ok: false, message: error.message };
    throw error;
  }
  const moves: DeadlineMove[] = [];
  for (const old of before) {
    const moved = after.find((d) => d.kind === old.kind);
    if (old.due === undefined || moved?.due === undefined || moved.due === old.due) continue;
    const shiftMs = Date.parse(moved.due) - Date.parse(old.due);
    const span = describeSpan(shiftMs);
    const local = amsterdamTime(moved.due);
    moves.push({
      kind: old.kind,
      label: old.label,
      from: old.due,
      to: moved.due,
      shiftMs,
      text: {
        en: `${old.label.en}: moves ${span.en} ${shiftMs < 0 ? 'earlier' : 'later'}, to ${local}`,
        nl: `${old.label.nl}: ${span.nl} ${shiftMs < 0 ? 'eerder' : 'later'}, naar ${local}`,
      },
    });
  }
  const by = context.by === undefined ? { en: '', nl: '' } : { en: ` by ${context.by}`, nl: ` door ${context.by}` };
  const what = (lang: keyof Bilingual) =>
    moves.length === 0
      ? lang === 'en'
        ? 'no deadline moves'
        : 'geen termijn verschuift'
      : moves.map((m) => m.text[lang]).join('; ');
  return {
    ok: true,
    from: iso(oldMs),
    to: iso(newMs),
    shiftMs: newMs - oldMs,
    moves,
    summary: {
      en: `awareness corrected from ${amsterdamTime(oldAwareAt)} to ${amsterdamTime(newAwareAt)} (Amsterdam time)${by.en}: ${what('en')}`,
      nl: `bewustzijnsmoment gecorrigeerd van ${amsterdamTime(oldAwareAt)} naar ${amsterdamTime(newAwareAt)} (Nederlandse tijd)${by.nl}: ${what('nl')}`,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Recording during a breach: classification, notifications in phases (art. 33(4)), who may do it
// ---------------------------------------------------------------------------------------------------------

/** An email address is at most 254 characters (RFC 5321); anything longer is nobody in the directory. */
export const MAX_ACTOR_LENGTH = 254;
const actorSchema = z
  .string({ message: 'is required: the email of the person acting' })
  .trim()
  .min(1, 'is required: the email of the person acting')
  .max(MAX_ACTOR_LENGTH, `is longer than ${MAX_ACTOR_LENGTH} characters: the email of the person acting`);
/** Who authenticated the act (domain/act-proof.ts): checked by the workflow's validator, not here. */
const actAuthorityShape = { proof: z.unknown().optional(), via: z.unknown().optional() };
const required = (max: number) =>
  z.string({ message: 'is required' }).trim().min(1, 'is required').max(max, `is longer than ${max} characters`);

/** `classifyIncident`: the FG or the CISO records the NIS2 and DORA assessment; absent fields stay as they were. */
export const classifyIncidentArgsSchema = z
  .object({
    actor: actorSchema,
    ...actAuthorityShape,
    nis2Significant: z
      .boolean({ message: 'must be true or false: is the incident significant under NIS2 art. 23(3)?' })
      .optional(),
    doraMajor: z
      .boolean({ message: 'must be true or false: is it a major ICT-related incident under DORA art. 18?' })
      .optional(),
    doraMajorClassifiedAt: isoInstant.optional(),
  })
  .strict();
export type ClassifyIncidentArgs = z.input<typeof classifyIncidentArgsSchema>;

/** `correctAwareness`: the FG corrects the moment of awareness, and says why. */
export const correctAwarenessArgsSchema = z
  .object({
    actor: actorSchema,
    ...actAuthorityShape,
    awareAt: isoInstant,
    reason: required(2_000),
  })
  .strict();
export type CorrectAwarenessArgs = z.input<typeof correctAwarenessArgsSchema>;

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

/**
 * Merges a classification update into the current classification: absent fields stay; a classification moment
 * implies "major"; "not major" clears an earlier classification moment. Refused: a classification moment in the
 * future or before awareness, an update that sets nothing, and a contradiction (doraMajor false with a moment).
 */
export function mergeClassification(
  current: IncidentClassification,
  update: z.output<typeof classifyIncidentArgsSchema>,
  awareAt: string,
  now: number,
): { ok: true; classification: IncidentClassification } | { ok: false; message: string } {
  if (
    update.nis2Significant === undefined &&
    update.doraMajor === undefined &&
    update.doraMajorClassifiedAt === undefined
  ) {
    return {
      ok: false,
      message: 'nis2Significant: give at least one of nis2Significant, doraMajor, doraMajorClassifiedAt',
    };
  }
  if (update.doraMajorClassifiedAt !== undefined) {
    if (Date.parse(update.doraMajorClassifiedAt) > now + 60_000) {
      return {
        ok: false,
        message: 'doraMajorClassifiedAt: lies in the future; enter the moment the incident was classified as major',
      };
    }
    if (Date.parse(update.doraMajorClassifiedAt) < Date.parse(awareAt)) {
      return {
        ok: false,
        message: `doraMajorClassifiedAt: lies before the moment of awareness (${awareAt}); an incident cannot be classified before anyone knew of it`,
      };
    }
  }
  const merged: IncidentClassification = { ...current };
  if (update.nis2Significant !== undefined) merged.nis2Significant = update.nis2Significant;
  if (update.doraMajor === false && update.doraMajorClassifiedAt === undefined) delete merged.doraMajorClassifiedAt;
  if (update.doraMajor !== undefined) merged.doraMajor = update.doraMajor;
  if (update.doraMajorClassifiedAt !== undefined) {
    merged.doraMajorClassifiedAt = update.doraMajorClassifiedAt;
    if (update.doraMajor === undefined) merged.doraMajor = true;
  }
  const parsed = incidentClassificationSchema.safeParse(merged);
  if (!parsed.success)
    return {
      ok: false,
      message: parsed.error.issues
        .map((i) => `${i.path.map(String).join('.') || 'classification'}: ${i.message}`)
        .join('; '),
    };
  return { ok: true, classification: parsed.data };
}

/** "NIS2 significant: yes; DORA major: yes, classified at 2026-11-28 10:00 (Amsterdam time)". */
export function describeClassification(classification: IncidentClassification): string {
  const nis2 =
    classification.nis2Significant === undefined ? 'not assessed' : classification.nis2Significant ? 'yes' : 'no';
  const dora =
    classification.doraMajorClassifiedAt !== undefined
      ? `yes, classified at ${amsterdamTime(classification.doraMajorClassifiedAt)} (Amsterdam time)`
      : classification.doraMajor === undefined
        ? 'not assessed'
        : classification.doraMajor
          ? 'yes (moment of classification not recorded)'
          : 'no';
  return `NIS2 significant: ${nis2}; DORA major: ${dora}`;
}
