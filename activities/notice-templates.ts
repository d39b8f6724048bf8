import type { EndedRunStatus, Notice, RunPlaybook } from '../domain/notices';
import type { TaskKind } from '../domain/tasks';
import type { Language } from '../domain/language';

// The prose of every notice email, one template per notice kind with its Dutch and English side by side, so a
// translator reads each language's whole text in one place. Labels (task titles, runs, statuses) and the
// reader's time format come in through the context: their tables stay where every other text uses them.

/** What a template needs besides the notice, already in the reader's language. */
export interface NoticeContext {
  breachId: string;
  /** The breach's page: `<publicUrl>/breaches/<id>`. */
  caseUrl: string;
  /** A task's page, its form: `<publicUrl>/breaches/<id>/tasks/<taskId>`. */
  taskUrl: (taskId: string) => string;
  /** An instant as the reader reads it (Europe/Amsterdam, their language). */
  time: (iso: string) => string;
  taskTitle: (kind: TaskKind) => string;
  runLabel: (playbook: RunPlaybook) => string;
  statusLabel: (status: EndedRunStatus) => string;
}

/** A notice in words: the subject after the `[breach id]` prefix, and the body's lines before the footer. */
export interface NoticeText {
  subject: string;
  lines: string[];
}

type Template<K extends Notice['kind']> = (notice: Extract<Notice, { kind: K }>, c: NoticeContext) => NoticeText;

export type NoticeTemplates = { [K in Notice['kind']]: Record<Language, Template<K>> };

/**
 * The lines under every notice: where to see the case (its web page first: most people never open a terminal; the
 * CLI second), and who sent it.
 */
export const NOTICE_FOOTER: Record<Language, (c: NoticeContext, organisation: string) => string[]> = {
  nl: (c, organisation) => [
    `Bekijk de zaak: ${c.caseUrl}`,
    `Of op de opdrachtregel: npx lekdicht show ${c.breachId}`,
    '',
    `— lekdicht, ${organisation}`,
  ],
  en: (c, organisation) => [
    `See the case: ${c.caseUrl}`,
    `Or on the command line: npx lekdicht show ${c.breachId}`,
    '',
    `— lekdicht, ${organisation}`,
  ],
};

