import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerSchemas, TASK_KINDS, type Task, type TaskKind } from '../../../domain/tasks';
import { parseTaskForm, renderTaskForm, type TaskFormErrors } from '../../../client/web';
import type { Language } from '../../../domain/language';

/** The task forms are generated from the answer schemas and parsed back: every kind, valid and invalid. */

const task = (kind: TaskKind, extra: Partial<Task> = {}): Task => ({
  id: kind === 'containment' ? 'containment-1' : kind,
  kind,
  role: 'fg',
  title: '',
  playbook: 'breach',
  workflowId: 'breach-0123456789abcdef0123',
  createdAt: '2026-11-28T08:00:00Z',
  due: '2026-11-28T12:00:00Z',
  status: 'open',
  overdue: false,
  ...extra,
});

const page = (lang: Language = 'nl') => ({
  lang,
  csrfToken: 'csrf-token-1',
  user: { email: 'fg@voorbeeld.nl' },
  now: Date.parse('2026-11-28T10:00:00Z'),
});

function renderForm(kind: TaskKind, values?: unknown, errors?: TaskFormErrors, lang: Language = 'nl'): string {
  return renderTaskForm(
    task(kind),
    { breachId: 'breach-0123456789abcdef0123', values, ...(errors ? { errors } : {}) },
    page(lang),
  );
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');

function attributes(tag: string): Record<string, string | true> {
  const attrs: Record<string, string | true> = {};
  for (const m of tag.matchAll(/([a-zA-Z][\w-]*)(?:="([^"]*)")?/g))
    attrs[m[1]!] = m[2] === undefined ? true : unescape(m[2]);
  return attrs;
}

/**
 * What a browser submits for the task form as rendered: hidden and text-like inputs, checked radios and
 * checkboxes, textareas (without the newline the parser eats, with CRLF line ends) and selected options.
 * Good enough for our own regular markup; the browser test checks the same with a real browser's FormData.
 */
function submittedBody(pageHtml: string): URLSearchParams {
  const form = /<form class="task"[\s\S]*?<\/form>/.exec(pageHtml)?.[0] ?? '';
  const body = new URLSearchParams();
  const controls = /<input\b([^>]*)>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea>|<select\b([^>]*)>([\s\S]*?)<\/select>/g;
  for (const m of form.matchAll(controls)) {
    if (m[1] !== undefined) {
      const a = attributes(m[1]);
      if (typeof a.name !== 'string') continue;
      if ((a.type === 'radio' || a.type === 'checkbox') && !a.checked) continue;
      body.append(a.name, typeof a.value === 'string' ? a.value : a.type === 'checkbox' ? 'on' : '');
    } else if (m[2] !== undefined) {
      const a = attributes(m[2]);
      body.append(a.name as string, unescape(m[3]!.replace(/^\n/, '')).replace(/\n/g, '\r\n'));
    } else {
      const a = attributes(m[4]!);
      const options = [...m[5]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(o[1]!));
      const chosen = options.find((o) => o.selected) ?? options[0];
      body.append(a.name as string, typeof chosen?.value === 'string' ? chosen.value : '');
    }
  }
  return body;
}

/** Offsets are normalised: the form reads Amsterdam time and answers in UTC, the same instant. */
function utcInstants(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    return new Date(value).toISOString();
  }
  if (Array.isArray(value)) return value.map(utcInstants);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, utcInstants(v)]));
  return value;
}

const examples = readdirSync('examples/answers')
  .filter((file) => file.endsWith('.json'))
  .map((file) => {
    const name = file.replace(/\.json$/, '');
    const kind = (TASK_KINDS as string[]).includes(name)
      ? (name as TaskKind)
      : (TASK_KINDS.find((k) => name.startsWith(`${k}-`)) as TaskKind);
    return { file, kind, example: JSON.parse(readFileSync(`examples/answers/${file}`, 'utf8')) as unknown };
  });

