import { describe, expect, it } from 'vitest';
import type { CaseView, Deadline } from '../../../domain/case';
import { configSchema } from '../../../domain/config';
import { directorySchema } from '../../../domain/roles';
import type { Task, TaskKind } from '../../../domain/tasks';
import {
  dashboardRows,
  parseTaskForm,
  renderBreach,
  renderDashboard,
  renderTaskForm,
  STYLESHEET,
  withAwarenessDefault,
} from '../../../client/web';
import type { DashboardItem } from '../../../domain/case';
import { directory as testDirectory, FG } from '../../support/people';

/**
 * What needs whom next, as a person reads it: the dashboard's next step, holder and AP status, its summary
 * strip, filter and search; the breach page's "next step / waiting until", tasks before history, and the
 * in-page navigation.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-28T10:00:00Z');
const at = (hoursFromNow: number) => new Date(NOW + hoursFromNow * HOUR).toISOString();
const directory = directorySchema.parse(testDirectory);
const timing = configSchema.shape.timing.parse({});

function task(kind: TaskKind, extra: Partial<Task> = {}): Task {
  return {
    id: kind,
    kind,
    role: 'fg',
    title: kind,
    playbook: 'breach',
    workflowId: 'w',
    createdAt: at(-2),
    due: at(2),
    status: 'open',
    overdue: false,
    ...extra,
  };
}
const done = (t: Task, hoursAgo: number, answer: unknown = {}): Task => ({
  ...t,
  status: 'done',
  completedAt: at(-hoursAgo),
  completedBy: FG,
  answer,
});
const gdpr = (hours: number, extra: Partial<Deadline> = {}): Deadline => ({
  kind: 'gdpr-authority',
  due: at(hours),
  status: 'pending',
  regime: 'gdpr',
  ...extra,
});

function view(extra: Partial<CaseView>): CaseView {
  return {
    breachId: 'breach-x',
    phase: 'containment',
    outcome: 'breach',
    openedAt: at(-10),
    reports: [{ source: 'dlp', eventId: 'e1', receivedAt: at(-10), duplicate: false, summary: 'Bestand gemaild' }],
    facts: { isPersonalDataBreach: true, awareAt: at(-9) },
    tasks: [],
    decisions: [],
    deadlines: [],
    notifications: [],
    timeline: [{ id: 'breach#1', at: at(-10), kind: 'signal-received', text: 'Signal received' }],
    ...extra,
  };
}

const page = { lang: 'nl' as const, csrfToken: 'tok', user: { email: FG, name: 'Fenna FG' }, now: NOW };

const untriaged = view({
  breachId: 'breach-untriaged',
  phase: 'triage',
  openedAt: at(-0.5),
  facts: {},
  tasks: [task('triage', { due: at(3.5) })],
  reports: [{ source: 'dlp', eventId: 'e2', receivedAt: at(-0.5), duplicate: false, summary: 'DLP-melding' }],
});
const aftercare = view({
  breachId: 'breach-aftercare',
  phase: 'aftercare',
  openedAt: at(-200),
  tasks: [done(task('aftercare', { role: 'kcc' }), 20)],
  deadlines: [gdpr(-130, { status: 'met', metAt: at(-150) })],
  notifications: [{ to: 'authority', regime: 'gdpr', phase: 'initial', at: at(-150), recordedBy: FG, late: false }],
});
const late = view({
  breachId: 'breach-late',
  phase: 'decision',
  tasks: [task('notification-decision', { due: at(-1), overdue: true })],
  deadlines: [gdpr(-2, { status: 'late' })],
});
const containment = view({
  breachId: 'breach-containment',
  tasks: [task('containment', { id: 'containment-1', role: 'ict', due: at(5) })],
  deadlines: [gdpr(30)],
});
const items: DashboardItem[] = [aftercare, containment, late, untriaged].map((v) => ({ view: v }));

describe('the dashboard says what needs whom next', () => {
  it('sorts an untriaged breach by its triage due time, above one in aftercare', () => {
    const rows = dashboardRows(items, NOW, directory);
    expect(rows.map((r) => r.breachId)).toEqual([
      'breach-late',
      'breach-untriaged',
      'breach-containment',
      'breach-aftercare',
    ]);
    const html = renderDashboard(items, page, { directory });
    const row = rowOf(html, 'breach-untriaged');
    expect(row).toContain('Triage');
    expect(row).toContain('Minder dan 12 uur');
    expect(row).toContain('03 u 30 m 00 s');
    expect(row).not.toContain('Geen termijn');
  });

  it('names the open task and the person who holds it, with a link to its form', () => {
    const row = rowOf(renderDashboard(items, page, { directory }), 'breach-containment');
    expect(row).toContain('href="/breaches/breach-containment/tasks/containment-1"');
    expect(row).toMatch(/Beperk het incident[^<]*<\/a> bij Ivo ICT/);
    expect(rowOf(renderDashboard(items, page, { directory }), 'breach-late')).toContain('Fenna FG, Daan Deputy');
  });

  it('says "AP gemeld" once notified, late when late, and "nog niet beoordeeld" before', () => {
    const html = renderDashboard(items, page, { directory });
    const notified = rowOf(html, 'breach-aftercare');
    expect(notified).toContain('AP gemeld');
    expect(notified).not.toContain('het moment van bekend worden is nog niet vastgesteld');
    expect(notified).toContain('Geen open taak');
    expect(rowOf(html, 'breach-late')).toContain('Te laat: nog niet gemeld');
    expect(rowOf(html, 'breach-containment')).toContain('Nog niet beoordeeld');
    expect(rowOf(html, 'breach-untriaged')).toContain('Nog niet beoordeeld');
  });

  it('counts in a summary strip, and filters and searches', () => {
    const html = renderDashboard(items, page, { directory });
    const count = (filter: string) =>
      new RegExp(`data-filter="${filter}"[^>]*><strong>(\\d+)</strong>`).exec(html)?.[1];
    expect([count('all'), count('triage'), count('critical'), count('late'), count('aftercare')]).toEqual([
      '4',
      '1',
      '1',
      '1',
      '1',
    ]);
    const lateOnly = renderDashboard(items, page, { directory, filter: 'late' });
    expect(breachesIn(lateOnly)).toEqual(['breach-late']);
    expect(lateOnly).toContain('1 van 4 open datalekken getoond.');
    expect(breachesIn(renderDashboard(items, page, { directory, search: 'dlp-MELDING' }))).toEqual([
      'breach-untriaged',
    ]);
    expect(renderDashboard(items, page, { directory, search: 'niets' })).toContain('Geen open datalek past');
    // The strip's links keep the search.
    expect(renderDashboard(items, page, { search: 'dlp' })).toContain('href="/?filter=late&amp;q=dlp"');
  });

  it('keeps column headers whole: no break inside a word', () => {
    expect(STYLESHEET).toMatch(/\nth\{[^}]*overflow-wrap:normal[^}]*word-break:normal/);
  });
});

describe('the breach page opens with the next step', () => {
  it('after "still leaking: yes" it says when the leak is checked again', () => {
    const v = view({
      tasks: [done(task('containment', { id: 'containment-1', role: 'ict' }), 1, { stillLeaking: true })],
    });
    const html = renderBreach(v, page, { timing, directory });
    const next = sectionOf(html, 'next-step');
    expect(next).toContain('Wachten tot');
    // Completed 1 h ago (10:00 Amsterdam time), checked again 4 h later: 14:00.
    expect(next).toContain(`<time datetime="${at(3)}">za 28 nov 2026, 14:00 CET</time>`);
    expect(next).toContain('Lekt het nog?');
  });

  it('in aftercare with no open task it gives the follow-up and evaluation dates', () => {
    const v = view({
      phase: 'aftercare',
      facts: { awareAt: at(-100), containment: { rounds: 1, measures: {} as never, containedAt: at(-50) } },
      tasks: [done(task('aftercare', { role: 'kcc' }), 10)],
    });
    const next = sectionOf(renderBreach(v, page, { timing, directory }), 'next-step');
    expect(next).toContain(`<time datetime="${new Date(NOW - 10 * HOUR + 14 * DAY).toISOString()}">`);
    expect(next).toContain('Navraag bij de betrokkenen (ronde 1)');
    expect(next).toContain(`<time datetime="${new Date(NOW - 50 * HOUR + 14 * DAY).toISOString()}">`);
    expect(next).toContain('Evaluatie');
  });

  it('names open tasks with their holder, and puts tasks before the history, with in-page links', () => {
    const html = renderBreach(containment, page, { timing, directory });
    const next = sectionOf(html, 'next-step');
    expect(next).toContain('Ivo ICT');
    expect(next).toContain('href="/breaches/breach-containment/tasks/containment-1"');
    expect(html.indexOf('id="next-step"')).toBeLessThan(html.indexOf('id="tasks"'));
    expect(html.indexOf('id="tasks"')).toBeLessThan(html.indexOf('id="timeline"'));
    for (const id of ['tasks', 'deadlines', 'facts', 'timeline']) {
      expect(html).toContain(`<a href="#${id}">`);
      expect(html).toContain(`id="${id}"`);
    }
  });

  it('shows an organisation-interest task under its own title', () => {
    const v = view({
      phase: 'aftercare',
      tasks: [task('organisation-interest', { id: 'interest-insurance', role: 'finance' })],
    });
    const html = renderBreach(v, page, { timing, directory });
    expect(html).toContain('Financiën: meld de schade bij de verzekeraar');
    expect(html).not.toContain('Borg het organisatiebelang');
    expect(renderBreach(v, { ...page, lang: 'en' }, { timing })).toContain('Finance: notify the insurer');
  });
});

function rowOf(html: string, breachId: string): string {
  const start = html.indexOf(`data-breach="${breachId}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</tr>', start));
}

function breachesIn(html: string): string[] {
  return [...html.matchAll(/data-breach="([^"]+)"/g)].map((m) => m[1]!);
}

function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`aria-labelledby="${id}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('the triage form shows what the source sent', () => {
  const reported = view({
    breachId: 'breach-t',
    phase: 'triage',
    facts: {},
    reports: [
      {
        source: 'dlp',
        eventId: 'dlp-4711',
        receivedAt: at(-1),
        duplicate: false,
        summary: 'Excel-bestand naar extern adres',
        details: 'Regel: BSN-patroon; 214 treffers; ontvanger extern.nl',
        observedAt: '2026-11-28T08:12:00Z',
        reporter: { name: 'DLP-beheer', email: 'dlp@test.example' },
        systems: ['Exchange'],
      },
    ],
    tasks: [task('triage', { due: at(3) })],
  });
  const triage = reported.tasks[0]!;

  it('lists the details, and offers the observed moment as the awareness, in the format the hint gives', () => {
    const html = renderTaskForm(triage, { breachId: reported.breachId, view: reported }, page);
    const signal = sectionOf(html, 'signal-title');
    expect(signal).toContain('Regel: BSN-patroon; 214 treffers; ontvanger extern.nl');
    expect(signal).toContain('dlp-4711');
    expect(signal).toContain('DLP-beheer, dlp@test.example');
    expect(signal).toContain('Exchange');
    expect(signal).toContain('za 28 nov 2026, 09:12 CET');
    // Prefilled in Amsterdam time, day first, as the hint beside it says.
    expect(html).toMatch(/id="f-awareAt" name="awareAt"[^>]*value="28-11-2026 09:12"/);
    expect(html).toContain('Schrijf als dd-mm-jjjj uu:mm, Nederlandse tijd (Europe/Amsterdam)');
    expect(html).not.toContain('type="datetime-local"');
  });

  it('really treats "Sinds wanneer" as optional: empty means the moment the report came in', () => {
    const body = { isPersonalDataBreach: 'true', awareAt: '', reasoning: 'BSN extern gemaild' };
    expect(parseTaskForm('triage', body).ok).toBe(false);
    const parsed = parseTaskForm('triage', withAwarenessDefault(body, reported));
    expect(parsed).toEqual({
      ok: true,
      answer: { isPersonalDataBreach: true, awareAt: at(-1).replace('.000Z', 'Z'), reasoning: 'BSN extern gemaild' },
    });
    const html = renderTaskForm(triage, { breachId: reported.breachId, view: reported }, page);
    expect(html).toContain('Leeg gelaten geldt za 28 nov 2026, 10:00 CET');
    // Not a breach: nothing is filled in.
    expect(withAwarenessDefault({ ...body, isPersonalDataBreach: 'false' }, reported)).toEqual({
      ...body,
      isPersonalDataBreach: 'false',
    });
  });

  it('reads day-first date-times as Amsterdam time', () => {
    const parsed = parseTaskForm('triage', {
      isPersonalDataBreach: 'true',
      awareAt: '28-7-2026 9:05',
      reasoning: 'x',
    });
    expect(parsed.ok && parsed.answer.awareAt).toBe('2026-07-28T07:05:00Z');
    const wrong = parseTaskForm('triage', { isPersonalDataBreach: 'true', awareAt: '07/28/2026', reasoning: 'x' });
    expect(wrong.ok ? '' : wrong.errors.awareAt).toContain('dd-mm-jjjj uu:mm');
  });
});

describe('improvement-action owners come from the directory', () => {
  const evaluation = view({ phase: 'evaluation', tasks: [task('evaluation', { due: at(48) })] });
  const people = directory.map((p) => ({ email: p.email, name: p.name }));

  it('offers the directory as a select, and keeps a stranger visible with its error', () => {
    const html = renderTaskForm(evaluation.tasks[0]!, { breachId: 'breach-x', view: evaluation, people }, page);
    expect(html).toMatch(/<select id="f-improvementActions__0__owner" name="improvementActions.0.owner"/);
    expect(html).toContain('<option value="ict@test.example">Ivo ICT (ict@test.example)</option>');
    expect(html).not.toMatch(/<input[^>]*name="improvementActions.0.owner"/);
    const refused = renderTaskForm(
      evaluation.tasks[0]!,
      {
        breachId: 'breach-x',
        view: evaluation,
        people,
        values: { improvementActions: [{ description: 'x', owner: 'someone@elsewhere.example', due: at(100) }] },
        errors: { 'improvementActions.0.owner': 'someone@elsewhere.example staat niet in het adresboek' },
      },
      page,
    );
    expect(refused).toContain('<option value="someone@elsewhere.example" selected>');
    expect(refused).toMatch(/id="f-improvementActions__0__owner-error"[^>]*>.*staat niet in het adresboek/);
  });
});

describe('a task given to one person', () => {
  it("names its owner without the role of the playbook that asked for it (not 'Ivo ICT (FG)')", () => {
    const improvement = task('improvement-action', { id: 'improvement-1', assignee: 'ict@test.example' });
    const v = view({ phase: 'evaluation', tasks: [improvement, task('aftercare-close')] });
    const breach = renderBreach(v, page, { directory, timing });
    const nextStep = /<li data-next="task" data-task="improvement-1">[\s\S]*?<\/li>/.exec(breach)?.[0] ?? '';
    expect(nextStep).toContain('Ivo ICT');
    expect(nextStep).not.toContain('Gegevensbescherming');
    const dashboard = renderDashboard([{ view: v }], page, { directory });
    const row = /<li data-task="improvement-1">[\s\S]*?<\/li>/.exec(dashboard)?.[0] ?? '';
    expect(row).toContain('Ivo ICT');
    expect(row).not.toContain('Gegevensbescherming');
    // A role's task still says whose role it is.
    expect(dashboard).toMatch(/<li data-task="aftercare-close">[\s\S]*?\(Functionaris Gegevensbescherming \(FG\)\)/);
  });
});
