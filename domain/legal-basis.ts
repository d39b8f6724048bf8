import type { Language, Wording } from './language';
import type { RegimeDeadlineKind } from './regimes/deadlines';

/**
 * The legal basis of each deadline as a reader cites it: the AVG and "lid"/"onder" in Dutch, the GDPR and
 * "33(1)" in English. domain/regimes/deadlines.ts keeps the English basis it records on each deadline.
 */
export const DEADLINE_BASIS_LABELS: Record<RegimeDeadlineKind, Wording> = {
  'gdpr-authority': { nl: 'AVG art. 33 lid 1', en: 'GDPR art. 33(1)' },
  'data-subjects': {
    nl: 'AVG art. 34 lid 1 (eigen streeftermijn voor "zonder onredelijke vertraging")',
    en: 'GDPR art. 34(1) (internal target for "without undue delay")',
  },
  'processor-controller': {
    nl: 'AVG art. 33 lid 2 en de verwerkersovereenkomst',
    en: 'GDPR art. 33(2) and the processing agreement',
  },
  'nis2-early-warning': { nl: 'NIS2 art. 23 lid 4 onder a', en: 'NIS2 art. 23(4)(a)' },
  'nis2-notification': { nl: 'NIS2 art. 23 lid 4 onder b', en: 'NIS2 art. 23(4)(b)' },
  'nis2-final-report': { nl: 'NIS2 art. 23 lid 4 onder d', en: 'NIS2 art. 23(4)(d)' },
  'dora-initial': {
    nl: 'DORA art. 19 lid 4 onder a; Gedelegeerde Verordening (EU) 2025/301 art. 5',
    en: 'DORA art. 19(4)(a); Delegated Regulation (EU) 2025/301 art. 5',
  },
  'dora-intermediate': {
    nl: 'DORA art. 19 lid 4 onder b; Gedelegeerde Verordening (EU) 2025/301 art. 5',
    en: 'DORA art. 19(4)(b); Delegated Regulation (EU) 2025/301 art. 5',
  },
  'dora-final': {
    nl: 'DORA art. 19 lid 4 onder c; Gedelegeerde Verordening (EU) 2025/301 art. 5',
    en: 'DORA art. 19(4)(c); Delegated Regulation (EU) 2025/301 art. 5',
  },
};

export function basisLabel(kind: string, lang: Language): string | undefined {
  return (DEADLINE_BASIS_LABELS as Record<string, Wording | undefined>)[kind]?.[lang];
}

const REGIME_LABELS: Record<string, Wording> = {
  gdpr: { nl: 'AVG', en: 'GDPR' },
  nis2: { nl: 'NIS2', en: 'NIS2' },
  dora: { nl: 'DORA', en: 'DORA' },
  processor: { nl: 'verwerker', en: 'processor' },
};

/** Whose rules a notification follows, as the reader names them: the GDPR is the AVG in Dutch. */
export function regimeLabel(regime: string, lang: Language): string {
  return REGIME_LABELS[regime]?.[lang] ?? regime.toUpperCase();
}

const NOTIFICATION_PHASE_LABELS: Record<string, Wording> = {
  initial: { nl: 'eerste melding', en: 'initial' },
  supplement: { nl: 'aanvulling', en: 'supplement' },
  withdrawal: { nl: 'intrekking', en: 'withdrawal' },
  'early-warning': { nl: 'vroegtijdige waarschuwing', en: 'early warning' },
  intermediate: { nl: 'tussentijds rapport', en: 'intermediate report' },
  final: { nl: 'eindrapport', en: 'final report' },
};

export function notificationPhaseLabel(phase: string, lang: Language): string {
  return NOTIFICATION_PHASE_LABELS[phase]?.[lang] ?? phase;
}