describe('task forms: generated from the answer schema, parsed back to the same answer', () => {
  it('has a valid example for every task kind', () => {
    expect(new Set(examples.map((e) => e.kind))).toEqual(new Set(TASK_KINDS));
  });

  for (const { file, kind, example } of examples) {
    it(`round-trips ${file} (${kind}): render with the answer, submit what the form holds, parse`, () => {
      const expected = answerSchemas[kind].parse(example);
      const html = renderForm(kind, expected);
      const body = submittedBody(html);
      expect(body.get('_csrf')).toBe('csrf-token-1');
      const parsed = parseTaskForm(kind, body);
      if (!parsed.ok) throw new Error(`refused: ${JSON.stringify(parsed.errors)}`);
      expect(utcInstants(parsed.answer)).toEqual(utcInstants(expected));
    });
  }

  it("accepts the body as a string and as @fastify/formbody's object, and ignores page fields", () => {
    const answer = {
      isPersonalDataBreach: 'true',
      awareAt: '2026-11-28T09:30',
      reasoning: 'Spreadsheet mailed to the wrong person',
      _csrf: 'x',
      _intent: '',
    };
    const fromObject = parseTaskForm('triage', answer);
    const fromString = parseTaskForm('triage', new URLSearchParams(answer).toString());
    const expected = {
      isPersonalDataBreach: true,
      awareAt: '2026-11-28T08:30:00Z',
      reasoning: 'Spreadsheet mailed to the wrong person',
    };
    expect(fromObject).toEqual({ ok: true, answer: expected });
    expect(fromString).toEqual({ ok: true, answer: expected });
  });

  it('reads datetime-local values as Amsterdam time, across summer time', () => {
    const at = (local: string) => {
      const r = parseTaskForm('authority-notification', { notifiedAt: local, reference: 'AP-1' });
      return r.ok ? r.answer.notifiedAt : r.errors;
    };
    expect(at('2026-01-15T10:00')).toBe('2026-01-15T09:00:00Z');
    expect(at('2026-07-15T10:00')).toBe('2026-07-15T08:00:00Z');
    expect(at('2026-10-25T02:30')).toBe('2026-10-25T00:30:00Z'); // the repeated hour: its first occurrence
    expect(at('2026-03-29T02:30')).toBe('2026-03-29T01:00:00Z'); // the skipped hour: when the clock jumps
    expect(at('2026-11-28T09:30:00+01:00')).toBe('2026-11-28T09:30:00+01:00'); // an instant with offset passes as is
  });

  it('drops blank rows and offers a new one; "add row" re-renders without validating', () => {
    const body = {
      lessonsLearned: 'Autocomplete suggested an external address.',
      'improvementActions.0.description': 'Turn off external autocomplete',
      'improvementActions.0.owner': 'ict@voorbeeld.nl',
      'improvementActions.0.due': '2027-01-15T17:00',
      'improvementActions.1.description': '',
      'improvementActions.1.owner': '',
      'improvementActions.1.due': '',
      approachStillCurrent: 'true',
    };
    const parsed = parseTaskForm('evaluation', body);
    expect(parsed.ok && parsed.answer.improvementActions).toEqual([
      { description: 'Turn off external autocomplete', owner: 'ict@voorbeeld.nl', due: '2027-01-15T16:00:00Z' },
    ]);
    const adding = parseTaskForm('evaluation', { ...body, _intent: 'add-row' });
    expect(adding).toMatchObject({ ok: false, intent: 'add-row', errors: {} });
    const html = renderForm('evaluation', adding.ok ? undefined : adding.values);
    expect(html).toContain('name="improvementActions.0.description"');
    expect(html).toContain('name="improvementActions.1.description"');
    expect(html).not.toContain('name="improvementActions.2.description"');
    expect(html).not.toContain('id="error-summary"');
  });

  it('renders each field type as its control: textarea, radios, select, checklist, datetime, number, one checkbox', () => {
    const firstPicture = renderForm('first-picture');
    expect(firstPicture).toMatch(/<textarea rows="5" id="f-summary" name="summary"/);
    expect(firstPicture).toMatch(/<input type="radio" id="f-stillLeaking" name="stillLeaking" value="true"/);
    expect(firstPicture).toMatch(/<select id="f-cause" name="cause"/);
    expect(firstPicture).toMatch(/<input type="checkbox" id="f-dataCategories" name="dataCategories" value="ordinary"/);
    expect(firstPicture).toMatch(
      /<input type="text" class="narrow" inputmode="numeric" autocomplete="off" id="f-approxPeople"/,
    );
    expect(firstPicture).toMatch(
      /<fieldset class="group"[^>]*>\s*<legend>Beveiliging van de gegevens <span class="optional">\(optioneel\)<\/span><\/legend>/,
    );
    expect(renderForm('triage')).toMatch(
      /<input type="text" class="datetime" autocomplete="off" placeholder="dd-mm-jjjj uu:mm" id="f-awareAt" name="awareAt"/,
    );
    expect(renderForm('improvement-action')).toMatch(/<input type="checkbox" id="f-done" name="done" value="true"/);
    const containment = renderForm('containment');
    for (const measure of ['secure-evidence', 'controlled-shutdown', 'agree-with-ict']) {
      expect(containment).toContain(`name="measures.${measure}.status" value="not-applicable"`);
      expect(containment).toContain(`name="measures.${measure}.note"`);
    }
    // A default is preselected; the choice can still be changed.
    expect(renderForm('notification-decision')).toMatch(/name="dataSubjectsBy" value="own-channel" checked/);
    expect(renderForm('triage', undefined, undefined, 'en')).toContain('Is this a personal-data breach?');
  });

  it('shows a task that is done read-only, without a form', () => {
    const html = renderTaskForm(
      task('impact', {
        status: 'done',
        completedBy: 'po@voorbeeld.nl',
        answer: JSON.parse(readFileSync('examples/answers/impact.json', 'utf8')),
      }),
      { breachId: 'breach-0123456789abcdef0123' },
      page(),
    );
    expect(html).not.toContain('<form class="task"');
    expect(html).toContain('Deze taak is al afgerond.');
    expect(html).toContain('Hoog risico');
  });
});

