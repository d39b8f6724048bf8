/**
 * Hostile free text (markup, script, control characters, bidi overrides, lone surrogates, very long strings) is
 * rendered safely wherever people read it (issue 5, item 5): plain-text emails (no control characters but newline
 * and tab, no header injection through the subject, bounded subjects), the letters to the people affected, the
 * breach page (no element or attribute from the text) and the AP notification draft (no forged lines, no raw
 * HTML). Pure: no server. fast-check prints the counterexample (and its seed) of a failing property.
 */
import fc from 'fast-check';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../../activities/email-templates';
import {
  cleanLine,
  cleanText,
  MAX_SUBJECT_LENGTH,
  renderDataSubjectLetter,
  type DataSubjectLetter,
} from '../../../domain/letters';
import { apDraft, renderApDraftMarkdown, UNKNOWN_MARK } from '../../../domain/ap-draft';
import type { Notice } from '../../../domain/notices';
import type { CaseView } from '../../../domain/case';
import type { Task } from '../../../domain/tasks';
import { renderBreach } from '../../../client/web';
import { recipientsExportCsv } from '../../../client/cli/recipients';
import { registerCsv, REGISTER_CSV_COLUMNS } from '../../../register/export';
import type { BreachRecordRow } from '../../../domain/register';
import { neutraliseFormula } from '../../../domain/csv';
import { escapeHtml } from '../../../client/web/html';
import { parse as parseCsv } from 'csv-parse/sync';
import { hostileText, HOSTILE_PIECES } from '../../support/bad-input-arbitraries';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-28T10:00:00Z');
const at = (hours: number) => new Date(NOW + hours * HOUR).toISOString();
const ID = 'breach-0123456789abcdef0123';

/** Free text as it can arrive: hostile pieces, arbitrary code units, or now and then a very long run. */
const freeText = fc.oneof(
  { weight: 8, arbitrary: hostileText(12) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 5_000, max: 60_000 }), fc.constantFrom(...HOSTILE_PIECES))
      .map(([n, piece]) => piece.repeat(Math.ceil(n / piece.length))),
  },
);

// eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
const CONTROL_BUT_NEWLINE_TAB = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Every bidirectional control (domain/bidi.ts): embeddings, overrides, isolates and the direction marks. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const BIDI_ALL = new RegExp(BIDI.source, 'g');
const BIDI_OR_SEPARATOR = /[\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/**
 * What a spreadsheet runs as a formula (Excel, LibreOffice): =, +, -, @ or their full-width forms, also after
 * leading whitespace and line breaks, which they skip; and a cell that starts with a tab or carriage return.
 */
const RUNS_AS_FORMULA = /^(?:[\t\r]|[\s\u200B-\u200D\u2060\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u;
/** The ways a formula was smuggled past a check for the first character only (issue 11). */
const FORMULA_STARTS = [
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  ' =',
  '  +1',
  '\n=',
  '\r\n@',
  ' \t-',
  '\u00a0=',
  '\u3000+',
  '\uFF1D',
  '\uFF0B',
  '\uFF0D',
  '\uFF20',
  ' \uFF1DSUM(A1)',
  '\u202e=',
  '\u2066\n+',
  '\u200e@',
] as const;

function expectPlainText(text: string, what: string) {
  expect(text, `${what}: control character`).not.toMatch(CONTROL_BUT_NEWLINE_TAB);
  expect(text, `${what}: lone surrogate`).not.toMatch(LONE_SURROGATE);
  expect(text, `${what}: bidi override or line separator`).not.toMatch(BIDI_OR_SEPARATOR);
}

function expectSubjectLine(subject: string) {
  expectPlainText(subject, 'subject');
  expect(subject).not.toMatch(/[\r\n\t]/);
  expect(Array.from(subject).length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
}

const noticeWith = (text: string): fc.Arbitrary<Notice> =>
  fc.constantFrom<Notice>(
    { kind: 'task-assigned', taskId: 'improvement-1', taskKind: 'improvement-action', due: at(24), detail: text },
    { kind: 'task-assigned', taskId: text, taskKind: 'evaluation', due: at(24) },
    { kind: 'task-overdue', taskId: text, taskKind: 'containment', due: at(-1) },
    { kind: 'deadline-reminder', deadline: at(12), hoursLeft: 12, label: text, basis: text },
    { kind: 'deadline-missed', deadline: at(-1), label: text, basis: text },
    { kind: 'breach-confirmed', awareAt: at(-1), deadline: at(71) },
    { kind: 'email-undelivered', purpose: text, failed: 2, codes: ['550 RCPT TO'] },
    { kind: 'breach-closed' },
  );

describe('emails: plain text, one-line bounded subjects, whatever the free text', () => {
  it('renderNotice keeps only newline and tab, and the subject one line of at most 200 characters (400 runs)', () => {
    fc.assert(
      fc.property(
        freeText.chain((text) => fc.tuple(fc.constant(text), noticeWith(text))),
        freeText,
        fc.constantFrom('nl' as const, 'en' as const),
        ([text, notice], organisation, language) => {
          const { subject, text: body } = renderNotice(ID, notice, language, organisation);
          expectSubjectLine(subject);
          expect(subject.startsWith(`[${ID}] `)).toBe(true);
          expectPlainText(body, 'body');
          // Nothing readable is lost: the detail someone typed is in the body, cleaned.
          if (notice.kind === 'task-assigned' && notice.detail) expect(body).toContain(cleanText(text));
          expect(body).toContain(`npx lekdicht show ${ID}`);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a hostile breach id or label cannot add a header to the message as it goes over SMTP (50 runs)', async () => {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: '\r\n' });
    await fc.assert(
      fc.asyncProperty(freeText, fc.constantFrom('nl' as const, 'en' as const), async (text, language) => {
        const { subject, text: body } = renderNotice(
          `${ID}${text}`,
          { kind: 'deadline-reminder', deadline: at(12), hoursLeft: 12, label: text, basis: text },
          language,
          text,
        );
        const info = await transport.sendMail({
          from: 'lekdicht <lekdicht@test.example>',
          to: 'fg@test.example',
          subject,
          text: body,
          messageId: '<x@lekdicht>',
        });
        const raw = (info.message as Buffer).toString('latin1');
        const headers = raw
          .slice(0, raw.indexOf('\r\n\r\n'))
          .split('\r\n')
          .filter((line) => !/^[ \t]/.test(line));
        expect(headers.map((line) => line.slice(0, line.indexOf(':')).toLowerCase()).sort()).toEqual([
          'content-transfer-encoding',
          'content-type',
          'date',
          'from',
          'message-id',
          'mime-version',
          'subject',
          'to',
        ]);
      }),
      { numRuns: 50 },
    );
  });

  it('the letter to the people affected: plain text, one-line bounded subject (300 runs)', () => {
    const letter = (text: string): DataSubjectLetter => ({
      organisation: text,
      breachId: ID,
      nature: text,
      consequences: text,
      measures: text,
      contactPoint: text,
      advice: [text, 'Wijzig uw wachtwoord.'],
    });
    fc.assert(
      fc.property(
        freeText,
        fc.option(freeText, { nil: undefined }),
        fc.constantFrom('nl' as const, 'en' as const),
        (text, name, language) => {
          const { subject, text: body } = renderDataSubjectLetter(letter(text), language, name);
          expectSubjectLine(subject);
          expectPlainText(body, 'letter');
          expect(body).toContain(cleanText(text));
          if (name !== undefined && cleanLine(name)) expect(body.split('\n')[0]).toContain(cleanLine(name));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the breach page: free text never becomes markup', () => {
  const task = (extra: Partial<Task>): Task => ({
    id: 'triage',
    kind: 'triage',
    role: 'fg',
    title: 'triage',
    playbook: 'breach',
    workflowId: ID,
    createdAt: at(-2),
    due: at(2),
    status: 'open',
    overdue: false,
    ...extra,
  });
  const view = (text: string): CaseView => ({
    breachId: ID,
    phase: 'notification',
    outcome: 'breach',
    openedAt: at(-10),
    reports: [{ source: text, eventId: text, receivedAt: at(-10), duplicate: false, summary: text }],
    facts: {
      isPersonalDataBreach: true,
      awareAt: at(-9),
      known: {
        summary: text,
        systems: [text],
        dataCategories: ['ordinary'],
        physicalMedia: { lost: true, description: text },
        context: { adjustment: 1, reason: text },
      },
      impact: { dataLeaked: text, impactOnPeople: text, impactOnOrganisation: text, riskToPeople: 'high' },
      evaluation: {
        lessonsLearned: text,
        improvementActions: [{ description: text, owner: text, due: at(100), doneAt: at(50) }],
        approachStillCurrent: true,
      },
    },
    tasks: [
      task({
        status: 'done',
        completedBy: text,
        completedAt: at(-9),
        answer: { isPersonalDataBreach: true, reasoning: text, [text]: text },
        detail: text,
      }),
      task({ id: 'improvement-1', kind: 'improvement-action', assignee: text, detail: text, title: text }),
    ],
    decisions: [{ kind: 'notification', by: text, at: at(-3), summary: text, override: true }],
    deadlines: [{ kind: 'gdpr-authority', due: at(60), status: 'pending', regime: 'gdpr', basis: text, label: text }],
    notifications: [
      {
        to: 'authority',
        regime: 'gdpr',
        phase: 'initial',
        at: at(-1),
        recordedBy: text,
        late: true,
        reference: text,
        channel: text,
        reasonsForDelay: text,
      },
    ],
    timeline: [{ id: 'breach#1', at: at(-10), kind: text, text, actor: text }],
  });
  const page = (text: string) => ({
    lang: 'nl' as const,
    csrfToken: text,
    user: { email: text, name: text },
    now: NOW,
    url: `/breaches/${ID}?x=${text}`,
  });
  const email = (text: string) => ({
    message_id: text,
    breach_id: ID,
    purpose: text,
    recipient: text,
    subject: text,
    sent_at: at(-4),
  });

  /** The page's elements and attribute names, in order, with the values of quoted attributes left out. */
  const structure = (html: string) =>
    (html.match(/<\/?[a-zA-Z][^<>]*>/g) ?? []).map((tag) => tag.replace(/"[^"]*"/g, '""').replace(/'[^']*'/g, "''"));

  it('renderBreach with arbitrary text has exactly the elements and attributes it has with plain text (150 runs)', () => {
    const plain = structure(renderBreach(view('x'), page('x'), { emails: [email('x')], notice: 'x' }));
    expect(plain.length).toBeGreaterThan(50);
    fc.assert(
      fc.property(
        freeText.filter((t) => t.trim().length > 0),
        (text) => {
          const html = renderBreach(view(text), page(text), { emails: [email(text)], notice: text });
          expect(structure(html)).toEqual(plain);
          expect(html.match(/<script/gi)?.length ?? 0).toBe(plain.filter((t) => /^<script/i.test(t)).length);
          // HTML reads CR as a line break; every other control character is shown as U+FFFD.
          // eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
          expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/);
          expect(html).not.toMatch(LONE_SURROGATE);
          // No bidi control reaches the page: no summary can read reversed.
          expect(html).not.toMatch(BIDI);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the AP notification draft: what the FG pastes is what the case says', () => {
  const view = (text: string): CaseView => ({
    breachId: ID,
    phase: 'notification',
    outcome: 'breach',
    openedAt: at(-10),
    reports: [{ source: 'dlp', eventId: 'e', receivedAt: at(-10), duplicate: false, summary: text }],
    facts: {
      isPersonalDataBreach: true,
      awareAt: at(-9),
      known: {
        summary: text,
        systems: [text, 'mail'],
        dataCategories: ['ordinary'],
        approxPeople: 12,
        cause: 'attack',
      },
      impact: { dataLeaked: text, impactOnPeople: text, impactOnOrganisation: text, riskToPeople: 'high' },
      evaluation: {
        lessonsLearned: text,
        improvementActions: [{ description: text, owner: 'ict@test.example', due: at(100), doneAt: at(50) }],
        approachStillCurrent: true,
      },
    },
    tasks: [],
    decisions: [
      { kind: 'notification', by: 'fg@test.example', at: at(-3), summary: `data subjects: do not inform ${text}` },
    ],
    deadlines: [],
    notifications: [
      {
        to: 'authority',
        regime: 'gdpr',
        phase: 'initial',
        at: at(-1),
        recordedBy: 'fg@test.example',
        late: false,
        reference: text,
      },
      { to: 'data-subjects', at: at(-1), recordedBy: 'fg@test.example', late: false, channel: text },
    ],
    timeline: [],
  });
  const context = (text: string) => ({ organisation: text, contact: { name: text, email: 'fg@test.example' } });

  it('Markdown: the same lines and headings as with plain text, no raw HTML, no control characters (300 runs)', () => {
    const plain = renderApDraftMarkdown(view('x'), context('x')).split('\n');
    const shape = (lines: string[]) =>
      lines.map((line) =>
        line.startsWith('#')
          ? line.replace(/ .*/, ' #')
          : line.startsWith('- **')
            ? line.slice(0, line.indexOf(':**') + 3)
            : line === ''
              ? ''
              : 'text',
      );
    fc.assert(
      fc.property(freeText, (text) => {
        const markdown = renderApDraftMarkdown(view(text), context(text));
        const lines = markdown.split('\n');
        expect(shape(lines)).toEqual(shape(plain));
        expectPlainText(markdown, 'markdown');
        expect(markdown).not.toMatch(/\t/);
        // Every `<` that could open raw HTML or a scheme autolink is escaped; the FG's email stays an autolink.
        const opener = /(^|[^\\])<(?=[/!?]|[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|[A-Za-z][A-Za-z0-9+.-]*:)/m;
        expect(markdown).not.toMatch(opener);
        expect(markdown).toContain('<fg@test.example>');
        // No link or code span from the text: brackets and backticks are escaped in every value.
        for (const line of lines.filter((l) => l.startsWith('- **'))) {
          const value = line.slice(line.indexOf(':** ') + 4);
          if (value !== UNKNOWN_MARK) expect(value).not.toMatch(/(^|[^\\])(\\\\)*[[\]`]/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('JSON: every value without control characters (newlines kept) and nothing unknown made up (300 runs)', () => {
    fc.assert(
      fc.property(freeText, (text) => {
        const sections = apDraft(view(text), context(text));
        for (const field of sections.flatMap((s) => s.fields)) {
          if (field.value === null) continue;
          expect(field.value).not.toMatch(CONTROL_BUT_NEWLINE_TAB);
          expect(field.value).not.toMatch(/\t/);
          expect(field.value).not.toMatch(LONE_SURROGATE);
        }
        const summary = sections.find((s) => s.id === 'nature')!.fields.find((f) => f.label === 'Samenvatting')!;
        expect(summary.value).toBe(cleanText(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the letters export (lekdicht recipients export): no cell runs as a spreadsheet formula', () => {
  it('every text cell that starts like a formula gets an apostrophe; the rest is as written (300 runs)', () => {
    const formulaStart = fc.constantFrom(...FORMULA_STARTS, '=HYPERLINK("http://evil.example","x")', '@SUM(A1)', '');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(formulaStart, freeText, formulaStart, freeText), { minLength: 1, maxLength: 5 }),
        (people) => {
          const records = people.map(([a, name, b, address], i) => ({
            seq: i + 1,
            name: a + name,
            email: 'a@example.org',
            address: b + address,
            language: 'nl',
            status: 'to-print',
            sent_at: '',
            error: '',
            subject: 'Datalek',
            letter: `Beste ${a}${name},\n`,
          }));
          const rows = parseCsv(recipientsExportCsv(records), { columns: true }) as Record<string, string>[];
          expect(rows).toHaveLength(records.length);
          rows.forEach((row, i) => {
            for (const column of ['name', 'address', 'letter'] as const) {
              const original = Buffer.from(String(records[i]![column])).toString('utf8').replace(BIDI_ALL, '');
              expect(row[column]).not.toMatch(RUNS_AS_FORMULA);
              expect(row[column]).not.toMatch(BIDI);
              expect(row[column]).toBe(RUNS_AS_FORMULA.test(original) ? `'${original}` : original);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the register export (lekdicht register export, /register.csv): no cell runs as a spreadsheet formula', () => {
  /** Text from people or other systems: the signal's source, the facts, the authority's reference. */
  const FREE_TEXT = [
    'source',
    'authority_reference',
    'facts_summary',
    'effects',
    'remedial_action',
    'aftercare_contact',
    'lessons_learned',
  ] as const;
  /** What lekdicht writes itself: ids, phases and outcomes, ISO dates, the 0/1 of a late notification. */
  const OWN = [
    'breach_id',
    'opened_at',
    'phase',
    'outcome',
    'aware_at',
    'notification_deadline',
    'notification_late',
    'authority_notified_at',
    'data_subjects_notified_at',
    'closed_at',
    'updated_at',
    'ended_outside_at',
    'ended_outside_status',
    'ended_outside_run',
    'ended_outside_cause',
    // The lasting record's codes, numbers and instants (domain/lasting-record.ts).
    'severity_score',
    'severity_band',
    'breach_type',
    'breach_started_at',
    'breach_ended_at',
    'cause',
    'data_categories',
    'subject_kinds',
    'vulnerable_subjects',
    'approx_people',
    'approx_records',
    'cross_border',
    'severity_dpc',
    'severity_ei',
    'severity_cb',
    'risk_to_people',
    'notify_authority',
    'notify_data_subjects',
    'contained_at',
  ] as const;
  /** Derived by lekdicht from the row: open, ended-outside or closed. */
  const DERIVED = ['status'] as const;
  const row = (overrides: Partial<BreachRecordRow> = {}): BreachRecordRow => ({
    breach_id: ID,
    source: 'dlp',
    opened_at: at(-30),
    phase: 'notification',
    outcome: 'breach',
    aware_at: at(-28),
    notification_deadline: at(44),
    notification_late: 0,
    authority_notified_at: at(-2),
    authority_reference: 'AP-2026-1',
    data_subjects_notified_at: null,
    facts_summary: 'Laptop met klantgegevens gestolen',
    effects: 'Mogelijk misbruik van adressen',
    remedial_action: 'Laptop op afstand gewist',
    closed_at: null,
    updated_at: at(0),
    ...overrides,
  });
  const parseRegister = (csv: string) => parseCsv(csv, { columns: true }) as Record<string, string>[];

  it('classifies every column as free text or written by lekdicht', () => {
    expect([...FREE_TEXT, ...OWN, ...DERIVED].sort()).toEqual([...REGISTER_CSV_COLUMNS].sort());
  });

  it('every free-text cell that starts like a formula gets an apostrophe; the rest is as written (200 runs)', () => {
    const formulaStart = fc.constantFrom(
      ...FORMULA_STARTS,
      '=HYPERLINK("http://evil.example","x")',
      "=cmd|' /C calc'!A0",
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      '',
    );
    const hostile = fc.tuple(formulaStart, freeText).map(([start, text]) => start + text);
    const hostileRow = fc.record(
      Object.fromEntries(FREE_TEXT.map((c) => [c, hostile])) as Record<
        (typeof FREE_TEXT)[number],
        fc.Arbitrary<string>
      >,
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(hostileRow, fc.constantFrom(0, 1)), { minLength: 1, maxLength: 4 }), (texts) => {
        const rows = texts.map(([text, late]) => row({ ...text, notification_late: late }));
        const parsed = parseRegister(registerCsv(rows));
        expect(parsed).toHaveLength(rows.length);
        parsed.forEach((cells, i) => {
          for (const column of REGISTER_CSV_COLUMNS) {
            expect(cells[column], column).not.toMatch(RUNS_AS_FORMULA);
            expect(cells[column], column).not.toMatch(BIDI);
          }
          for (const column of FREE_TEXT) {
            // Kept as written, less bidi controls; an apostrophe in front exactly when it would run as a formula.
            const original = Buffer.from(String(rows[i]![column])).toString('utf8').replace(BIDI_ALL, '');
            expect(cells[column], column).toBe(RUNS_AS_FORMULA.test(original) ? `'${original}` : original);
          }
          for (const column of OWN) expect(cells[column], column).toBe(String(rows[i]![column] ?? ''));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('ordinary text, dates and numbers stay readable; a leading "-" in free text is neutralised like any formula start', () => {
    const [cells] = parseRegister(
      registerCsv([
        row({
          authority_reference: '-123',
          effects: 'Adressen van 40 mensen; -5 °C in het archief',
          remedial_action: "'al met apostrof",
          notification_late: 1,
        }),
      ]),
    );
    expect(cells).toMatchObject({
      breach_id: ID,
      source: 'dlp',
      opened_at: at(-30),
      notification_deadline: at(44),
      notification_late: '1',
      authority_reference: "'-123",
      facts_summary: 'Laptop met klantgegevens gestolen',
      effects: 'Adressen van 40 mensen; -5 °C in het archief',
      remedial_action: "'al met apostrof",
      data_subjects_notified_at: '',
    });
    expect(neutraliseFormula('=1+1')).toBe("'=1+1");
    expect(neutraliseFormula('2026-11-28T10:00:00.000Z')).toBe('2026-11-28T10:00:00.000Z');
  });

  it('the smuggled formulas of issue 11: whitespace or a line break first, full-width signs, bidi controls around them', () => {
    const attacks = [
      ' =HYPERLINK("http://evil.example","klik")',
      '\n=1+1',
      '\r\n@SUM(A1)',
      '\t=cmd',
      ' \t+1',
      '\u3000-1+1',
      '\uFF1DHYPERLINK("http://evil.example")',
      '\uFF0B1',
      '\uFF0D1',
      '\uFF20SUM(A1)',
      '\u202e=1+1',
      '\u2066 =1\u2069',
    ];
    const [cells] = parseRegister(
      registerCsv([
        row({
          facts_summary: attacks.join(''),
          effects: attacks[0]!,
          remedial_action: attacks[6]!,
          authority_reference: attacks[10]!,
          source: attacks[1]!,
          aftercare_contact: attacks[3]!,
          lessons_learned: attacks[8]!,
        }),
      ]),
    );
    for (const column of FREE_TEXT) {
      expect(cells![column]!.startsWith("'"), column).toBe(true);
      expect(cells![column], column).not.toMatch(BIDI);
    }
    for (const attack of attacks) expect(neutraliseFormula(attack)).toBe(`'${attack.replace(BIDI_ALL, '')}`);
    // A bidi override cannot make a harmless-looking cell read another way.
    expect(neutraliseFormula('factuur_\u202Efdp.exe')).toBe('factuur_fdp.exe');
  });

  it('removing a control never joins two lone surrogates into a character that was not in the text', () => {
    // Found by the property above (seed-dependent): U+D800, a bidi override, U+DC00 became U+10000 once the override went.
    expect(neutraliseFormula('=\uD800\u202E\uDC00')).toBe("'=\uFFFD\uFFFD");
    expect(cleanText('\uD800\u0000\uDC00')).toBe('\uFFFD\uFFFD');
    expect(cleanText('\uD800\u2066\uDC00')).toBe('\uFFFD\uFFFD');
    expect(escapeHtml('\uD800\u202E\uDC00')).toBe('\uFFFD\uFFFD');
  });
});

describe('bidirectional controls: removed from pages, emails, letters and CSV (domain/bidi.ts)', () => {
  const controls = [
    '\u202A',
    '\u202B',
    '\u202C',
    '\u202D',
    '\u202E',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
    '\u200E',
    '\u200F',
    '\u061C',
  ];
  const withControls = fc
    .tuple(freeText, fc.array(fc.constantFrom(...controls), { minLength: 1, maxLength: 6 }), freeText)
    .map(([a, bidi, b]) => `${a}${bidi.join('')}${b}`);

  it('no email subject or body, letter, page or CSV cell keeps one, and the rest of the text is kept (300 runs)', () => {
    fc.assert(
      fc.property(withControls, (text) => {
        const mail = renderNotice(
          ID,
          { kind: 'task-assigned', taskId: 'improvement-1', taskKind: 'improvement-action', due: at(24), detail: text },
          'nl',
          text,
        );
        expect(mail.subject).not.toMatch(BIDI);
        expect(mail.text).not.toMatch(BIDI);
        expect(cleanText(text)).not.toMatch(BIDI);
        expect(escapeHtml(text)).not.toMatch(BIDI);
        expect(neutraliseFormula(text)).not.toMatch(BIDI);
        // Only the controls go: the letters around them stay (what is left is the text without them).
        expect(escapeHtml('a\u202Eb\u2066c\u200Fd\u061Ce')).toBe('abcde');
      }),
      { numRuns: 300 },
    );
  });

  it('the Trojan-Source line of the issue reads on the page, in the email and in the letter as it is stored', () => {
    const spoof = 'Oorzaak: bijlage factuur_\u202Efdp.exe geopend door \u2067Jan\u2069';
    expect(escapeHtml(spoof)).toBe('Oorzaak: bijlage factuur_fdp.exe geopend door Jan');
    expect(
      renderNotice(
        ID,
        { kind: 'task-assigned', taskId: 'improvement-1', taskKind: 'improvement-action', due: at(24), detail: spoof },
        'nl',
        'Org',
      ).text,
    ).toContain('factuur_fdp.exe geopend door Jan');
    expect(cleanLine(spoof)).toBe('Oorzaak: bijlage factuur_fdp.exe geopend door Jan');
  });
});
