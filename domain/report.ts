import type { CaseView } from './case';
import { BAND_LABELS } from './labels';
import type { Language } from './language';
import { formatInstant, formatNumber } from './numbers';
import { CATEGORY_WORDS } from './reasons';
import { CONTAINMENT_MEASURES } from './tasks';

/** The art. 33(5) record: the facts of the breach, its effects and the remedial action taken. */
export interface FinalRecord {
  facts: string;
  effects: string;
  remedialAction: string;
}

const CAUSE_WORDS: Record<string, string> = {
  'wrong-recipient': 'verkeerde ontvanger',
  'loss-or-theft': 'verlies of diefstal',
  'abuse-of-authorisation': 'misbruik van bevoegdheden',
  attack: 'aanval',
  'technical-failure': 'technisch falen',
  other: 'anders',
  unknown: 'onbekend',
};
const RISK_WORDS: Record<string, string> = { unlikely: 'onwaarschijnlijk', risk: 'risico', high: 'hoog' };
const MEASURE_WORDS: Record<string, string> = {
  'secure-evidence': 'bewijs veiliggesteld',
  'controlled-shutdown': 'gecontroleerd afgesloten',
  'disconnect-network': 'van het netwerk gehaald',
  'adjust-firewall': 'firewall aangepast',
  'block-accounts': 'accounts geblokkeerd',
  'change-passwords': 'wachtwoorden gewijzigd',
  'agree-with-ict': 'afspraken met ICT',
};

/**
 * The art. 33(5) record in the organisation's language (the register's row and the closing report); what people
 * wrote (the summary, the impact, the improvements) is kept as written.
 */
