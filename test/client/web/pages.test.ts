import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import type { CaseView, Deadline } from '../../../domain/case';
import { directorySchema } from '../../../domain/roles';
import type { Task, TaskKind } from '../../../domain/tasks';
import {
  dashboardRows,
  escapeHtml,
  parseTaskForm,
  parseRegisterPage,
  registerCsvHref,
  renderBreach,
  renderDashboard,
  renderLayout,
  renderMyTasks,
  renderRegister,
  renderTaskForm,
  SafeHtml,
} from '../../../client/web';
import type { DashboardItem } from '../../../domain/case';
import { openTasksFor } from '../../../domain/my-tasks';
import { filterRegister, parseRegisterFilter, type RegisterRow } from '../../../domain/register';
import { directory as testDirectory, FG, ICT } from '../../support/people';
import { registerCsv } from '../../../register/export';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-28T10:00:00Z');
const at = (hoursFromNow: number) => new Date(NOW + hoursFromNow * HOUR).toISOString();
const ID = 'breach-0123456789abcdef0123';

function makeTask(kind: TaskKind, extra: Partial<Task> = {}): Task {
  return {
    id: kind,
    kind,
    role: 'fg',
    title: kind,
    playbook: 'breach',
    workflowId: ID,
    createdAt: at(-2),
    due: at(2),
    status: 'open',
    overdue: false,
    ...extra,
  };
}

function gdpr(dueInHours: number, extra: Partial<Deadline> = {}): Deadline {
  return {
    kind: 'gdpr-authority',
    due: at(dueInHours),
    status: 'pending',
    regime: 'gdpr',
    basis: 'GDPR art. 33(1)',
    ...extra,
  };
}

function makeView(extra: Partial<CaseView> = {}): CaseView {
  return {
    breachId: ID,
    phase: 'containment',
    outcome: 'breach',
    openedAt: at(-10),
    reports: [
      {
        source: 'dlp',
        eventId: 'evt-1',
        receivedAt: at(-10),
        duplicate: false,
        summary: 'Spreadsheet mailed to an external address',
      },
    ],
    facts: { isPersonalDataBreach: true, awareAt: at(-9) },
    tasks: [
      makeTask('triage', {
        status: 'done',
        completedBy: FG,
        completedAt: at(-9),
        answer: { isPersonalDataBreach: true, awareAt: at(-9), reasoning: 'Mailed' },
      }),
      makeTask('containment', { id: 'containment-1', role: 'ict' }),
    ],
    decisions: [],
    deadlines: [gdpr(63)],
    notifications: [],
    timeline: [{ id: 'breach#1', at: at(-10), kind: 'signal-received', text: 'Signal received from dlp' }],
    ...extra,
  };
}

const page = { lang: 'nl' as const, csrfToken: 'tok', user: { email: FG, name: 'Fiona FG' }, now: NOW };

