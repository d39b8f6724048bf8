import type { CaseView } from './case';
import { CONTAINMENT_MEASURES, type Answer } from './tasks';

/**
 * What the register keeps of a breach as data, so that the art. 33(5) record, the register's filters and its
 * exports stand without Temporal: long after the namespace's retention has dropped the histories, the AP may ask
 * for the facts, the effects, the remedial action, the decisions and their reasons, and every notification.
 * Built from the case view in the workflow (pure, deterministic) and written by the `record` activity in one
 * transaction: the breach row's columns, and child rows replaced as a whole.
 */
export interface LastingRecord {
  row: LastingColumns;
  measures: LastingMeasure[];
  decisions: LastingDecision[];
  notifications: LastingNotification[];
  improvements: LastingImprovement[];
  interests: LastingInterest[];
}

/** The breach row's columns of the record (null where the case does not know). Lists are comma-separated codes. */
export interface LastingColumns {
  summary: string | null;
  breach_type: string | null;
  breach_started_at: string | null;
  breach_ended_at: string | null;
  cause: string | null;
  data_categories: string | null;
  subject_kinds: string | null;
  vulnerable_subjects: number | null;
  approx_people: number | null;
  approx_records: number | null;
  cross_border: number | null;
  severity_score: number | null;
  severity_band: string | null;
  /** ENISA's factors as computed: data processing context, ease of identification, circumstances. */
  severity_dpc: number | null;
  severity_ei: number | null;
  severity_cb: number | null;
  risk_to_people: string | null;
  /** The FG's decision: 1 notify (inform), 0 not, null not decided (yet, or a security incident). */
  notify_authority: number | null;
  notify_data_subjects: number | null;
  contained_at: string | null;
  aftercare_contact: string | null;
  aftercare_advice: string | null;
  lessons_learned: string | null;
}

export interface LastingMeasure {
  measure: string;
  status: string;
  note: string | null;
}

export interface LastingDecision {
  seq: number;
  kind: string;
  decided_by: string;
  decided_at: string;
  /** Triage: 1 a personal-data breach, 0 not. */
  is_breach: number | null;
  notify_authority: number | null;
  notify_data_subjects: number | null;
  /** 1 when the FG departed from lekdicht's suggestion; the suggestion itself beside it. */
  override: number;
  suggested_authority: number | null;
  suggested_data_subjects: number | null;
  justification: string | null;
}

export interface LastingNotification {
  seq: number;
  recipient: string;
  regime: string | null;
  phase: string | null;
  notified_at: string;
  reference: string | null;
  channel: string | null;
  late: number;
  reasons_for_delay: string | null;
  recorded_by: string;
}

export interface LastingImprovement {
  seq: number;
  description: string;
  owner: string;
  due: string;
  done_at: string | null;
}

export interface LastingInterest {
  task_id: string;
  title: string;
  outcome: string | null;
  decided_by: string | null;
  decided_at: string | null;
}

const bit = (value: boolean | undefined): number | null => (value === undefined ? null : value ? 1 : 0);
const list = (values: readonly string[] | undefined): string | null =>
  values && values.length > 0 ? values.join(',') : null;

export function lastingRecordOf(view: CaseView): LastingRecord {
  const { known, containment, impact, evaluation } = view.facts;
  const severity = view.assessment?.severity;
  const decision = [...view.decisions].reverse().find((d) => d.kind === 'notification');
  const aftercare = view.tasks.find((t) => t.kind === 'aftercare' && t.status === 'done')?.answer as
    Answer<'aftercare'> | undefined;
  return {
    row: {
      summary: known?.summary ?? view.reports[0]?.summary ?? null,
      breach_type: known?.breachType ?? null,
      breach_started_at: known?.startedAt ?? null,
      breach_ended_at: known?.endedAt ?? null,
      cause: known?.cause ?? null,
      data_categories: list(known?.dataCategories),
      subject_kinds: list(known?.subjects?.kinds),
      vulnerable_subjects: bit(known?.subjects?.vulnerable),
      approx_people: known?.approxPeople ?? null,
      approx_records: known?.approxRecords ?? null,
      cross_border: bit(known?.crossBorder),
      severity_score: severity?.score ?? null,
      severity_band: severity?.band ?? null,
      severity_dpc: severity?.dpc.value ?? null,
      severity_ei: severity?.ei.value ?? null,
      severity_cb: severity?.cb.value ?? null,
      risk_to_people: impact?.riskToPeople ?? null,
      notify_authority: bit(decision?.notifyAuthority),
      notify_data_subjects: bit(decision?.notifyDataSubjects),
      contained_at: containment?.containedAt ?? null,
      aftercare_contact: aftercare?.contactPoint ?? view.facts.letter?.contactPoint?.text ?? null,
      aftercare_advice: aftercare?.adviceGiven ?? null,
      lessons_learned: evaluation?.lessonsLearned ?? null,
    },
    measures: containment
      ? CONTAINMENT_MEASURES.map((measure) => ({
          measure,
          status: containment.measures[measure].status,
          note: containment.measures[measure].note ?? null,
        }))
      : [],
    decisions: view.decisions.map((d, i) => ({
      seq: i + 1,
      kind: d.kind,
      decided_by: d.by,
      decided_at: d.at,
      is_breach: bit(d.isPersonalDataBreach),
      notify_authority: bit(d.notifyAuthority),
      notify_data_subjects: bit(d.notifyDataSubjects),
      override: d.override ? 1 : 0,
      suggested_authority: bit(d.suggestion?.notifyAuthority),
      suggested_data_subjects: bit(d.suggestion?.notifyDataSubjects),
      justification: d.justification ?? null,
    })),
    notifications: view.notifications.map((n, i) => ({
      seq: i + 1,
      recipient: n.to,
      regime: n.regime ?? null,
      phase: n.phase ?? null,
      notified_at: n.at,
      reference: n.reference ?? null,
      channel: n.channel ?? null,
      late: n.late ? 1 : 0,
      reasons_for_delay: n.reasonsForDelay ?? null,
      recorded_by: n.recordedBy,
    })),
    improvements: (evaluation?.improvementActions ?? []).map((a, i) => ({
      seq: i + 1,
      description: a.description,
      owner: a.owner,
      due: a.due,
      done_at: a.doneAt || null,
    })),
    interests: view.tasks
      .filter((t) => t.kind === 'organisation-interest')
      .map((t) => ({
        task_id: t.id,
        title: t.title,
        outcome: (t.answer as Answer<'organisation-interest'> | undefined)?.outcome ?? null,
        decided_by: t.completedBy ?? null,
        decided_at: t.completedAt ?? null,
      })),
  };
}
