import type { EndedRunStatus, Notice, RunPlaybook } from '../domain/notices';
import { cleanSubject, cleanText } from '../domain/letters';
import { TASK_TITLES } from '../domain/labels';
import type { Language, Wording } from '../domain/language';

/** People read times in the Netherlands' zone; payloads and storage stay UTC. */
export function formatTime(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', {
    timeZone: 'Europe/Amsterdam',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

const RUN_LABELS: Record<RunPlaybook, Wording> = {
  breach: { nl: 'de datalek-workflow zelf', en: 'the breach workflow itself' },
  notification: {
    nl: 'het playbook meldtermijnen (de 72-uursklok)',
    en: 'the notification-deadline playbook (the 72-hour clock)',
  },
  containment: { nl: 'het playbook beperken', en: 'the containment playbook' },
  evaluation: { nl: 'het playbook evaluatie', en: 'the evaluation playbook' },
  'data-subjects': { nl: 'het playbook informeren van betrokkenen', en: 'the playbook informing the people affected' },
  aftercare: { nl: 'het playbook nazorg', en: 'the aftercare playbook' },
};

const STATUS_LABELS: Record<EndedRunStatus, Wording> = {
  TERMINATED: { nl: 'beëindigd (terminated)', en: 'terminated' },
  TIMED_OUT: { nl: 'verlopen (timed out)', en: 'timed out' },
  FAILED: { nl: 'mislukt (failed)', en: 'failed' },
  CANCELED: { nl: 'geannuleerd (canceled)', en: 'canceled' },
  NOT_FOUND: {
    nl: 'verdwenen: Temporal kent de run niet meer (verwijderd of bewaartermijn verstreken)',
    en: 'gone: Temporal no longer knows the run (deleted, or past the retention period)',
  },
};

interface Rendered {
  subject: string;
  text: string;
}

/**
 * Renders a notice as a plain-text email; the subject always starts with the breach id so mail can be filtered.
 * Free text in a notice (a task's detail, such as an improvement action someone typed) and the organisation's
 * name can hold anything: the body keeps only newlines of all control characters, and the subject is one line
 * of bounded length, so no text can add a header or hide what the mail says.
 */
export function renderNotice(breachId: string, notice: Notice, language: Language, organisation: string): Rendered {
  const { subject, text } = renderRaw(breachId, notice, language, organisation);
  return { subject: cleanSubject(subject), text: cleanText(text) };
}

function renderRaw(breachId: string, notice: Notice, language: Language, organisation: string): Rendered {
  const t = (iso: string) => formatTime(iso, language);
  const nl = language === 'nl';
  const show = `npx lekdicht show ${breachId}`;
  const body = (lines: string[]) =>
    [...lines, '', nl ? `Bekijk de zaak: ${show}` : `See the case: ${show}`, '', `— lekdicht, ${organisation}`].join(
      '\n',
    );

  switch (notice.kind) {
    case 'task-assigned': {
      const title = TASK_TITLES[notice.taskKind][language];
      return {
        subject: `[${breachId}] ${nl ? 'Nieuwe taak' : 'New task'}: ${title}`,
        text: body([
          nl ? `Er is een taak voor u in datalek ${breachId}:` : `There is a task for you in breach ${breachId}:`,
          '',
          `  ${title}`,
          `  ${nl ? 'Taak' : 'Task'}: ${notice.taskId}`,
          `  ${nl ? 'Uiterlijk' : 'Due'}: ${t(notice.due)}`,
          ...(notice.detail ? ['', notice.detail] : []),
          '',
          nl
            ? `Afronden: npx lekdicht task complete ${breachId} ${notice.taskId} --as <uw e-mail> --answer '<json>'`
            : `Complete it: npx lekdicht task complete ${breachId} ${notice.taskId} --as <your email> --answer '<json>'`,
        ]),
      };
    }
    case 'task-overdue': {
      const title = TASK_TITLES[notice.taskKind][language];
      return {
        subject: `[${breachId}] ${nl ? 'Taak te laat' : 'Task overdue'}: ${title}`,
        text: body([
          nl
            ? `De taak "${title}" (${notice.taskId}) had uiterlijk ${t(notice.due)} af moeten zijn en staat nog open.`
            : `The task "${title}" (${notice.taskId}) was due ${t(notice.due)} and is still open.`,
          nl
            ? 'U ontvangt dit als houder van de rol of als diens vervanger.'
            : 'You receive this as holder of the role or as their deputy.',
        ]),
      };
    }
    case 'breach-confirmed':
      return {
        subject: `[${breachId}] ${nl ? 'Datalek bevestigd: datalekteam gevormd' : 'Breach confirmed: breach team formed'}`,
        text: body([
          nl
            ? `De FG heeft vastgesteld dat ${breachId} een datalek is. FG, CISO en proceseigenaar vormen het datalekteam.`
            : `The DPO has established that ${breachId} is a personal-data breach. DPO, CISO and process owner form the breach team.`,
          '',
          `${nl ? 'Bekend sinds' : 'Aware since'}: ${t(notice.awareAt)}`,
          `${nl ? 'Uiterste meldtermijn AP (72 uur)' : 'Authority notification deadline (72 hours)'}: ${t(notice.deadline)}`,
        ]),
      };
    case 'deadline-reminder':
      if (notice.label) {
        return {
          subject: `[${breachId}] ${nl ? `Nog ${notice.hoursLeft} uur` : `${notice.hoursLeft} hours left`}: ${notice.label}`,
          text: body([
            `${notice.label} (${notice.basis ?? ''}): ${nl ? 'uiterlijk' : 'due by'} ${t(notice.deadline)}.`,
          ]),
        };
      }
      return {
        subject: `[${breachId}] ${nl ? `Nog ${notice.hoursLeft} uur tot de meldtermijn` : `${notice.hoursLeft} hours left to notify`}`,
        text: body([
          nl
            ? `De melding aan de Autoriteit Persoonsgegevens moet uiterlijk ${t(notice.deadline)} gedaan zijn (art. 33 AVG).`
            : `The notification to the supervisory authority is due by ${t(notice.deadline)} (GDPR art. 33).`,
        ]),
      };
    case 'deadline-missed':
      if (notice.label) {
        return {
          subject: `[${breachId}] ${nl ? 'Termijn verstreken' : 'Deadline passed'}: ${notice.label}`,
          text: body([
            nl
              ? `De termijn "${notice.label}" (${notice.basis ?? ''}) is verstreken op ${t(notice.deadline)} zonder dat dit is vastgelegd.`
              : `The deadline "${notice.label}" (${notice.basis ?? ''}) passed at ${t(notice.deadline)} without it being recorded.`,
          ]),
        };
      }
      return {
        subject: `[${breachId}] ${nl ? 'Meldtermijn verstreken: melding is te laat' : 'Notification deadline passed: notification is late'}`,
        text: body([
          nl
            ? `De termijn van 72 uur voor de melding aan de AP is verstreken op ${t(notice.deadline)} zonder dat de melding is vastgelegd.`
            : `The 72-hour deadline to notify the authority passed at ${t(notice.deadline)} without a recorded notification.`,
          nl
            ? 'Meld alsnog zo snel mogelijk en vermeld de redenen van de vertraging (art. 33 lid 1 AVG).'
            : 'Notify as soon as possible and give the reasons for the delay (GDPR art. 33(1)).',
        ]),
      };
    case 'email-undelivered':
      return {
        subject: `[${breachId}] ${nl ? 'E-mail niet afgeleverd' : 'Email not delivered'}: ${notice.purpose}`,
        text: body([
          nl
            ? `De mailserver heeft de e-mail "${notice.purpose}" voor ${notice.failed} ontvanger(s) definitief geweigerd (${notice.codes.join(', ')}). lekdicht probeert het niet opnieuw.`
            : `The mail server refused the email "${notice.purpose}" for good for ${notice.failed} recipient(s) (${notice.codes.join(', ')}). lekdicht does not try again.`,
          '',
          nl
            ? 'Wie het betreft staat in het register (e-mailfouten). Bereik hen op een andere manier, of corrigeer het adres in de directory.'
            : 'Who it concerns is in the register (email failures). Reach them another way, or correct the address in the directory.',
        ]),
      };
    case 'run-ended-outside': {
      const what = RUN_LABELS[notice.playbook][language];
      const deadline = notice.authorityNotifiedAt
        ? nl
          ? `De melding aan de AP is volgens het register gedaan op ${t(notice.authorityNotifiedAt)}; andere termijnen (NIS2, DORA, betrokkenen) bewaakt lekdicht voor deze zaak niet meer.`
          : `The register says the authority was notified at ${t(notice.authorityNotifiedAt)}; lekdicht no longer watches other deadlines (NIS2, DORA, data subjects) for this case.`
        : notice.deadline && notice.clockRunning
          ? nl
            ? `Uiterste meldtermijn AP (72 uur): ${t(notice.deadline)}. Het playbook meldtermijnen loopt nog: herinneringen en escalatie over deze termijn gaan door, maar de zaak zelf (taken, besluit, nazorg) staat stil.`
            : `Authority notification deadline (72 hours): ${t(notice.deadline)}. The notification-deadline playbook still runs: reminders and escalation for this deadline go on, but the case itself (tasks, decision, aftercare) has stopped.`
          : notice.deadline
            ? nl
              ? `Uiterste meldtermijn AP (72 uur): ${t(notice.deadline)}. Deze termijn wordt NIET meer bewaakt: geen herinneringen, geen escalatie.`
              : `Authority notification deadline (72 hours): ${t(notice.deadline)}. This deadline is NO LONGER watched: no reminders, no escalation.`
            : nl
              ? 'De meldtermijn is nog niet vastgesteld (triage niet afgerond): de 72 uur lopen vanaf het moment dat de organisatie op de hoogte is, ook nu niemand ze bewaakt.'
              : 'The notification deadline is not set yet (triage not completed): the 72 hours run from the moment the organisation became aware, also now that nobody watches them.';
      return {
        subject: `[${breachId}] ${nl ? 'Datalek-workflow buiten lekdicht beëindigd' : 'Breach workflow ended outside lekdicht'}: ${notice.playbook}`,
        text: body([
          nl
            ? `De run ${notice.workflowId} (${what}) is buiten lekdicht om geëindigd, terwijl het datalek in het register nog open staat.`
            : `The run ${notice.workflowId} (${what}) ended outside lekdicht while the breach is still open in the register.`,
          '',
          `  ${nl ? 'Hoe' : 'How'}: ${STATUS_LABELS[notice.status][language]} (${notice.cause})`,
          `  ${nl ? 'Geëindigd' : 'Ended'}: ${notice.endedAt ? t(notice.endedAt) : nl ? 'onbekend' : 'unknown'}`,
          `  ${nl ? 'Opgemerkt' : 'Noticed'}: ${t(notice.noticedAt)}`,
          '',
          deadline,
          '',
          nl ? 'Wat nu:' : 'What to do:',
          nl
            ? '  1. Zoek uit wie of wat de run beëindigde: de geschiedenis van de run in de Temporal UI.'
            : '  1. Find out who or what ended the run: its history in the Temporal UI.',
          nl
            ? `  2. Kan de zaak verder, reset dan de datalek-workflow naar zijn laatste stap (Temporal UI "Reset", of: temporal workflow reset --workflow-id ${breachId} --type LastWorkflowTask --reason <waarom>). De zaak loopt dan weer met haar taken; lekdicht ziet het. Playbooks die met haar eindigden (zoals de 72-uursklok) blijven beëindigd: lekdicht meldt welke, en die termijnen bewaakt u dan zelf.`
            : `  2. If the case can go on, reset the breach workflow to its last step (Temporal UI "Reset", or: temporal workflow reset --workflow-id ${breachId} --type LastWorkflowTask --reason <why>). The case then runs again with its tasks; lekdicht notices. Playbooks that ended with it (such as the 72-hour clock) stay ended: lekdicht tells you which, and you watch those deadlines yourself.`,
          nl
            ? '  3. Anders: handel het datalek met de hand af. Meld op tijd aan de AP en leg elke stap vast in het register.'
            : '  3. Otherwise handle the breach by hand: notify the authority in time and record every step in the register.',
        ]),
      };
    }
    case 'security-incident-closed':
      return {
        subject: `[${breachId}] ${nl ? 'Geen datalek: vastgelegd als beveiligingsincident' : 'Not a breach: recorded as a security incident'}`,
        text: body([
          nl
            ? 'De FG heeft vastgesteld dat dit geen datalek is. Het signaal is als beveiligingsincident vastgelegd en gesloten.'
            : 'The DPO has established that this is not a personal-data breach. It is recorded as a security incident and closed.',
        ]),
      };
    case 'breach-closed':
      return {
        subject: `[${breachId}] ${nl ? 'Datalek afgesloten' : 'Breach closed'}`,
        text: body([
          nl
            ? 'Het datalek is afgehandeld, geëvalueerd en in het register vastgelegd.'
            : 'The breach has been handled, evaluated and recorded in the register.',
        ]),
      };
  }
}
