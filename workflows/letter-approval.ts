import type { PlaybookSettings } from '../activities';
import { composeLetter, type LetterRecord } from '../domain/letter-draft';
import type { Language } from '../domain/language';
import type { DataSubjectLetter } from '../domain/letters';
import type { PlaybookRuntime } from './playbook';
import type { Resumable } from './resumable';

const DETAIL = {
  contactPoint: {
    nl: 'De betrokkenen krijgen een brief (art. 34 AVG). Richt vóór die brief het contactpunt in waar zij met vragen terechtkunnen: wie, telefoon, e-mail, bereikbaarheid. Het komt zo in de brief, en de nazorg gebruikt hetzelfde contactpunt.',
    en: 'The people affected will get a letter (GDPR art. 34). Before it goes, set up the contact point where they can ask questions: who, phone, email, hours. It goes into the letter as written, and aftercare uses the same contact point.',
  },
  letter: {
    nl: 'Schrijf voor de betrokkenen, in gewone taal: wat er is gebeurd, wat het voor hen kan betekenen, wat de organisatie doet en wat zij zelf kunnen doen. Neem niets over uit het interne dossier. De FG keurt de brief goed voordat er één wordt verstuurd.',
    en: 'Write for the people affected, in plain language: what happened, what it may mean for them, what the organisation does and what they can do themselves. Copy nothing from the internal case. The FG approves the letter before any is sent.',
  },
  again: {
    nl: (remarks: string) => `De FG heeft de brief teruggestuurd. Opmerkingen: ${remarks}`,
    en: (remarks: string) => `The FG sent the letter back. Remarks: ${remarks}`,
  },
} as const;

const idOf = (base: string, attempt: number) => (attempt === 1 ? base : `${base}-${attempt}`);

/**
 * The art. 34 letter, composed for the people affected and approved before anything is sent: the KCC sets up the
 * contact point, communications writes the letter (its submission is its approval), the FG approves it or sends it
 * back with remarks, and communications writes it again. Every step is recorded in the case's facts (who, when)
 * and on the timeline. Returns the approved letter, exactly as the approval page showed it.
 */
export async function approvedLetter(
  playbook: PlaybookRuntime,
  r: Resumable,
  breachId: string,
  settings: PlaybookSettings,
  dataCategories: readonly string[],
  due: string,
): Promise<{ letter: DataSubjectLetter; contactPoint: string }> {
  const lang: Language = settings.language;
  const record: LetterRecord = playbook.facts.letter ?? {
    organisation: settings.organisation,
    language: lang,
    version: 0,
    sentBack: [],
  };
  playbook.facts.letter = record;

  const { contactPoint } = await playbook.ask('contact-point', {
    dueInMs: settings.timing.aftercareDue,
    detail: DETAIL.contactPoint[lang],
  });
  const setUp = playbook.tasks.get('contact-point')!;
  await r.once('contact-point:set-up', async () => {
    record.contactPoint = { text: contactPoint, by: setUp.completedBy!, at: setUp.completedAt! };
    await playbook.note('contact-point', 'Contact point for the people affected set up', setUp.completedBy);
  });

  for (let attempt = 1; ; attempt++) {
    const sentBack = attempt > 1 ? playbook.tasks.get(idOf('letter-approval', attempt - 1)) : undefined;
    const remarks = (sentBack?.answer as { remarks?: string } | undefined)?.remarks ?? '';
    const written = await playbook.ask('letter', {
      id: idOf('letter', attempt),
      due,
      detail: attempt === 1 ? DETAIL.letter[lang] : DETAIL.again[lang](remarks),
    });
    const writing = playbook.tasks.get(idOf('letter', attempt))!;
    const letter = composeLetter(
      { organisation: settings.organisation, breachId, contactPoint },
      written,
      lang,
      dataCategories,
    );
    await r.once(`letter:written-${attempt}`, async () => {
      record.draft = letter;
      record.version = attempt;
      record.writtenBy = writing.completedBy!;
      record.writtenAt = writing.completedAt!;
      await playbook.note(
        'letter-written',
        `Letter to the people affected written (version ${attempt}); waiting for the FG's approval`,
        writing.completedBy,
        undefined,
        { version: attempt },
      );
    });

    const approval = await playbook.ask('letter-approval', { id: idOf('letter-approval', attempt), due });
    const deciding = playbook.tasks.get(idOf('letter-approval', attempt))!;
    if (approval.approved) {
      await r.once(`letter:approved-${attempt}`, async () => {
        record.approvedBy = deciding.completedBy!;
        record.approvedAt = deciding.completedAt!;
        await playbook.note(
          'letter-approved',
          `Letter version ${attempt} approved by the FG; written by ${record.writtenBy} at ${record.writtenAt}`,
          deciding.completedBy,
          undefined,
          { version: attempt, writtenBy: record.writtenBy ?? '', writtenAt: record.writtenAt ?? '' },
        );
      });
      return { letter, contactPoint };
    }
    await r.once(`letter:sent-back-${attempt}`, async () => {
      record.sentBack.push({ version: attempt, by: deciding.completedBy!, at: deciding.completedAt! });
      await playbook.note(
        'letter-sent-back',
        `Letter version ${attempt} sent back by the FG with remarks`,
        deciding.completedBy,
        undefined,
        { version: attempt },
      );
    });
  }
}
