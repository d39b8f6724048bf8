import type { CaseView } from './case';
import {
  BAND_LABELS,
  DEADLINE_LABELS,
  DEADLINE_STATUS_LABELS,
  PHASE_LABELS,
  roleLabel,
  TASK_STATUS_LABELS,
  TASK_TITLES,
} from './labels';
import type { Language } from './language';
import { formatInstant, formatNumber } from './numbers';
import { CATEGORY_WORDS } from './reasons';
import { CONTAINMENT_MEASURES } from './tasks';
import type { BreachFacts } from './facts';
import { BREACH_TYPE_WORDS, OUTAGE_WORDS, RECIPIENTS_WORDS, SUBJECT_WORDS } from './fact-words';
import { decisionSummary, timelineText } from './timeline-text';

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

/** The breach's facts that decide the risk, as clauses (facts v2; empty for facts recorded before). */
function decidingFacts(known: BreachFacts | undefined, lang: Language): string[] {
  if (!known) return [];
  const nl = lang === 'nl';
  const out: string[] = [];
  if (known.breachType)
    out.push(`${nl ? 'Soort datalek' : 'Type of breach'}: ${BREACH_TYPE_WORDS[known.breachType][lang]}.`);
  if (known.startedAt || known.endedAt)
    out.push(
      nl
        ? `Begonnen ${known.startedAt ? formatInstant(known.startedAt, 'nl') : 'onbekend'}, geëindigd ${known.endedAt ? formatInstant(known.endedAt, 'nl') : 'nog niet of onbekend'}.`
        : `Began ${known.startedAt ?? 'unknown'}, ended ${known.endedAt ?? 'not yet, or unknown'}.`,
    );
  if (known.recipients) {
    const count =
      known.recipientCount !== undefined
        ? nl
          ? ` (${formatNumber(known.recipientCount, 'nl')} ontvangers)`
          : ` (${known.recipientCount} recipients)`
        : '';
    out.push(
      `${nl ? 'Wie de gegevens heeft' : 'Who has the data'}: ${RECIPIENTS_WORDS[known.recipients][lang]}${count}.`,
    );
  }
  if (known.recovery) out.push(`${nl ? 'Terug' : 'Back'}: ${RECOVERY_WORDS[known.recovery][lang]}.`);
  if (known.subjects?.kinds)
    out.push(
      `${nl ? 'Betrokkenen' : 'People'}: ${known.subjects.kinds.map((k) => SUBJECT_WORDS[k][lang]).join(', ')}${known.subjects.vulnerable ? (nl ? ' (kwetsbaar)' : ' (vulnerable)') : ''}.`,
    );
  if (known.outage)
    out.push(
      `${nl ? 'Uitval' : 'Outage'}: ${known.outage.hours !== undefined ? `${formatNumber(known.outage.hours, lang)} ${nl ? 'uur' : 'hours'}` : nl ? 'duur onbekend' : 'length unknown'}${known.outage.consequences ? `; ${known.outage.consequences.map((c) => OUTAGE_WORDS[c][lang]).join(', ')}` : ''}.`,
    );
  return out;
}

const RECOVERY_WORDS: Record<NonNullable<BreachFacts['recovery']>, Record<Language, string>> = {
  none: { nl: 'nee', en: 'no' },
  retrieved: { nl: 'teruggehaald', en: 'retrieved' },
  returned: { nl: 'teruggegeven', en: 'returned' },
  'deleted-confirmed': { nl: 'verwijderd, schriftelijk bevestigd', en: 'deleted, confirmed in writing' },
  'remote-wiped': { nl: 'op afstand gewist', en: 'wiped remotely' },
};