/** Checks that the message is next to the field: linked from the summary, described-by, aria-invalid. */
function expectErrorAt(html: string, path: string, message: string | RegExp) {
  const id = `f-${path.replace(/\./g, '__')}`;
  const errorEl = new RegExp(
    `<p class="error-message" id="${id}-error"><span class="visually-hidden">[^<]*</span>([^<]*)</p>`,
  ).exec(html);
  expect(errorEl, `error element for ${path}`).not.toBeNull();
  expect(unescape(errorEl![1]!)).toMatch(message);
  // The control itself, or its fieldset for radios and checklists, points at the message.
  const describing = new RegExp(`aria-describedby="[^"]*\\b${id}-error\\b[^"]*"`);
  expect(html).toMatch(describing);
  expect(html).toMatch(
    new RegExp(
      `id="${id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${id}"|<fieldset class="(field|group) field-error"[^>]*${id}-error`,
    ),
  );
  // The summary at the top links to the field, and the link target exists.
  const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  expect(summary).toContain(`href="#${id}`);
  const target = new RegExp(`href="#(${id}[^"]*)"`).exec(summary)![1]!;
  expect(html).toContain(`id="${target}"`);
  expect(html.indexOf('id="error-summary"')).toBeLessThan(html.indexOf('<form class="task"'));
}

function refused(
  kind: TaskKind,
  body: Record<string, string | string[]>,
  lang: Language = 'nl',
): { html: string; errors: TaskFormErrors } {
  const parsed = parseTaskForm(kind, body, lang);
  if (parsed.ok) throw new Error('expected the answer to be refused');
  return { html: renderForm(kind, parsed.values, parsed.errors, lang), errors: parsed.errors };
}

