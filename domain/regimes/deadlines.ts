import { HOUR_MS } from '../duration';
import { GDPR_AUTHORITY_HOURS } from '../deadlines';
import { instant, iso, oneMonthAfter } from './calendar';
import type { Wording } from '../language';
import { DEADLINE_LABELS } from '../labels';
import type { IncidentClassification, OrganisationProfile } from './profile';

/**
 * Every deadline of every notification regime that can apply to a breach, as pure functions: the GDPR
 * (authority, people affected, processor to controller), NIS2 art. 23 and DORA art. 19. Callers pass every
 * moment in; nothing here reads a clock. How each due instant is computed, and every reading of the law, is in
 * docs/deadlines.md.
 */

export const NIS2_EARLY_WARNING_HOURS = 24;
export const NIS2_NOTIFICATION_HOURS = 72;
export const DORA_INITIAL_AFTER_CLASSIFICATION_HOURS = 4;
export const DORA_INITIAL_AFTER_AWARENESS_HOURS = 24;
export const DORA_INTERMEDIATE_HOURS = 72;

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

/** The moments deadlinesFor can wait for: the names of its input fields. */
export type PendingInput = 'decidedAt' | 'nis2NotifiedAt' | 'doraInitialAt' | 'doraIntermediateAt';

export interface RegimeDeadline {
  kind: RegimeDeadlineKind;
  regime: Regime;
  label: Wording;
  /** Where the figure comes from, e.g. "GDPR art. 33(1)". */
  basis: string;
  /** The exact instant (UTC ISO) by which it must be done; undefined while it waits for `pendingOn`. */
  due: string | undefined;
  /** The instant the window counts from (awareness, classification, a previous report); for reminders. */
  countsFrom: string | undefined;
  /** What the due instant waits for: the input field that will fill it, and words for people. */
  pendingOn?: { input: PendingInput; text: Wording };
  /** When it was done (notification sent, report filed); a met deadline is no longer "next". */
  metAt?: string;
  /** Applies only if the pending assessment (NIS2 significance, DORA "major") comes out yes. */
  provisional?: boolean;
  /** How the due instant was chosen, where that is not obvious (e.g. DORA's outer bound). */
  note?: Wording | undefined;
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

const PENDING: Record<PendingInput, Wording> = {
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
    const entry: RegimeDeadline = {
      kind,
      regime: REGIME[kind],
      label: DEADLINE_LABELS[kind],
      basis: BASIS[kind],
      ...fields,
    };
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
      const note: Wording =
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
      const note: Wording | undefined = capped
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
