/** The languages people read lekdicht in: emails, pages, letters and the CLI. Dutch comes first, as the default. */
export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A text in every language: what a label, a note or a summary is before a reader's language is known. */
export type Wording = Record<Language, string>;

/** Anything but "en" is Dutch: a wrong or missing `lang` parameter must not break a page. */
export function parseLanguage(value: unknown): Language {
  return value === 'en' ? 'en' : 'nl';
}
