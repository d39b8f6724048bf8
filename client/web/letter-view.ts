import type { CaseView } from '../../domain/case';
import { composeLetter, letterStart } from '../../domain/letter-draft';
import { renderDataSubjectLetter, type DataSubjectLetter } from '../../domain/letters';
import type { Language, Wording } from '../../domain/language';
import { answerSchemas, type Task } from '../../domain/tasks';
import { timeEl } from './components';
import { html, type SafeHtml } from './html';

/**
 * The art. 34 letter on the task pages (workflows/letter-approval.ts): the letter task starts from generic texts
 * and shows a preview on request; the FG's approval page and the public communication's page show the letter
 * exactly as it goes out, rendered by the same function that renders every email and printed letter.
 */

const T = {
  previewButton: { nl: 'Voorbeeld bekijken', en: 'Show preview' },
  previewTitle: { nl: 'Voorbeeld van de brief', en: 'Preview of the letter' },
  previewIntro: {
    nl: 'Zo leest een betrokkene de brief. Er is nog niets opgeslagen of verstuurd: rond de taak af om hem ter goedkeuring aan de FG voor te leggen.',
    en: 'This is how a person reads the letter. Nothing is saved or sent yet: complete the task to put it to the FG for approval.',
  },
  approvalTitle: { nl: 'De brief zoals hij verstuurd wordt', en: 'The letter as it will be sent' },
  approvalIntro: {
    nl: 'Er gaat geen brief weg voordat u hem goedkeurt. Betrokkenen krijgen hem in het Nederlands, of in het Engels als zij dat hebben gevraagd; hun naam komt in de aanhef.',
    en: 'No letter goes out before you approve it. People get it in Dutch, or in English where they asked for it; their name goes in the greeting.',
  },
  publishTitle: { nl: 'Te publiceren tekst (goedgekeurd door de FG)', en: 'Text to publish (approved by the FG)' },
  written: { nl: 'Geschreven door', en: 'Written by' },
  approvedBy: { nl: 'Goedgekeurd door', en: 'Approved by' },
  version: { nl: 'Versie', en: 'Version' },
  subject: { nl: 'Onderwerp', en: 'Subject' },
  inDutch: { nl: 'In het Nederlands', en: 'In Dutch' },
  inEnglish: { nl: 'In het Engels', en: 'In English' },
  noContactPoint: { nl: '(het contactpunt dat het KCC inricht)', en: '(the contact point the KCC sets up)' },
} satisfies Record<string, Wording>;

const LETTER_KINDS = new Set(['letter', 'letter-approval', 'public-communication']);

/** One rendering of the letter, with its subject, as plain text kept as it is (lines and all). */
function rendered(letter: DataSubjectLetter, language: Language, lang: Language): SafeHtml {
  const { subject, text } = renderDataSubjectLetter(letter, language);
  return html`<section class="letter-preview" lang="${language}" aria-label="${language === 'nl' ? T.inDutch[lang] : T.inEnglish[lang]}">
<h3>${language === 'nl' ? T.inDutch[lang] : T.inEnglish[lang]}</h3>
<p><strong>${T.subject[lang]}:</strong> ${subject}</p>
<pre class="letter">${text}</pre>
</section>`;
}

const both = (letter: DataSubjectLetter, lang: Language) =>
  html`${rendered(letter, 'nl', lang)}${rendered(letter, 'en', lang)}`;

/** The letter a letter form's answer would make, exactly as the workflow composes it. */
function letterFrom(view: CaseView, values: unknown, lang: Language): DataSubjectLetter | undefined {
  const record = view.facts.letter;
  const parsed = answerSchemas.letter.safeParse(values);
  if (!parsed.success || !record?.organisation) return undefined;
  return composeLetter(
    {
      organisation: record.organisation,
      breachId: view.breachId,
      contactPoint: record.contactPoint?.text ?? T.noContactPoint[lang],
    },
    parsed.data,
    record.language ?? lang,
    view.facts.known?.dataCategories ?? [],
  );
}

/**
 * What a new letter form starts with: the letter sent back (to change what the FG remarked on), or lekdicht's
 * generic starting texts. Never the case's own texts.
 */
export function letterPrefill(task: Task, view: CaseView | undefined, lang: Language): unknown {
  if (task.kind !== 'letter' || !view) return undefined;
  const draft = view.facts.letter?.draft;
  if (draft)
    return { nature: draft.nature, consequences: draft.consequences, measures: draft.measures, advice: draft.advice };
  return letterStart(view.facts.known?.dataCategories ?? [], view.facts.letter?.language ?? lang);
}

