import { adviceFor } from './advice';
import type { Language } from './language';
import type { DataSubjectLetter } from './letters';
import type { Answer } from './tasks';

/**
 * The art. 34 letter as the people affected get it is written for them, never taken from the case: the team's
 * summary, answers and reasoning are internal (names of staff, systems, judgements). Communications writes what
 * happened, the consequences, the measures and the advice (the 'letter' task); the KCC's contact point goes in as
 * set up; the FG approves the result before anything is sent.
 */

/** What a letter is made of besides what communications writes. */
export interface LetterFrame {
  organisation: string;
  breachId: string;
  /** The contact point the KCC set up (the 'contact-point' task), as written. */
  contactPoint: string;
}

/** The letter's way through the case: who wrote and approved which version, when. Kept in the case's facts. */
export interface LetterRecord {
  /** Whose letter, and the language it is written in: what a preview needs to compose it as the workflow does. */
  organisation?: string;
  language?: Language;
  contactPoint?: { text: string; by: string; at: string };
  /** The letter exactly as it goes out once approved: what the approval page shows. */
  draft?: DataSubjectLetter;
  /** 1 for the first letter written, one more each time the FG sends it back. */
  version: number;
  writtenBy?: string;
  writtenAt?: string;
  approvedBy?: string;
  approvedAt?: string;
  sentBack: { version: number; by: string; at: string }[];
}

const MEASURES: Record<Language, string> = {
  nl: 'Wij hebben het lek gedicht en nemen maatregelen om herhaling te voorkomen. Waar de wet dat vraagt, hebben wij de Autoriteit Persoonsgegevens geïnformeerd.',
  en: 'We have stopped the leak and are taking measures to prevent it happening again. Where the law requires it, we have informed the supervisory authority.',
};

/**
 * Starting texts for the letter task: generic, written for citizens, chosen only by the kinds of data (the
 * advice); what happened and what it may mean are left for communications to write.
 */
export function letterStart(dataCategories: readonly string[], language: Language): Partial<Answer<'letter'>> {
  return { measures: MEASURES[language], advice: adviceFor(dataCategories).map((a) => a[language]) };
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The letter from what communications wrote and the KCC's contact point. Starting texts kept as they were are
 * lekdicht's own and exist in every language, so an English reader gets them in English; written words stay as
 * written.
 */
export function composeLetter(
  frame: LetterFrame,
  written: Answer<'letter'>,
  language: Language,
  dataCategories: readonly string[],
): DataSubjectLetter {
  const start = letterStart(dataCategories, language);
  const keptMeasures = written.measures.trim() === start.measures;
  const keptAdvice = same(
    written.advice.map((a) => a.trim()),
    start.advice ?? [],
  );
  const byLanguage: DataSubjectLetter['byLanguage'] = {};
  if (keptMeasures || keptAdvice) {
    for (const other of ['nl', 'en'] as const) {
      const theirs = letterStart(dataCategories, other);
      byLanguage[other] = {
        ...(keptMeasures ? { measures: theirs.measures } : {}),
        ...(keptAdvice ? { advice: theirs.advice } : {}),
      };
    }
  }
  return {
    organisation: frame.organisation,
    breachId: frame.breachId,
    nature: written.nature,
    consequences: written.consequences,
    measures: written.measures,
    advice: written.advice,
    contactPoint: frame.contactPoint,
    ...(keptMeasures || keptAdvice ? { byLanguage } : {}),
  };
}