describe('the dashboard: open breaches by time left, coloured and labelled by urgency', () => {
  const items: DashboardItem[] = [
    { view: makeView({ breachId: 'breach-ok', deadlines: [gdpr(40)] }) },
    { view: makeView({ breachId: 'breach-soon', deadlines: [gdpr(20)] }) },
    { view: makeView({ breachId: 'breach-late', deadlines: [gdpr(-3, { status: 'late' })] }) },
    { view: makeView({ breachId: 'breach-critical', deadlines: [gdpr(11.9)] }) },
    { view: makeView({ breachId: 'breach-triage', phase: 'triage', deadlines: [], openedAt: at(-1), facts: {} }) },
    { view: makeView({ breachId: 'breach-closed', phase: 'closed', closedAt: at(-1), deadlines: [gdpr(-30)] }) },
    // The next deadline is the earliest open one; a met deadline no longer counts.
    {
      view: makeView({
        breachId: 'breach-nis2',
        deadlines: [
          gdpr(-1, { status: 'met', metAt: at(-2) }),
          { kind: 'nis2-final-report', due: at(30), status: 'pending' },
          { kind: 'nis2-notification', due: at(5), status: 'pending' },
        ],
      }),
    },
    {
      summary: {
        breachId: 'breach-listed-only',
        status: 'RUNNING',
        phase: 'impact',
        notificationDeadline: at(-0.5),
        startedAt: at(-80),
      },
    },
    { summary: { breachId: 'breach-listed-done', status: 'COMPLETED', phase: 'closed', startedAt: at(-80) } },
  ];

  it('sorts by time left, most overdue first, breaches without a deadline last; closed ones are left out', () => {
    expect(dashboardRows(items, NOW).map((r) => [r.breachId, r.urgency])).toEqual([
      ['breach-late', 'late'],
      ['breach-listed-only', 'late'],
      ['breach-nis2', 'critical'],
      ['breach-critical', 'critical'],
      ['breach-soon', 'soon'],
      ['breach-ok', 'ok'],
      ['breach-triage', 'none'],
    ]);
  });

  it('marks a deadline late when the workflow says so, even if this clock disagrees', () => {
    const [row] = dashboardRows([{ view: makeView({ deadlines: [gdpr(1, { status: 'late' })] }) }], NOW);
    expect(row!.urgency).toBe('late');
  });

  it('renders the rows in that order with urgency classes, words beside the colour, and the time left without script', () => {
    const html = renderDashboard(items, page);
    const order = [...html.matchAll(/<tr class="urgency-(\w+)" data-urgency="\w+" data-breach="([^"]+)">/g)].map(
      (m) => [m[2], m[1]],
    );
    expect(order.map(([id]) => id)).toEqual([
      'breach-late',
      'breach-listed-only',
      'breach-nis2',
      'breach-critical',
      'breach-soon',
      'breach-ok',
      'breach-triage',
    ]);
    expect(order[0]![1]).toBe('late');
    const lateRow = html.slice(
      html.indexOf('data-breach="breach-late"'),
      html.indexOf('data-breach="breach-listed-only"'),
    );
    expect(lateRow).toContain('<span class="badge" data-urgency-label>Te laat</span>');
    expect(lateRow).toMatch(
      /<time class="countdown" data-due="2026-11-28T07:00:00.000Z" datetime="P0DT3H0M0S">te laat sinds 03 u 00 m 00 s<\/time>/,
    );
    const criticalRow = html.slice(
      html.indexOf('data-breach="breach-critical"'),
      html.indexOf('data-breach="breach-soon"'),
    );
    expect(criticalRow).toContain('Minder dan 12 uur');
    expect(criticalRow).toMatch(/>11 u 54 m 00 s<\/time>/);
    expect(html).toMatch(/data-breach="breach-ok"[\s\S]*?>1 d 16 u 00 m 00 s</);
    expect(html).toContain('NIS2 incidentmelding');
    expect(html).toContain('Nog geen termijn');
    expect(html).not.toContain('breach-closed');
    // The due instant in Amsterdam time, machine-readable in UTC.
    expect(html).toContain('<time datetime="2026-11-28T21:54:00.000Z">za 28 nov 2026, 22:54 CET</time>');
    expect(html).toContain('aria-current="page"');
  });

  it('speaks English with lang=en, and keeps the language in its links', () => {
    const html = renderDashboard(items, { ...page, lang: 'en' });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('late by 03 h 00 m 00 s');
    expect(html).toContain(`href="/breaches/breach-ok?lang=en"`);
    expect(html).toMatch(/<a href="\/\?lang=en"[^>]*>Dashboard<\/a>/);
  });

  it('says so when nothing is open', () => {
    expect(renderDashboard([], page)).toContain('Er zijn geen open datalekken.');
  });
});