/** A preview button for the letter form; nothing for other kinds. */
export function letterPreviewButton(task: Task, lang: Language): SafeHtml {
  return task.kind === 'letter'
    ? html`<button type="submit" class="secondary" name="_intent" value="preview">${T.previewButton[lang]}</button>`
    : html``;
}

/**
 * The letter beside the task: the preview of what was entered (letter), the version to approve (letter-approval),
 * the approved text to publish (public-communication).
 */
export function letterSection(
  task: Task,
  view: CaseView | undefined,
  values: unknown,
  preview: boolean,
  lang: Language,
): SafeHtml {
  if (!LETTER_KINDS.has(task.kind) || !view) return html``;
  const record = view.facts.letter;
  if (task.kind === 'letter') {
    const letter = preview ? letterFrom(view, values, lang) : undefined;
    if (!letter) return html``;
    return html`<section class="notice" id="letter-preview" aria-labelledby="letter-preview-title">
<h2 id="letter-preview-title">${T.previewTitle[lang]}</h2>
<p>${T.previewIntro[lang]}</p>
${both(letter, lang)}
</section>`;
  }
  if (!record?.draft) return html``;
  const who = html`<dl class="facts">
<dt>${T.version[lang]}</dt><dd>${String(record.version)}</dd>
${record.writtenBy ? html`<dt>${T.written[lang]}</dt><dd>${record.writtenBy}, ${timeEl(record.writtenAt, lang)}</dd>` : ''}
${record.approvedBy ? html`<dt>${T.approvedBy[lang]}</dt><dd>${record.approvedBy}, ${timeEl(record.approvedAt, lang)}</dd>` : ''}
</dl>`;
  if (task.kind === 'letter-approval') {
    return html`<section class="notice" id="letter-to-approve" aria-labelledby="letter-to-approve-title">
<h2 id="letter-to-approve-title">${T.approvalTitle[lang]}</h2>
<p>${T.approvalIntro[lang]}</p>
${who}
${both(record.draft, lang)}
</section>`;
  }
  return html`<section class="notice" id="letter-to-publish" aria-labelledby="letter-to-publish-title">
<h2 id="letter-to-publish-title">${T.publishTitle[lang]}</h2>
${who}
${rendered(record.draft, record.language ?? lang, lang)}
</section>`;
}

const STATUS = {
  title: { nl: 'Brief aan de betrokkenen', en: 'Letter to the people affected' },
  contactPoint: { nl: 'Contactpunt', en: 'Contact point' },
  state: { nl: 'Stand', en: 'Status' },
  approved: { nl: 'Goedgekeurd door de FG', en: 'Approved by the FG' },
  waiting: { nl: 'Wacht op goedkeuring door de FG', en: "Waiting for the FG's approval" },
  writing: { nl: 'Wordt geschreven door communicatie', en: 'Being written by communications' },
  sentBack: { nl: 'Teruggestuurd door de FG', en: 'Sent back by the FG' },
  open: { nl: 'Brief bekijken', en: 'View the letter' },
} satisfies Record<string, Wording>;

/** The letter's way on the breach page: contact point, versions, who wrote and approved it when. */
export function letterStatus(
  view: CaseView,
  lang: Language,
): { id: string; title: string; content: SafeHtml } | undefined {
  const record = view.facts.letter;
  if (!record) return undefined;
  const state = record.approvedBy
    ? STATUS.approved[lang]
    : record.draft && record.writtenAt && !record.sentBack.some((s) => s.version === record.version)
      ? STATUS.waiting[lang]
      : STATUS.writing[lang];
  const content = html`<dl class="facts">
<dt>${STATUS.state[lang]}</dt><dd>${state}</dd>
${record.contactPoint ? html`<dt>${STATUS.contactPoint[lang]}</dt><dd>${record.contactPoint.text} (${record.contactPoint.by}, ${timeEl(record.contactPoint.at, lang)})</dd>` : ''}
${record.writtenBy ? html`<dt>${T.version[lang]} ${String(record.version)}: ${T.written[lang].toLowerCase()}</dt><dd>${record.writtenBy}, ${timeEl(record.writtenAt, lang)}</dd>` : ''}
${record.sentBack.map((s) => html`<dt>${T.version[lang]} ${String(s.version)}: ${STATUS.sentBack[lang].toLowerCase()}</dt><dd>${s.by}, ${timeEl(s.at, lang)}</dd>`)}
${record.approvedBy ? html`<dt>${STATUS.approved[lang]}</dt><dd>${record.approvedBy}, ${timeEl(record.approvedAt, lang)}</dd>` : ''}
</dl>`;
  return { id: 'letter', title: STATUS.title[lang], content };
}