export const NOTICE_TEMPLATES: NoticeTemplates = {
  'task-assigned': {
    nl: (n, c) => ({
      subject: `Nieuwe taak: ${c.taskTitle(n.taskKind)}`,
      lines: [
        `Er is een taak voor u in datalek ${c.breachId}:`,
        '',
        `  ${c.taskTitle(n.taskKind)}`,
        `  Taak: ${n.taskId}`,
        `  Uiterlijk: ${c.time(n.due)}`,
        ...(n.detail ? ['', n.detail] : []),
        '',
        `Open de taak en vul het formulier in: ${c.taskUrl(n.taskId)}`,
        `Of op de opdrachtregel: npx lekdicht task complete ${c.breachId} ${n.taskId} --as <uw e-mail> --answer '<json>'`,
      ],
    }),
    en: (n, c) => ({
      subject: `New task: ${c.taskTitle(n.taskKind)}`,
      lines: [
        `There is a task for you in breach ${c.breachId}:`,
        '',
        `  ${c.taskTitle(n.taskKind)}`,
        `  Task: ${n.taskId}`,
        `  Due: ${c.time(n.due)}`,
        ...(n.detail ? ['', n.detail] : []),
        '',
        `Open the task and fill in its form: ${c.taskUrl(n.taskId)}`,
        `Or on the command line: npx lekdicht task complete ${c.breachId} ${n.taskId} --as <your email> --answer '<json>'`,
      ],
    }),
  },

  'task-overdue': {
    nl: (n, c) => ({
      subject: `Taak te laat: ${c.taskTitle(n.taskKind)}`,
      lines: [
        `De taak "${c.taskTitle(n.taskKind)}" (${n.taskId}) had uiterlijk ${c.time(n.due)} af moeten zijn en staat nog open.`,
        'U ontvangt dit als houder van de rol of als diens vervanger.',
        '',
        `Open de taak: ${c.taskUrl(n.taskId)}`,
        `Of op de opdrachtregel: npx lekdicht task complete ${c.breachId} ${n.taskId} --as <uw e-mail> --answer '<json>'`,
      ],
    }),
    en: (n, c) => ({
      subject: `Task overdue: ${c.taskTitle(n.taskKind)}`,
      lines: [
        `The task "${c.taskTitle(n.taskKind)}" (${n.taskId}) was due ${c.time(n.due)} and is still open.`,
        'You receive this as holder of the role or as their deputy.',
        '',
        `Open the task: ${c.taskUrl(n.taskId)}`,
        `Or on the command line: npx lekdicht task complete ${c.breachId} ${n.taskId} --as <your email> --answer '<json>'`,
      ],
    }),
  },

  'breach-confirmed': {
    nl: (n, c) => ({
      subject: 'Datalek bevestigd: datalekteam gevormd',
      lines: [
        `De FG heeft vastgesteld dat ${c.breachId} een datalek is. FG, CISO en proceseigenaar vormen het datalekteam.`,
        '',
        `Bekend sinds: ${c.time(n.awareAt)}`,
        `Uiterste meldtermijn AP (72 uur): ${c.time(n.deadline)}`,
      ],
    }),
    en: (n, c) => ({
      subject: 'Breach confirmed: breach team formed',
      lines: [
        `The DPO has established that ${c.breachId} is a personal-data breach. DPO, CISO and process owner form the breach team.`,
        '',
        `Aware since: ${c.time(n.awareAt)}`,
        `Authority notification deadline (72 hours): ${c.time(n.deadline)}`,
      ],
    }),
  },

  // Without a label, the AP's 72-hour deadline; with one, another regime's deadline (NIS2, DORA, processor).
  'deadline-reminder': {
    nl: (n, c) =>
      n.label
        ? {
            subject: `Nog ${n.hoursLeft} uur: ${n.label}`,
            lines: [`${n.label} (${n.basis ?? ''}): uiterlijk ${c.time(n.deadline)}.`],
          }
        : {
            subject: `Nog ${n.hoursLeft} uur tot de meldtermijn`,
            lines: [
              `De melding aan de Autoriteit Persoonsgegevens moet uiterlijk ${c.time(n.deadline)} gedaan zijn (art. 33 AVG).`,
            ],
          },
    en: (n, c) =>
      n.label
        ? {
            subject: `${n.hoursLeft} hours left: ${n.label}`,
            lines: [`${n.label} (${n.basis ?? ''}): due by ${c.time(n.deadline)}.`],
          }
        : {
            subject: `${n.hoursLeft} hours left to notify`,
            lines: [`The notification to the supervisory authority is due by ${c.time(n.deadline)} (GDPR art. 33).`],
          },
  },

  'deadline-missed': {
    nl: (n, c) =>
      n.label
        ? {
            subject: `Termijn verstreken: ${n.label}`,
            lines: [
              `De termijn "${n.label}" (${n.basis ?? ''}) is verstreken op ${c.time(n.deadline)} zonder dat dit is vastgelegd.`,
            ],
          }
        : {
            subject: 'Meldtermijn verstreken: melding is te laat',
            lines: [
              `De termijn van 72 uur voor de melding aan de AP is verstreken op ${c.time(n.deadline)} zonder dat de melding is vastgelegd.`,
              'Meld alsnog zo snel mogelijk en vermeld de redenen van de vertraging (art. 33 lid 1 AVG).',
            ],
          },
    en: (n, c) =>
      n.label
        ? {
            subject: `Deadline passed: ${n.label}`,
            lines: [
              `The deadline "${n.label}" (${n.basis ?? ''}) passed at ${c.time(n.deadline)} without it being recorded.`,
            ],
          }
        : {
            subject: 'Notification deadline passed: notification is late',
            lines: [
              `The 72-hour deadline to notify the authority passed at ${c.time(n.deadline)} without a recorded notification.`,
              'Notify as soon as possible and give the reasons for the delay (GDPR art. 33(1)).',
            ],
          },
  },

  'email-undelivered': {
    nl: (n) => ({
      subject: `E-mail niet afgeleverd: ${n.purpose}`,
      lines: [
        `De mailserver heeft de e-mail "${n.purpose}" voor ${n.failed} ontvanger(s) definitief geweigerd (${n.codes.join(', ')}). lekdicht probeert het niet opnieuw.`,
        '',
        'Wie het betreft staat in het register (e-mailfouten). Bereik hen op een andere manier, of corrigeer het adres in de directory.',
      ],
    }),
    en: (n) => ({
      subject: `Email not delivered: ${n.purpose}`,
      lines: [
        `The mail server refused the email "${n.purpose}" for good for ${n.failed} recipient(s) (${n.codes.join(', ')}). lekdicht does not try again.`,
        '',
        'Who it concerns is in the register (email failures). Reach them another way, or correct the address in the directory.',
      ],
    }),
  },

  'run-ended-outside': {
    nl: (n, c) => ({
      subject: `Datalek-workflow buiten lekdicht beëindigd: ${n.playbook}`,
      lines: [
        `De run ${n.workflowId} (${c.runLabel(n.playbook)}) is buiten lekdicht om geëindigd, terwijl het datalek in het register nog open staat.`,
        '',
        `  Hoe: ${c.statusLabel(n.status)} (${n.cause})`,
        `  Geëindigd: ${n.endedAt ? c.time(n.endedAt) : 'onbekend'}`,
        `  Opgemerkt: ${c.time(n.noticedAt)}`,
        '',
        n.authorityNotifiedAt
          ? `De melding aan de AP is volgens het register gedaan op ${c.time(n.authorityNotifiedAt)}; andere termijnen (NIS2, DORA, betrokkenen) bewaakt lekdicht voor deze zaak niet meer.`
          : n.deadline && n.clockRunning
            ? `Uiterste meldtermijn AP (72 uur): ${c.time(n.deadline)}. Het playbook meldtermijnen loopt nog: herinneringen en escalatie over deze termijn gaan door, maar de zaak zelf (taken, besluit, nazorg) staat stil.`
            : n.deadline
              ? `Uiterste meldtermijn AP (72 uur): ${c.time(n.deadline)}. Deze termijn wordt NIET meer bewaakt: geen herinneringen, geen escalatie.`
              : 'De meldtermijn is nog niet vastgesteld (triage niet afgerond): de 72 uur lopen vanaf het moment dat de organisatie op de hoogte is, ook nu niemand ze bewaakt.',
        '',
        'Wat nu:',
        '  1. Zoek uit wie of wat de run beëindigde: de geschiedenis van de run in de Temporal UI.',
        `  2. Kan de zaak verder, reset dan de datalek-workflow naar zijn laatste stap (Temporal UI "Reset", of: temporal workflow reset --workflow-id ${c.breachId} --type LastWorkflowTask --reason <waarom>). De zaak loopt dan weer met haar taken; lekdicht ziet het. Playbooks die met haar eindigden (zoals de 72-uursklok) blijven beëindigd: lekdicht meldt welke, en die termijnen bewaakt u dan zelf.`,
        '  3. Anders: handel het datalek met de hand af. Meld op tijd aan de AP en leg elke stap vast in het register.',
      ],
    }),
    en: (n, c) => ({
      subject: `Breach workflow ended outside lekdicht: ${n.playbook}`,
      lines: [
        `The run ${n.workflowId} (${c.runLabel(n.playbook)}) ended outside lekdicht while the breach is still open in the register.`,
        '',
        `  How: ${c.statusLabel(n.status)} (${n.cause})`,
        `  Ended: ${n.endedAt ? c.time(n.endedAt) : 'unknown'}`,
        `  Noticed: ${c.time(n.noticedAt)}`,
        '',
        n.authorityNotifiedAt
          ? `The register says the authority was notified at ${c.time(n.authorityNotifiedAt)}; lekdicht no longer watches other deadlines (NIS2, DORA, data subjects) for this case.`
          : n.deadline && n.clockRunning
            ? `Authority notification deadline (72 hours): ${c.time(n.deadline)}. The notification-deadline playbook still runs: reminders and escalation for this deadline go on, but the case itself (tasks, decision, aftercare) has stopped.`
            : n.deadline
              ? `Authority notification deadline (72 hours): ${c.time(n.deadline)}. This deadline is NO LONGER watched: no reminders, no escalation.`
              : 'The notification deadline is not set yet (triage not completed): the 72 hours run from the moment the organisation became aware, also now that nobody watches them.',
        '',
        'What to do:',
        '  1. Find out who or what ended the run: its history in the Temporal UI.',
        `  2. If the case can go on, reset the breach workflow to its last step (Temporal UI "Reset", or: temporal workflow reset --workflow-id ${c.breachId} --type LastWorkflowTask --reason <why>). The case then runs again with its tasks; lekdicht notices. Playbooks that ended with it (such as the 72-hour clock) stay ended: lekdicht tells you which, and you watch those deadlines yourself.`,
        '  3. Otherwise handle the breach by hand: notify the authority in time and record every step in the register.',
      ],
    }),
  },

  'security-incident-closed': {
    nl: () => ({
      subject: 'Geen datalek: vastgelegd als beveiligingsincident',
      lines: [
        'De FG heeft vastgesteld dat dit geen datalek is. Het signaal is als beveiligingsincident vastgelegd en gesloten.',
      ],
    }),
    en: () => ({
      subject: 'Not a breach: recorded as a security incident',
      lines: [
        'The DPO has established that this is not a personal-data breach. It is recorded as a security incident and closed.',
      ],
    }),
  },

  'breach-closed': {
    nl: () => ({
      subject: 'Datalek afgesloten',
      lines: ['Het datalek is afgehandeld, geëvalueerd en in het register vastgelegd.'],
    }),
    en: () => ({
      subject: 'Breach closed',
      lines: ['The breach has been handled, evaluated and recorded in the register.'],
    }),
  },
};