describe('the breach page', () => {
  it('shows timeline, facts, tasks, decisions, deadlines, emails and notifications', () => {
    const view = makeView({
      phase: 'notification',
      facts: {
        isPersonalDataBreach: true,
        awareAt: at(-9),
        known: JSON.parse(readFileSync('examples/answers/first-picture.json', 'utf8')),
        containment: {
          rounds: 1,
          measures: JSON.parse(readFileSync('examples/answers/containment.json', 'utf8')).measures,
          containedAt: at(-5),
        },
        dataSubjects: { total: 120, sent: 100, failed: 2, toPrint: 18 },
      },
      decisions: [
        {
          kind: 'notification',
          by: FG,
          at: at(-3),
          summary: 'Notify the AP and inform the people affected',
          override: true,
        },
      ],
      notifications: [
        {
          to: 'authority',
          regime: 'gdpr',
          phase: 'initial',
          at: at(-1),
          recordedBy: FG,
          late: false,
          reference: 'AP-2026-12345',
        },
      ],
      duplicates: [{ source: 'dlp', count: 10_000, firstAt: at(-8), lastAt: at(-2) }],
    });
    const html = renderBreach(view, page, {
      emails: [
        {
          message_id: 'm1',
          breach_id: ID,
          purpose: 'task-assigned',
          recipient: ICT,
          subject: `[${ID}] Nieuwe taak`,
          sent_at: at(-4),
        },
      ],
    });
    for (const heading of [
      'Overzicht',
      'Termijnen',
      'Taken',
      'Feiten',
      'Besluiten',
      'Meldingen',
      'Verzonden e-mails',
      'Tijdlijn',
    ]) {
      expect(html).toContain(`>${heading}</h2>`);
    }
    expect(html).toContain('Verkeerde ontvanger'); // the cause, by its label
    expect(html).toContain('Bewijs veiligstellen (eerst)');
    expect(html).toContain('AP-2026-12345');
    expect(html).toContain('Wijkt af van het advies');
    expect(html).toContain(ICT);
    expect(html).toContain('100 van 120 verzonden');
    expect(html).toContain('<span lang="en">Signal received from dlp</span>');
    expect(html).toContain(`href="/breaches/${ID}/tasks/containment-1"`);
    expect(html).toContain('<details><summary>Antwoord</summary>');
    // A flood of duplicate reports is one line with its count, not 10,000 rows.
    expect(html).toContain('10.000 dubbele meldingen van dlp');
  });
});

describe('my tasks', () => {
  const directory = directorySchema.parse(testDirectory);
  it('lists the open tasks of my roles, the ones I deputise for, and those assigned to me, earliest first', () => {
    const views = [
      makeView({
        tasks: [
          makeTask('containment', { id: 'containment-1', role: 'ict', due: at(5) }),
          makeTask('notification-decision', { role: 'fg', due: at(3) }),
          makeTask('improvement-action', {
            id: 'improvement-1',
            role: 'fg',
            assignee: ICT,
            due: at(1),
            overdue: false,
          }),
          makeTask('triage', { status: 'done' }),
        ],
      }),
    ];
    expect(openTasksFor(views, directory, ICT).map((i) => i.task.id)).toEqual(['improvement-1', 'containment-1']);
    const html = renderMyTasks(openTasksFor(views, directory, ICT), page);
    expect(html).toContain('Beperk het incident (stel eerst bewijs veilig)');
    expect(html).toContain(`href="/breaches/${ID}/tasks/containment-1"`);
    expect(renderMyTasks([], page)).toContain('U heeft geen open taken.');
  });
});

