import { withoutBidiControls } from './bidi';
import type { Language } from './language';

/**
 * The letter to the people affected (GDPR art. 34): in clear and plain language, with at least what art. 34(2)
 * asks (the content of art. 33(3)(b)–(d)): the nature of the breach, the name and contact details of the FG or
 * another contact point, the likely consequences, and the measures taken or proposed, plus what people can do
 * themselves. Plain text only, so free text from the case can never become markup.
 */
export interface DataSubjectLetter {
  organisation: string;
  breachId: string;
  /** What happened, in a sentence or two. */
  nature: string;
  /** What it may mean for the person. */
  consequences: string;
  /** What the organisation did and will do. */
  measures: string;
  /** Name and contact details of the FG (DPO) or another contact point. */
  contactPoint: string;
  /** What the person can do themselves, one piece of advice per item. */
  advice: string[];
  /** The parts lekdicht writes itself, per language, so an English reader gets English advice; the FG's own words stay as written. */
  byLanguage?: Partial<Record<Language, Partial<Pick<DataSubjectLetter, 'measures' | 'advice' | 'contactPoint'>>>>;
}

export interface RenderedLetter {
  subject: string;
  text: string;
}

// Control characters (C0 except the newline, DEL, C1); the bidirectional controls that can make text read
// differently from what it says are domain/bidi.ts's, one list for pages, emails, letters and CSV.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;

// Half of a surrogate pair without its other half: not a character, so it cannot be encoded as UTF-8 (a mail
// transport or a terminal would mangle it); shown as U+FFFD instead.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Unicode's own line and paragraph separators (and NEL, a C1 control removed above) end a line for some readers.
const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** Free text for the body: line breaks normalised to \n, control characters removed, other newlines kept. */
export function cleanText(value: string): string {
  // Lone surrogates first: removing a character between a lone high and a lone low one would join them.
  return withoutBidiControls(
    value
      .replace(LONE_SURROGATE, '\uFFFD')
      .replace(/\r\n?/g, '\n')
      .replace(LINE_SEPARATORS, '\n')
      .replace(/\t/g, ' ')
      .replace(CONTROL, ''),
  ).trim();
}

/** Free text for one line (a subject, a name): also without line breaks. */
export function cleanLine(value: string): string {
  return cleanText(value).replace(/\s*\n\s*/g, ' ');
}

/**
 * Mail clients and gateways cut or fold long subjects anyway; RFC 5322 caps a header line at 998 characters.
 * A subject made from free text stops well before that, on a character boundary, marked with an ellipsis.
 */
export const MAX_SUBJECT_LENGTH = 200;