describe('task forms: an invalid answer shows its error next to the right field', () => {
  it('triage: a breach without an awareness time', () => {
    const { html, errors } = refused('triage', {
      isPersonalDataBreach: 'true',
      reasoning: 'Mailed to the wrong person',
    });
    expect(Object.keys(errors)).toEqual(['awareAt']);
    expectErrorAt(html, 'awareAt', /sinds wanneer is de organisatie op de hoogte/);
    expect(html).toContain('<title>Fout: ');
    // What was entered stays.
    expect(html).toMatch(/name="isPersonalDataBreach" value="true" checked/);
    expect(html).toContain('Mailed to the wrong person</textarea>');
  });

  it('containment: evidence still pending while other measures are done, and a "not applicable" without a note', () => {
    const body: Record<string, string> = { stillLeaking: 'false' };
    for (const m of [
      'secure-evidence',
      'controlled-shutdown',
      'disconnect-network',
      'adjust-firewall',
      'block-accounts',
      'change-passwords',
      'agree-with-ict',
    ]) {
      body[`measures.${m}.status`] = 'done';
    }
    body['measures.secure-evidence.status'] = 'pending';
    body['measures.adjust-firewall.status'] = 'not-applicable';
    const { html, errors } = refused('containment', body);
    expect(Object.keys(errors).sort()).toEqual(['measures.adjust-firewall.note', 'measures.secure-evidence.status']);
    expectErrorAt(html, 'measures.secure-evidence.status', /Stel eerst het bewijs veilig/);
    expectErrorAt(html, 'measures.adjust-firewall.note', /zeg waarom/);
    // The summary says which measure, not only "Status".
    expect(html).toContain('>Bewijs veiligstellen (eerst) › Status: Stel eerst het bewijs veilig');
  });

  it('evaluation: a bad owner in the first improvement action', () => {
    const { html } = refused('evaluation', {
      lessonsLearned: 'x',
      'improvementActions.0.description': 'Do it',
      'improvementActions.0.owner': 'not an email',
      'improvementActions.0.due': '2027-01-15T17:00',
      approachStillCurrent: 'false',
    });
    expectErrorAt(html, 'improvementActions.0.owner', 'Vul een geldig e-mailadres in.');
    expect(html).toContain('>Verbeteractie 1 › Eigenaar (e-mailadres): Vul een geldig e-mailadres in.</a>');
    expect(html).toContain('value="not an email"');
  });

  it('numbers: text, a fraction and a value below the minimum', () => {
    expectErrorAt(
      refused('data-subject-notification', {
        notifiedAt: '2026-11-29T16:00',
        channel: 'letter',
        approxRecipients: 'veel',
      }).html,
      'approxRecipients',
      'Vul een geheel getal in.',
    );
    expectErrorAt(
      refused('aftercare-follow-up', { questionsReceived: '-2', harmReported: 'false', furtherActionNeeded: 'false' })
        .html,
      'questionsReceived',
      'Moet minstens 0 zijn.',
    );
    expectErrorAt(refused('recipient-list', { uploaded: '0' }).html, 'uploaded', /lever eerst de lijst aan/);
    expectErrorAt(refused('recipient-list', { uploaded: '0' }, 'en').html, 'uploaded', /upload the list first/);
  });

  it('checklists, a box to tick, a date-time and a too-long text', () => {
    const firstPicture = refused('first-picture', {
      approxPeople: '3',
      cause: 'attack',
      stillLeaking: 'false',
      summary: 'Ransomware',
    });
    expectErrorAt(firstPicture.html, 'dataCategories', 'Kies minstens één soort gegevens.');
    expectErrorAt(refused('improvement-action', { note: 'Done' }).html, 'done', /Vink dit aan/);
    expectErrorAt(
      refused('authority-notification', { notifiedAt: 'gisteren', reference: 'AP-1' }).html,
      'notifiedAt',
      'Vul een datum en tijd in als dd-mm-jjjj uu:mm, bijvoorbeeld 28-11-2026 09:30.',
    );
    expectErrorAt(
      refused('authority-notification', { notifiedAt: '2026-11-29T10:00', reference: 'x'.repeat(101) }).html,
      'reference',
      'Gebruik hoogstens 100 tekens.',
    );
    expectErrorAt(
      refused('first-picture', {
        dataCategories: ['ordinary'],
        approxPeople: '3',
        cause: 'attack',
        stillLeaking: 'false',
        summary: 'x',
        'protection.encrypted': 'false',
        'protection.keySafe': 'true',
      }).html,
      'protection.keySafe',
      /Geldt alleen als/,
    );
  });

  it('an empty submission names every required field of every kind, each linked from the summary', () => {
    for (const kind of TASK_KINDS) {
      const parsed = parseTaskForm(kind, { _csrf: 'x' });
      expect(parsed.ok, kind).toBe(false);
      if (parsed.ok) continue;
      const html = renderForm(kind, parsed.values, parsed.errors);
      for (const path of Object.keys(parsed.errors)) {
        expect(path, `${kind}: an error about the whole answer`).not.toBe('');
        expectErrorAt(html, path, /\S/);
      }
    }
  });

  it('speaks English on an English page', () => {
    const { html } = refused('triage', { isPersonalDataBreach: 'true', reasoning: '' }, 'en');
    expectErrorAt(html, 'reasoning', 'This field is required.');
    expectErrorAt(html, 'awareAt', /Is required for a personal-data breach/);
    expect(html).toContain('<h2 id="error-summary-title">There is a problem</h2>');
    expect(html).toContain('action="/breaches/breach-0123456789abcdef0123/tasks/triage?lang=en"');
  });
});