describe('the register', () => {
  const row = (id: string, extra: Partial<RegisterRow>): RegisterRow => ({
    breach_id: id,
    source: 'dlp',
    opened_at: '2026-11-10T09:00:00Z',
    phase: 'aftercare',
    outcome: 'breach',
    aware_at: null,
    notification_deadline: null,
    notification_late: 0,
    authority_notified_at: null,
    authority_reference: null,
    data_subjects_notified_at: null,
    facts_summary: null,
    effects: null,
    remedial_action: null,
    closed_at: null,
    updated_at: '2026-11-10T09:00:00Z',
    ...extra,
  });
  const rows = [
    row('breach-a', { severity_band: 'high' }),
    row('breach-b', { opened_at: '2026-10-31T23:30:00Z', closed_at: '2026-11-20T10:00:00Z', severity_band: 'low' }), // 1 Nov in Amsterdam
    row('breach-c', { opened_at: '2026-12-01T10:00:00Z', notification_late: 1, severity_band: 'high' }),
    row('breach-d', { outcome: 'security-incident', closed_at: '2026-11-11T10:00:00Z' }),
    row('breach-e', {
      ended_outside_at: '2026-11-12T10:00:00Z',
      ended_outside_status: 'TERMINATED',
      ended_outside_run: 'breach-e',
      ended_outside_cause: 'history-size-limit',
    }),
  ];

  it('filters by period (Amsterdam dates), status and severity', () => {
    const ids = (query: string) =>
      filterRegister(rows, parseRegisterFilter(new URLSearchParams(query))).map((r) => r.breach_id);
    expect(ids('from=2026-11-01&to=2026-11-30')).toEqual(['breach-a', 'breach-b', 'breach-d', 'breach-e']);
    expect(ids('status=open')).toEqual(['breach-a', 'breach-c']);
    expect(ids('status=ended-outside')).toEqual(['breach-e']);
    expect(ids('status=late')).toEqual(['breach-c']);
    expect(ids('status=security-incident')).toEqual(['breach-d']);
    expect(ids('severity=high&status=open')).toEqual(['breach-a', 'breach-c']);
    expect(ids('severity=nonsense&from=yesterday')).toEqual([
      'breach-a',
      'breach-b',
      'breach-c',
      'breach-d',
      'breach-e',
    ]);
  });

  it('shows a breach whose run ended outside lekdicht as such, not as open, on the page and in the CSV', () => {
    const nl = renderRegister(rows, parseRegisterFilter({ status: 'ended-outside' }), page);
    expect(nl).toContain('<option value="ended-outside" selected>Buiten lekdicht beëindigd</option>');
    expect(nl).toContain(
      '<strong class="badge urgency-late">Buiten lekdicht beëindigd</strong> <span class="muted">breach-e: terminated (history-size-limit); de termijnen worden niet bewaakt</span>',
    );
    expect(nl).not.toContain('breach-a');
    const en = renderRegister(rows, {}, { ...page, lang: 'en' });
    expect(en).toContain('<strong class="badge urgency-late">Ended outside lekdicht</strong>');
    const csv = parseCsv(registerCsv(rows), { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => [r.breach_id, r.status])).toEqual([
      ['breach-a', 'open'],
      ['breach-b', 'closed'],
      ['breach-c', 'open'],
      ['breach-d', 'closed'],
      ['breach-e', 'ended-outside'],
    ]);
    expect(csv[4]).toMatchObject({
      ended_outside_status: 'TERMINATED',
      ended_outside_run: 'breach-e',
      ended_outside_cause: 'history-size-limit',
    });
  });

  it('renders the filter form, the selection and a CSV link for the same selection', () => {
    const filter = parseRegisterFilter({ from: '2026-11-01', status: 'open', severity: 'high' });
    const html = renderRegister(rows, filter, page);
    expect(registerCsvHref(filter)).toBe('/register.csv?from=2026-11-01&status=open&severity=high');
    expect(html).toContain('href="/register.csv?from=2026-11-01&amp;status=open&amp;severity=high"');
    expect(html).toContain('<option value="open" selected>Open</option>');
    expect(html).toContain('breach-a');
    expect(html).toContain('breach-c');
    expect(html).not.toContain('breach-b');
    expect(html).toContain('<strong class="badge urgency-late">te laat</strong>');
    expect(html).toContain('<label for="filter-from">Geopend vanaf</label>');
  });

  it('shows years of breaches a page at a time, newest first, with the filter kept on every page link', () => {
    // 250 open breaches, one a day from 1 January 2020: breach-0001 the oldest.
    const many = Array.from({ length: 250 }, (_, i) =>
      row(`breach-${String(i + 1).padStart(4, '0')}`, {
        opened_at: new Date(Date.UTC(2020, 0, 1 + i, 9)).toISOString(),
      }),
    );
    const ids = (html: string) => [...html.matchAll(/>(breach-\d{4})</g)].map((m) => m[1]);
    const filter = parseRegisterFilter({ status: 'open' });
    const first = renderRegister(many, filter, page);
    expect(ids(first)).toHaveLength(100);
    expect(ids(first)[0]).toBe('breach-0250');
    expect(ids(first)[99]).toBe('breach-0151');
    expect(first).toContain('250 datalekken');
    expect(first).toContain('1–100 van 250, nieuwste eerst');
    expect(first).toContain('<a href="/register?status=open&amp;page=2" rel="next">Volgende</a>');
    expect(first).not.toContain('rel="prev"');

    const last = renderRegister(many, filter, { ...page, lang: 'en' }, parseRegisterPage('3'));
    expect(ids(last)).toEqual(
      many
        .slice(0, 50)
        .map((r) => r.breach_id)
        .reverse(),
    );
    expect(last).toContain('201–250 of 250, newest first');
    expect(last).toContain('<a href="/register?status=open&amp;page=2&amp;lang=en" rel="prev">Previous</a>');
    expect(last).not.toContain('rel="next"');
    // A page past the end shows the last; nonsense is the first page.
    expect(ids(renderRegister(many, filter, page, parseRegisterPage('40')))).toEqual(ids(last));
    expect(parseRegisterPage('-1')).toBe(1);
    expect(parseRegisterPage('2x')).toBe(1);
    expect(parseRegisterPage(['2'])).toBe(1);
    // One page: no pager.
    expect(renderRegister(rows, {}, page)).not.toContain('class="pager"');
  });
});