/** The decisions with their reasons: the triage's, the FG's on notifying, and whether it departed from the suggestion. */
function decisionLines(view: CaseView, lang: Language): string[] {
  const nl = lang === 'nl';
  const yes = (b: boolean | undefined) => (b === undefined ? '?' : b ? (nl ? 'ja' : 'yes') : nl ? 'nee' : 'no');
  return view.decisions.map((d) => {
    const when = formatInstant(d.at, lang);
    if (d.kind === 'triage')
      return nl
        ? `Triage (${d.by}, ${when}): ${d.isPersonalDataBreach === false ? 'geen datalek' : 'een datalek'}${d.justification ? ` — ${d.justification}` : ''}.`
        : `Triage (${d.by}, ${when}): ${d.isPersonalDataBreach === false ? 'not a personal-data breach' : 'a personal-data breach'}${d.justification ? ` — ${d.justification}` : ''}.`;
    const departs =
      d.override && d.suggestion
        ? nl
          ? ` Wijkt af van het voorstel (AP: ${yes(d.suggestion.notifyAuthority)}, betrokkenen: ${yes(d.suggestion.notifyDataSubjects)}).`
          : ` Departs from the suggestion (authority: ${yes(d.suggestion.notifyAuthority)}, people: ${yes(d.suggestion.notifyDataSubjects)}).`
        : '';
    return nl
      ? `Besluit over melden (${d.by}, ${when}): AP ${yes(d.notifyAuthority)}, betrokkenen ${yes(d.notifyDataSubjects)}${d.justification ? ` — ${d.justification}` : ''}.${departs}`
      : `Notification decision (${d.by}, ${when}): authority ${yes(d.notifyAuthority)}, people ${yes(d.notifyDataSubjects)}${d.justification ? ` — ${d.justification}` : ''}.${departs}`;
  });
}

/** The improvement actions with their owners and whether they were done. */
function improvementLines(evaluation: CaseView['facts']['evaluation'], lang: Language): string {
  const nl = lang === 'nl';
  const actions = evaluation?.improvementActions ?? [];
  if (actions.length === 0) return nl ? 'geen' : 'none';
  return actions
    .map(
      (a) =>
        `${a.description} (${nl ? 'eigenaar' : 'owner'} ${a.owner}, ${nl ? 'uiterlijk' : 'due'} ${formatInstant(a.due, lang)}${a.doneAt ? `, ${nl ? 'afgerond' : 'done'} ${formatInstant(a.doneAt, lang)}` : ''})`,
    )
    .join('; ');
}

/**
 * The art. 33(5) record in the organisation's language (the register's row and the closing report): the facts with
 * what decides the risk and the triage's reasoning, the effects with every decision and its reasons, the remedial
 * action with the lessons learned and each improvement's owner. What people wrote is kept as written.
 */
export function finalRecord(view: CaseView, lang: Language = 'en'): FinalRecord {
  const { known, impact, containment, evaluation, awareAt } = view.facts;
  const done = containment ? CONTAINMENT_MEASURES.filter((m) => containment.measures[m].status === 'done') : [];
  const decisions = decisionLines(view, lang);
  const lessons = evaluation?.lessonsLearned;
  if (lang === 'nl') {
    const unknown = 'onbekend';
    const facts = [
      known?.summary ?? unknown,
      ...decidingFacts(known, 'nl'),
      `Gegevens: ${known?.dataCategories?.map((c) => CATEGORY_WORDS[c].nl).join(', ') ?? unknown}; ongeveer ${known?.approxPeople === undefined ? '?' : formatNumber(known.approxPeople, 'nl')} personen en ${known?.approxRecords === undefined ? '?' : formatNumber(known.approxRecords, 'nl')} records.`,
      `Oorzaak: ${known?.cause ? (CAUSE_WORDS[known.cause] ?? known.cause) : unknown}${known?.intentional ? ' (opzettelijk)' : ''}. Bekend sinds ${awareAt ? formatInstant(awareAt, 'nl') : unknown}.`,
      ...(view.assessment
        ? [
            `Ernst (ENISA): ${BAND_LABELS[view.assessment.severity.band].nl.toLowerCase()} (${formatNumber(view.assessment.severity.score, 'nl')}).`,
          ]
        : []),
    ].join(' ');
    const effects = [
      impact
        ? `${impact.impactOnPeople} Organisatie: ${impact.impactOnOrganisation} Risico voor de betrokkenen: ${RISK_WORDS[impact.riskToPeople] ?? impact.riskToPeople}.`
        : unknown,
      ...decisions,
    ].join(' ');
    const remedialAction = [
      `Beperken: ${done.length > 0 ? done.map((m) => MEASURE_WORDS[m] ?? m).join(', ') : 'niets vastgelegd'}.`,
      ...(lessons ? [`Geleerde lessen: ${lessons}`] : []),
      `Verbeteringen: ${improvementLines(evaluation, 'nl')}.`,
    ].join(' ');
    return { facts, effects, remedialAction };
  }
  const UNKNOWN = 'unknown';
  const facts = [
    known?.summary ?? UNKNOWN,
    ...decidingFacts(known, 'en'),
    `Data: ${known?.dataCategories?.join(', ') ?? UNKNOWN}; about ${known?.approxPeople ?? '?'} people and ${known?.approxRecords ?? '?'} records.`,
    `Cause: ${known?.cause ?? UNKNOWN}${known?.intentional ? ' (intentional)' : ''}. Aware since ${awareAt ?? UNKNOWN}.`,
    ...(view.assessment
      ? [`Severity (ENISA): ${view.assessment.severity.score} (${view.assessment.severity.band}).`]
      : []),
  ].join(' ');
  const effects = [
    impact
      ? `${impact.impactOnPeople} Organisation: ${impact.impactOnOrganisation} Risk to the people concerned: ${impact.riskToPeople}.`
      : UNKNOWN,
    ...decisions,
  ].join(' ');
  const remedialAction = [
    `Containment: ${done.length > 0 ? done.join(', ') : 'none recorded'}.`,
    ...(lessons ? [`Lessons learned: ${lessons}`] : []),
    `Improvements: ${improvementLines(evaluation, 'en')}.`,
  ].join(' ');
  return { facts, effects, remedialAction };
}