export function finalRecord(view: CaseView, lang: Language = 'en'): FinalRecord {
  const { known, impact, containment, evaluation, awareAt } = view.facts;
  const done = containment ? CONTAINMENT_MEASURES.filter((m) => containment.measures[m].status === 'done') : [];
  const improvements = evaluation?.improvementActions.map((a) => a.description) ?? [];
  if (lang === 'nl') {
    const unknown = 'onbekend';
    const facts = [
      known?.summary ?? unknown,
      `Gegevens: ${known?.dataCategories?.map((c) => CATEGORY_WORDS[c].nl).join(', ') ?? unknown}; ongeveer ${known?.approxPeople === undefined ? '?' : formatNumber(known.approxPeople, 'nl')} personen en ${known?.approxRecords === undefined ? '?' : formatNumber(known.approxRecords, 'nl')} records.`,
      `Oorzaak: ${known?.cause ? (CAUSE_WORDS[known.cause] ?? known.cause) : unknown}${known?.intentional ? ' (opzettelijk)' : ''}. Bekend sinds ${awareAt ? formatInstant(awareAt, 'nl') : unknown}.`,
      ...(view.assessment
        ? [
            `Ernst (ENISA): ${BAND_LABELS[view.assessment.severity.band].nl.toLowerCase()} (${formatNumber(view.assessment.severity.score, 'nl')}).`,
          ]
        : []),
    ].join(' ');
    const effects = impact
      ? `${impact.impactOnPeople} Organisatie: ${impact.impactOnOrganisation} Risico voor de betrokkenen: ${RISK_WORDS[impact.riskToPeople] ?? impact.riskToPeople}.`
      : unknown;
    const remedialAction = [
      `Beperken: ${done.length > 0 ? done.map((m) => MEASURE_WORDS[m] ?? m).join(', ') : 'niets vastgelegd'}.`,
      `Verbeteringen: ${improvements.length > 0 ? improvements.join('; ') : 'geen'}.`,
    ].join(' ');
    return { facts, effects, remedialAction };
  }
  const UNKNOWN = 'unknown';
  const facts = [
    known?.summary ?? UNKNOWN,
    `Data: ${known?.dataCategories?.join(', ') ?? UNKNOWN}; about ${known?.approxPeople ?? '?'} people and ${known?.approxRecords ?? '?'} records.`,
    `Cause: ${known?.cause ?? UNKNOWN}${known?.intentional ? ' (intentional)' : ''}. Aware since ${awareAt ?? UNKNOWN}.`,
    ...(view.assessment
      ? [`Severity (ENISA): ${view.assessment.severity.score} (${view.assessment.severity.band}).`]
      : []),
  ].join(' ');
  const effects = impact
    ? `${impact.impactOnPeople} Organisation: ${impact.impactOnOrganisation} Risk to the people concerned: ${impact.riskToPeople}.`
    : UNKNOWN;
  const remedialAction = [
    `Containment: ${done.length > 0 ? done.join(', ') : 'none recorded'}.`,
    `Improvements: ${improvements.length > 0 ? improvements.join('; ') : 'none'}.`,
  ].join(' ');
  return { facts, effects, remedialAction };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The closing report of a breach as Markdown: what happened, what was decided and done, and when. */
export function renderReport(view: CaseView): string {
  const record = finalRecord(view);
  const lines: string[] = [
    `# Breach report ${view.breachId}`,
    '',
    `- Phase: ${view.phase}${view.outcome ? ` (${view.outcome})` : ''}`,
    `- Opened: ${view.openedAt}${view.closedAt ? `; closed: ${view.closedAt}` : ''}`,
    `- Aware since: ${view.facts.awareAt ?? 'not a breach / unknown'}`,
    `- Reports: ${view.reports.length + duplicateCount(view)} (${view.reports.filter((r) => r.duplicate).length + duplicateCount(view)} duplicate)`,
    '',
    '## Register record (GDPR art. 33(5))',
    '',
    `**Facts.** ${record.facts}`,
    '',
    `**Effects.** ${record.effects}`,
    '',
    `**Remedial action.** ${record.remedialAction}`,
    '',
    '## Decisions',
    '',
    ...(view.decisions.length > 0
      ? view.decisions.map((d) => `- ${d.at} — ${d.kind} by ${d.by}: ${d.summary}`)
      : ['- none']),
    '',
    '## Deadlines and notifications',
    '',
    '| deadline | due | status | met |',
    '| --- | --- | --- | --- |',
    ...view.deadlines.map((d) => `| ${d.kind} | ${d.due} | ${d.status} | ${d.metAt ?? ''} |`),
    '',
    ...view.notifications.map(
      (n) =>
        `- Notified ${n.to} at ${n.at}${n.reference ? `, reference ${n.reference}` : ''}${n.channel ? ` by ${n.channel}` : ''}${n.late ? ' (late' + (n.reasonsForDelay ? `: ${n.reasonsForDelay}` : '') + ')' : ''}`,
    ),
    '',
    '## Lessons learned',
    '',
    view.facts.evaluation?.lessonsLearned ?? 'Not evaluated yet.',
    '',
    ...(view.facts.evaluation && view.facts.evaluation.improvementActions.length > 0
      ? [
          '| improvement action | owner | due | done |',
          '| --- | --- | --- | --- |',
          ...view.facts.evaluation.improvementActions.map(
            (a) => `| ${cell(a.description)} | ${a.owner} | ${a.due} | ${a.doneAt} |`,
          ),
          '',
        ]
      : []),
    '## Tasks',
    '',
    '| task | role | due | status | completed by |',
    '| --- | --- | --- | --- | --- |',
    ...view.tasks.map(
      (t) =>
        `| ${t.id} | ${t.role} | ${t.due} | ${t.status}${t.overdue ? ' (was overdue)' : ''} | ${t.completedBy ?? ''} |`,
    ),
    '',
    '## Timeline',
    '',
    ...view.timeline.map((e) => `- ${e.at} ${cell(e.text)}${e.actor ? ` (${e.actor})` : ''}`),
    '',
  ];
  return lines.join('\n');
}

/** Duplicates counted rather than kept (CaseView.duplicates). */
export function duplicateCount(view: Pick<CaseView, 'duplicates'>): number {
  return (view.duplicates ?? []).reduce((sum, d) => sum + d.count, 0);
}
