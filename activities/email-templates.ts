import type { EndedRunStatus, Notice, RunPlaybook } from '../domain/notices';
import { cleanSubject, cleanText } from '../domain/letters';
import { TASK_TITLES } from '../domain/labels';
import type { Language, Wording } from '../domain/language';
import { PRACTICE_NOTICE, PRACTICE_SUBJECT_PREFIX } from '../domain/practice';
import { publicUrlOf } from '../domain/service-config';
import { NOTICE_FOOTER, NOTICE_TEMPLATES, type NoticeContext, type NoticeText } from './notice-templates';

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

/** Where the links in a notice point, and whether it is practice; read from the config when the email is sent. */
export interface NoticeOptions {
  /** `publicUrlOf(config.http)`; default: where the service listens by default. */
  publicUrl?: string;
  /** Practice mode: the subject starts with [OEFENING] / [PRACTICE], and the body says so first. */
  practice?: boolean;
}

const DEFAULT_PUBLIC_URL = publicUrlOf({ host: '127.0.0.1', port: 8080 });

/** One path segment of a link; a lone surrogate (not a character) would make encodeURIComponent throw. */
function segment(value: string): string {
  return encodeURIComponent(
    value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );
}

/**
 * Renders a notice as a plain-text email; the subject always starts with the breach id so mail can be filtered.
 * Free text in a notice (a task's detail, such as an improvement action someone typed) and the organisation's
 * name can hold anything: the body keeps only newlines of all control characters, and the subject is one line
 * of bounded length, so no text can add a header or hide what the mail says.
 */
export function renderNotice(
  breachId: string,
  notice: Notice,
  language: Language,
  organisation: string,
  options: NoticeOptions = {},
): Rendered {
  const { subject, text } = renderRaw(breachId, notice, language, organisation, options);
  return { subject: cleanSubject(subject), text: cleanText(text) };
}

function renderRaw(
  breachId: string,
  notice: Notice,
  language: Language,
  organisation: string,
  options: NoticeOptions,
): Rendered {
  // The page follows the reader's language switch; an English email opens the English page.
  const lang = language === 'en' ? '?lang=en' : '';
  const caseUrl = `${(options.publicUrl ?? DEFAULT_PUBLIC_URL).replace(/\/+$/, '')}/breaches/${segment(breachId)}`;
  const context: NoticeContext = {
    breachId,
    caseUrl: `${caseUrl}${lang}`,
    taskUrl: (taskId) => `${caseUrl}/tasks/${segment(taskId)}${lang}`,
    time: (iso) => formatTime(iso, language),
    taskTitle: (kind) => TASK_TITLES[kind][language],
    runLabel: (playbook) => RUN_LABELS[playbook][language],
    statusLabel: (status) => STATUS_LABELS[status][language],
  };
  // A template per kind: TypeScript cannot pair a kind's template with its notice through the table's index.
  const template = NOTICE_TEMPLATES[notice.kind][language] as (n: Notice, c: NoticeContext) => NoticeText;
  const { subject, lines } = template(notice, context);
  const practice = options.practice ? [PRACTICE_NOTICE[language], ''] : [];
  return {
    subject: `${options.practice ? `${PRACTICE_SUBJECT_PREFIX[language]} ` : ''}[${breachId}] ${subject}`,
    text: [...practice, ...lines, '', ...NOTICE_FOOTER[language](context, organisation)].join('\n'),
  };
}
