/**
 * An English detector for Dutch pages, emails and files: words that are common in any English sentence and are
 * never Dutch words. Dutch shares "is", "in", "was", "had", "of", "die", "over" and "door" with English, so those
 * are not on the list; one of these words is enough to call a sentence English.
 */
export const ENGLISH_WORDS = [
  'the',
  'and',
  'with',
  'has',
  'have',
  'been',
  'will',
  'should',
  'this',
  'that',
  'which',
  'not',
  'from',
  'for',
  'you',
  'your',
  'are',
  'to',
  'be',
  'by',
  'it',
  'its',
  'on',
  'at',
  'when',
  'there',
  'can',
  'would',
  'must',
  'into',
  'after',
  'until',
  'yes',
  'no',
  'due',
  'sent',
  'opened',
  'received',
  'recorded',
  'none',
  'unknown',
  // The law is the AVG in Dutch; "GDPR" on a Dutch page is an untranslated text.
  'gdpr',
] as const;

/**
 * Names that contain a listed word and are the same in Dutch. Each entry says why it is allowed; keep it short.
 */
export const ALLOWED_NAMES: readonly string[] = [
  // The language switch: the name of the other language, in that language (client/web/layout.ts).
  'English',
];

const WORD = new RegExp(`(?<![\\p{L}\\p{N}@.-])(${ENGLISH_WORDS.join('|')})(?![\\p{L}\\p{N}@-])`, 'iu');

/**
 * The sentences (lines, split at full stops) of `text` that contain an English word, after removing the allowed
 * names and commands (`npx lekdicht …` lines are shell, not prose). Empty when the text reads as Dutch.
 */
export function englishSentences(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split(/\n+/)) {
    if (/^\s*(\S+:\s*)?npx lekdicht /i.test(line)) continue;
    let rest = line;
    for (const name of ALLOWED_NAMES) rest = rest.split(name).join(' ');
    for (const sentence of rest.split(/(?<=[.!?])\s+/)) {
      if (WORD.test(sentence)) found.push(sentence.trim());
    }
  }
  return found;
}

/** The text a person sees on a page: tags, scripts and styles removed, entities decoded, whitespace collapsed. */
export function visibleText(page: string): string {
  return page
    .replace(/<script[\s\S]*?<\/script>/gi, '\n')
    .replace(/<style[\s\S]*?<\/style>/gi, '\n')
    .replace(
      /<(br|\/p|\/li|\/dd|\/dt|\/td|\/th|\/tr|\/h\d|\/div|\/section|\/option|\/caption|\/label|\/legend|\/summary)[^>]*>/gi,
      '\n',
    )
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*/g, '\n')
    .trim();
}