/** One line of at most `max` characters (not splitting a surrogate pair), for a subject or a header. */
export function cleanSubject(value: string, max = MAX_SUBJECT_LENGTH): string {
  const line = cleanLine(value);
  const chars = Array.from(line);
  return chars.length <= max
    ? line
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

const WORDS = {
  nl: {
    subject: (org: string) => `Datalek bij ${org}: uw persoonsgegevens zijn betrokken`,
    greeting: (name?: string) => (name ? `Beste ${name},` : 'Geachte heer/mevrouw,'),
    intro: (org: string) =>
      `Bij ${org} is een datalek ontstaan. Daarbij zijn ook uw persoonsgegevens betrokken. Dat vinden wij erg vervelend. In deze brief leest u wat er is gebeurd, wat dat voor u kan betekenen, wat wij eraan doen en wat u zelf kunt doen. Wij zijn wettelijk verplicht u hierover te informeren (artikel 34 van de Algemene verordening gegevensbescherming, AVG).`,
    nature: 'Wat is er gebeurd?',
    consequences: 'Wat kan dit voor u betekenen?',
    measures: 'Wat hebben wij gedaan en wat gaan wij nog doen?',
    advice: 'Wat kunt u zelf doen?',
    contact: 'Heeft u vragen?',
    contactText: 'Neem dan contact op met onze Functionaris Gegevensbescherming (FG) of ons contactpunt:',
    complaint:
      'Bent u het niet eens met hoe wij met uw gegevens omgaan? Dan kunt u een klacht indienen bij de Autoriteit Persoonsgegevens.',
    reference: (id: string) => `Noem bij vragen dit kenmerk: ${id}`,
    closing: 'Met vriendelijke groet,',
  },
  en: {
    subject: (org: string) => `Data breach at ${org}: your personal data is involved`,
    greeting: (name?: string) => (name ? `Dear ${name},` : 'Dear Sir or Madam,'),
    intro: (org: string) =>
      `${org} has had a data breach, and your personal data is involved. We are very sorry about this. This letter tells you what happened, what it may mean for you, what we are doing about it and what you can do yourself. The law requires us to tell you (article 34 of the General Data Protection Regulation, GDPR).`,
    nature: 'What happened?',
    consequences: 'What may this mean for you?',
    measures: 'What have we done, and what will we do?',
    advice: 'What can you do yourself?',
    contact: 'Questions?',
    contactText: 'Please contact our Data Protection Officer (DPO) or our contact point:',
    complaint:
      'If you disagree with how we handle your data, you can complain to the supervisory authority (in the Netherlands: the Autoriteit Persoonsgegevens).',
    reference: (id: string) => `Please mention this reference: ${id}`,
    closing: 'Kind regards,',
  },
} as const;

/** What a letter says to everyone in one language: all but the greeting, which names the person. */
interface LetterBody {
  subject: string;
  greeting: (name?: string) => string;
  /** The text after the greeting's line. */
  rest: string;
}

function letterBody(original: DataSubjectLetter, language: Language): LetterBody {
  const letter = { ...original, ...original.byLanguage?.[language] };
  const w = WORDS[language];
  const org = cleanLine(letter.organisation);
  const advice = letter.advice.map(cleanLine).filter((a) => a.length > 0);
  const section = (title: string, body: string) => [title, cleanText(body), ''];
  const rest = [
    '',
    w.intro(org),
    '',
    ...section(w.nature, letter.nature),
    ...section(w.consequences, letter.consequences),
    ...section(w.measures, letter.measures),
    ...(advice.length > 0 ? [w.advice, ...advice.map((a) => `- ${a}`), ''] : []),
    w.contact,
    w.contactText,
    cleanText(letter.contactPoint),
    '',
    w.complaint,
    '',
    w.reference(cleanLine(letter.breachId)),
    '',
    w.closing,
    org,
  ].join('\n');
  return { subject: cleanSubject(w.subject(org)), greeting: w.greeting, rest: `${rest}\n` };
}

function personal(body: LetterBody, recipientName: string | undefined): RenderedLetter {
  const name = recipientName === undefined ? '' : cleanLine(recipientName);
  return { subject: body.subject, text: `${body.greeting(name || undefined)}\n${body.rest}` };
}

/**
 * Renders the letter; Dutch unless the person asked for English. The recipient's name, when given, goes in
 * the greeting; it is added per person when sending and never kept in the workflow.
 */
export function renderDataSubjectLetter(
  original: DataSubjectLetter,
  language: Language = 'nl',
  recipientName?: string,
): RenderedLetter {
  return personal(letterBody(original, language), recipientName);
}

/**
 * renderDataSubjectLetter for many people: the letter is put together once per language and only the greeting
 * per person, with the same result for each person as renderDataSubjectLetter.
 */
export function letterRenderer(
  original: DataSubjectLetter,
): (language?: Language, recipientName?: string) => RenderedLetter {
  const bodies = new Map<Language, LetterBody>();
  return (language = 'nl', recipientName) => {
    let body = bodies.get(language);
    if (body === undefined) bodies.set(language, (body = letterBody(original, language)));
    return personal(body, recipientName);
  };
}