/** The register's record of a triage that found no personal-data breach: why, by whom (art. 33(5) asks it too). */
export function securityIncidentRecord(view: CaseView, lang: Language = 'en'): FinalRecord {
  const decisions = decisionLines(view, lang).join(' ');
  const summary = view.facts.known?.summary ?? view.reports?.[0]?.summary;
  const nl = lang === 'nl';
  return {
    facts: [summary, decisions].filter(Boolean).join(' '),
    effects: nl
      ? 'Geen persoonsgegevens getroffen, volgens de triage.'
      : 'No personal data compromised, according to triage.',
    remedialAction: nl ? 'Afgehandeld als beveiligingsincident.' : 'Handled as a security incident.',
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const REPORT_WORDS = {
  en: {
    title: 'Breach report',
    phase: 'Phase',
    opened: 'Opened',
    closed: 'closed',
    aware: 'Aware since',
    notBreach: 'not a breach / unknown',
    reports: 'Reports',
    duplicate: 'duplicate',
    record: 'Register record (GDPR art. 33(5))',
    facts: 'Facts',
    effects: 'Effects',
    remedial: 'Remedial action',
    decisions: 'Decisions',
    by: 'by',
    none: 'none',
    deadlines: 'Deadlines and notifications',
    deadlineHeader: '| deadline | due | status | met |',
    notified: 'Notified',
    at: 'at',
    reference: 'reference',
    late: 'late',
    lessons: 'Lessons learned',
    notEvaluated: 'Not evaluated yet.',
    actionsHeader: '| improvement action | owner | due | done |',
    tasks: 'Tasks',
    tasksHeader: '| task | role | due | status | completed by |',
    wasOverdue: 'was overdue',
    timeline: 'Timeline',
  },
  nl: {
    title: 'Rapport datalek',
    phase: 'Fase',
    opened: 'Geopend',
    closed: 'gesloten',
    aware: 'Bekend sinds',
    notBreach: 'geen datalek / onbekend',
    reports: 'Signalen',
    duplicate: 'dubbel',
    record: 'Registerregel (art. 33 lid 5 AVG)',
    facts: 'Feiten',
    effects: 'Gevolgen',
    remedial: 'Genomen maatregelen',
    decisions: 'Besluiten',
    by: 'door',
    none: 'geen',
    deadlines: 'Termijnen en meldingen',
    deadlineHeader: '| termijn | uiterlijk | status | voldaan |',
    notified: 'Gemeld aan',
    at: 'op',
    reference: 'meldnummer',
    late: 'te laat',
    lessons: 'Geleerde lessen',
    notEvaluated: 'Nog niet geëvalueerd.',
    actionsHeader: '| verbeteractie | eigenaar | uiterlijk | afgerond |',
    tasks: 'Taken',
    tasksHeader: '| taak | rol | uiterlijk | status | afgerond door |',
    wasOverdue: 'was te laat',
    timeline: 'Tijdlijn',
  },
} as const;

const NOTIFIED_TO: Record<string, Record<Language, string>> = {
  authority: { nl: 'de toezichthouder', en: 'authority' },
  'data-subjects': { nl: 'de betrokkenen', en: 'data-subjects' },
  controller: { nl: 'de verwerkingsverantwoordelijke', en: 'controller' },
};

/**
 * The closing report of a breach as Markdown: what happened, what was decided and done, and when. In English the
 * recorded words and UTC instants (as it always was); in Dutch every label, decision and timeline entry in
 * Dutch and every instant on the Amsterdam clock.
 */
export function renderReport(view: CaseView, lang: Language = 'en'): string {
  const w = REPORT_WORDS[lang];
  const nl = lang === 'nl';
  const record = finalRecord(view, lang);
  const time = (iso: string | undefined) => (iso && nl ? formatInstant(iso, 'nl') : (iso ?? ''));
  const label = <K extends string>(table: Record<K, Record<Language, string>>, key: string) =>
    nl ? ((table as Record<string, Record<Language, string> | undefined>)[key]?.nl ?? key) : key;
  const dupes = duplicateCount(view);
  const lines: string[] = [
    `# ${w.title} ${view.breachId}`,
    '',
    `- ${w.phase}: ${label(PHASE_LABELS, view.phase)}${view.outcome ? ` (${nl ? (view.outcome === 'breach' ? 'datalek' : 'beveiligingsincident') : view.outcome})` : ''}`,
    `- ${w.opened}: ${time(view.openedAt)}${view.closedAt ? `; ${w.closed}: ${time(view.closedAt)}` : ''}`,
    `- ${w.aware}: ${view.facts.awareAt ? time(view.facts.awareAt) : w.notBreach}`,
    `- ${w.reports}: ${view.reports.length + dupes} (${view.reports.filter((r) => r.duplicate).length + dupes} ${w.duplicate})`,
    '',
    `## ${w.record}`,
    '',
    `**${w.facts}.** ${record.facts}`,
    '',
    `**${w.effects}.** ${record.effects}`,
    '',
    `**${w.remedial}.** ${record.remedialAction}`,
    '',
    `## ${w.decisions}`,
    '',
    ...(view.decisions.length > 0
      ? view.decisions.map(
          (d) =>
            `- ${time(d.at)} — ${nl ? (d.kind === 'triage' ? 'beoordeling signaal' : 'meldaanpak') : d.kind} ${w.by} ${d.by}: ${nl ? (decisionSummary(d, 'nl') ?? d.summary) : d.summary}`,
        )
      : [`- ${w.none}`]),
    '',
    `## ${w.deadlines}`,
    '',
    w.deadlineHeader,
    '| --- | --- | --- | --- |',
    ...view.deadlines.map(
      (d) =>
        `| ${label(DEADLINE_LABELS, d.kind)} | ${time(d.due)} | ${label(DEADLINE_STATUS_LABELS, d.status)} | ${time(d.metAt)} |`,
    ),
    '',
    ...view.notifications.map(
      (n) =>
        `- ${w.notified} ${label(NOTIFIED_TO, n.to)} ${w.at} ${time(n.at)}${n.reference ? `, ${w.reference} ${n.reference}` : ''}${n.channel ? ` ${nl ? 'via' : 'by'} ${n.channel}` : ''}${n.late ? ` (${w.late}` + (n.reasonsForDelay ? `: ${n.reasonsForDelay}` : '') + ')' : ''}`,
    ),
    '',
    `## ${w.lessons}`,
    '',
    view.facts.evaluation?.lessonsLearned ?? w.notEvaluated,
    '',
    ...(view.facts.evaluation && view.facts.evaluation.improvementActions.length > 0
      ? [
          w.actionsHeader,
          '| --- | --- | --- | --- |',
          ...view.facts.evaluation.improvementActions.map(
            (a) => `| ${cell(a.description)} | ${a.owner} | ${time(a.due)} | ${time(a.doneAt)} |`,
          ),
          '',
        ]
      : []),
    `## ${w.tasks}`,
    '',
    w.tasksHeader,
    '| --- | --- | --- | --- | --- |',
    ...view.tasks.map(
      (t) =>
        `| ${nl ? cell(TASK_TITLES[t.kind].nl) : t.id} | ${nl ? roleLabel(t.role, 'nl') : t.role} | ${time(t.due)} | ${label(TASK_STATUS_LABELS, t.status)}${t.overdue ? ` (${w.wasOverdue})` : ''} | ${t.completedBy ?? ''} |`,
    ),
    '',
    `## ${w.timeline}`,
    '',
    ...view.timeline.map(
      (e) =>
        `- ${time(e.at)} ${cell((nl ? timelineText(e, 'nl') : undefined) ?? e.text)}${e.actor ? ` (${e.actor})` : ''}`,
    ),
    '',
  ];
  return lines.join('\n');
}

/** Duplicates counted rather than kept (CaseView.duplicates). */
export function duplicateCount(view: Pick<CaseView, 'duplicates'>): number {
  return (view.duplicates ?? []).reduce((sum, d) => sum + d.count, 0);
}