describe('escaping: hostile text stays text on every page', () => {
  const SCRIPT = '<script>alert(1)</script>';
  const IMG = '"><img src=x onerror=alert(1)>';
  const CONTROL = 'a\u0000b\u0007c\u001bd\u007fe\u0085f\uD800g';
  const HUGE = `${'A'.repeat(50_000)}<script>x</script>${'B'.repeat(50_000)}`;
  const hostile = [SCRIPT, IMG, CONTROL, `'\`${SCRIPT}`].join(' ');

  /** Only our own script element, no injected element or attribute, no raw control character. */
  function expectInert(html: string) {
    expect(html.match(/<script/g)?.length ?? 0).toBe(1);
    expect(html).not.toMatch(/<img/i);
    // Tags with their (quoted, escaped) attribute values blanked out: no event handler attribute anywhere.
    const tags = (html.match(/<[a-zA-Z][^<>]*>/g) ?? []).map((tag) => tag.replace(/"[^"]*"/g, '""'));
    expect(tags.filter((tag) => /\son\w+=/i.test(tag))).toEqual([]);
    // eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
    expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/);
    expect(html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  }

  const hostileView = (text: string) =>
    makeView({
      breachId: ID,
      reports: [{ source: text, eventId: text, receivedAt: at(-10), duplicate: true, summary: text }],
      facts: {
        awareAt: at(-9),
        known: {
          summary: text,
          systems: [text, text],
          dataCategories: ['ordinary'],
          physicalMedia: { lost: true, description: text },
        },
      },
      tasks: [
        makeTask('triage', {
          status: 'done',
          answer: { isPersonalDataBreach: true, reasoning: text, [text]: text },
          completedBy: text,
          detail: text,
        }),
        makeTask('evaluation', { assignee: text, detail: text }),
      ],
      decisions: [{ kind: 'triage', by: text, at: at(-9), summary: text }],
      notifications: [
        {
          to: 'authority',
          at: at(-1),
          recordedBy: text,
          late: true,
          reference: text,
          channel: text,
          reasonsForDelay: text,
        },
      ],
      deadlines: [gdpr(3, { basis: text, label: text })],
      timeline: [{ id: 'x', at: at(-1), kind: text, text, actor: text }],
    });

  for (const [name, text] of [
    ['markup and control characters', hostile],
    ['a 100 kB string', HUGE],
  ] as const) {
    it(`${name}: dashboard, breach page, my tasks, task form, register and layout`, () => {
      const user = { email: text, name: text };
      const ctx = { ...page, user, csrfToken: text, url: `/?q=${text}` };
      const view = hostileView(text);
      const pages = {
        dashboard: renderDashboard([{ view }], ctx),
        breach: renderBreach(view, ctx, {
          emails: [{ message_id: text, breach_id: ID, purpose: text, recipient: text, subject: text, sent_at: at(-1) }],
        }),
        myTasks: renderMyTasks([{ breachId: text, task: view.tasks[1]! }], ctx),
        register: renderRegister(
          [
            {
              breach_id: text,
              source: text,
              opened_at: at(-1),
              phase: text,
              outcome: text,
              aware_at: text,
              notification_deadline: text,
              notification_late: 1,
              authority_notified_at: text,
              authority_reference: text,
              data_subjects_notified_at: null,
              facts_summary: text,
              effects: text,
              remedial_action: text,
              closed_at: null,
              updated_at: text,
            },
          ],
          {},
          ctx,
        ),
        layout: renderLayout({ ...ctx, title: text, body: new SafeHtml('<p>ok</p>') }),
      };
      const refused = parseTaskForm('evaluation', {
        lessonsLearned: text,
        'improvementActions.0.description': text,
        'improvementActions.0.owner': text,
        'improvementActions.0.due': text,
        approachStillCurrent: text,
      });
      expect(refused.ok).toBe(false);
      const form = renderTaskForm(
        view.tasks[1]!,
        { breachId: text, ...(refused.ok ? {} : { values: refused.values, errors: refused.errors }), view },
        ctx,
      );
      for (const [which, html] of Object.entries({ ...pages, form })) {
        expect(html, which).toContain('</html>');
        expectInert(html);
      }
      if (text === HUGE) {
        // The breach page shows the full text; lists truncate it.
        expect(pages.breach.length).toBeGreaterThan(HUGE.length);
        expect(renderDashboard([{ view }], page).length).toBeLessThan(HUGE.length);
      } else {
        expect(pages.breach).toContain(escapeHtml(SCRIPT));
        expect(pages.breach).toContain('a\uFFFDb\uFFFDc');
        expect(form).toContain(`value="${escapeHtml(text)}"`);
      }
    });
  }

  it('keeps the language switch on this site, whatever the request URL', () => {
    for (const url of ['//evil.example/x', '/\\evil.example/x', 'https://evil.example/x']) {
      const html = renderLayout({ ...page, url, title: 't', body: new SafeHtml('') });
      expect(/<a href="([^"]*)" lang="en"/.exec(html)![1], url).toBe('/x?lang=en');
    }
  });

  it('says at the top of the page that it is practice, in practice mode only', () => {
    const banner = (html: string) =>
      /<div class="practice-banner" role="note"><p class="wrap">([^<]*)<\/p>/.exec(html)?.[1];
    const body = new SafeHtml('<h1>x</h1>');
    const practice = renderLayout({ ...page, practice: true, title: 't', body });
    expect(banner(practice)).toBe(
      'OEFENING — dit is een oefendatalek: er gaat niets naar de AP, en brieven aan betrokkenen gaan alleen naar testadressen.',
    );
    // Before the page's own content, so nobody reads a case without seeing it first.
    expect(practice.indexOf('class="practice-banner"')).toBeLessThan(practice.indexOf('<main'));
    expect(banner(renderLayout({ ...page, lang: 'en', practice: true, title: 't', body }))).toMatch(/^PRACTICE — /);
    expect(renderLayout({ ...page, title: 't', body })).not.toContain('class="practice-banner"');
  });

  it('escapes what HTML treats specially, in text and attributes alike', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
    expect(escapeHtml('tab\tnewline\n\u0000nul \u200Bzero-width emoji 😀')).toBe(
      'tab\tnewline\n\uFFFDnul \u200Bzero-width emoji 😀',
    );
  });
});
