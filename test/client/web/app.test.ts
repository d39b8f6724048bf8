import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, Task, TaskKind } from '../../../domain/tasks';
import { webPages } from '../../../client/http/web-pages';
import { launchChromium } from '../../support/browser';
import { answers } from '../../support/answers';
import { Harness, eventually } from '../../support/harness';
import { HttpFixture, INTAKE_SECRET, PASSWORD } from '../../support/http';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER, SPONSOR, directory } from '../../support/people';
import { fillTaskForm } from '../../support/task-form-filler';

/**
 * The whole service as a newcomer meets it: the README's intake example reports a breach to the real HTTP
 * service (its pages mounted, on loopback), and people log in with Chromium and work it to closure through
 * the pages, on the run's Temporal server with a real worker, SMTP server and register.
 */

const HOUR = 3_600_000;
let h: Harness;
let fx: HttpFixture;
let base: string;
let browser: Browser;
let breachId: string;
const people = new Map<string, { context: BrowserContext; page: Page }>();

/** The README's intake block, run by bash as a user would, with the dev secret file and the example signal it reads. */
async function runReadmeIntake(eventId: string): Promise<{ breachId: string; duplicate: boolean }> {
  const readme = readFileSync('README.md', 'utf8');
  const block = /<!-- intake-example[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no intake example block');
  const dir = mkdtempSync(join(tmpdir(), 'lekdicht-readme-'));
  mkdirSync(join(dir, 'data/dev-secrets'), { recursive: true });
  mkdirSync(join(dir, 'examples'));
  writeFileSync(join(dir, 'data/dev-secrets/lekdicht_intake_dlp_secret'), INTAKE_SECRET);
  // The example's own event id would make the same breach in every test run on this server: a fresh one.
  const example = JSON.parse(readFileSync('examples/signal-dlp.json', 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'examples/signal-dlp.json'), JSON.stringify({ ...example, eventId }, null, 2));
  const script = block.replaceAll('http://127.0.0.1:8080', base);
  // Not execFileSync: the service answering curl runs in this process.
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(stdout) as { breachId: string; duplicate: boolean };
}

/** One browser profile per person, logged in through the login form. */
async function as(email: string): Promise<Page> {
  const known = people.get(email);
  if (known) return known.page;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/`);
  // Not logged in: the dashboard sends people to the login page, and back after it.
  await page.waitForURL(/\/login\?next=/);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(`${base}/`);
  people.set(email, { context, page });
  return page;
}

/** Opens the task's page once the workflow has opened the task (until then the page says "not found"). */
async function openTaskPage(page: Page, taskId: string, lang = ''): Promise<void> {
  await eventually(async () => {
    const res = await page.goto(`${base}/breaches/${breachId}/tasks/${taskId}${lang}`);
    return res?.status() === 200 && (await page.locator('form.task').count()) === 1;
  }, `the form of ${taskId}`);
}

/** Fills and submits a task form; the service redirects to the breach page, which confirms it. */
async function work(email: string, taskId: string, answer: unknown): Promise<Page> {
  const page = await as(email);
  await openTaskPage(page, taskId);
  await fillTaskForm(page, answer);
  await page.locator('form.task button[type="submit"]:not([name])').click();
  await page.waitForURL((url) => url.pathname === `/breaches/${breachId}` && url.searchParams.get('done') === taskId);
  expect(await page.locator('main .notice[role="status"]').textContent()).toMatch(/^Taak afgerond: /);
  return page;
}

/** The phase, the first entry of the breach page's overview. */
const phaseOn = async (page: Page) =>
  (await page.locator('section[aria-labelledby="overview"] dd').first().textContent())?.trim();

beforeAll(async () => {
  h = await Harness.start({ containmentRecheck: '1s', aftercareFollowUps: ['1s', '2s'], evaluationAfter: '1s' });
  fx = await HttpFixture.start(h, { pages: [webPages] });
  await fx.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(fx.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const { context } of people.values()) await context.close();
  await browser?.close();
  await fx?.close();
  await h?.close();
});

describe('a breach worked in the browser, from the intake to closure', () => {
  it("the README's curl example reports a breach through the signed intake; sent again, it is the same breach", async () => {
    const eventId = `DLP-readme-${process.pid}-${Date.now()}`;
    const first = await runReadmeIntake(eventId);
    expect(first.breachId).toMatch(/^breach-[0-9a-f]{20}$/);
    breachId = first.breachId;
    // Sent again as a sender re-sends: signed anew (the next second's timestamp), or it would be a replay (409).
    const signedAt = Math.floor(Date.now() / 1000);
    while (Math.floor(Date.now() / 1000) === signedAt) await new Promise((r) => setTimeout(r, 50));
    expect(await runReadmeIntake(eventId)).toEqual({ breachId, duplicate: true });
  });

  it('the FG logs in, triages it in the form, and sees the 72-hour countdown on the dashboard, red under 12 hours', async () => {
    const page = await as(FG);
    // The triage task is on "my tasks", linked to its form.
    await eventually(async () => {
      await page.goto(`${base}/tasks`);
      return (await page.locator(`a[href="/breaches/${breachId}/tasks/triage"]`).count()) === 1;
    }, 'the triage task on my tasks');
    // Aware 62 hours ago: 10 hours left.
    await work(FG, 'triage', answers.triageBreach(new Date(Date.now() - 62 * HOUR).toISOString()));

    // The deadline reaches the dashboard once the notification playbook has reported to the breach, a moment
    // after the triage is done (on a loaded machine more than a moment): reload until the row shows it.
    const row = page.locator(`tr[data-breach="${breachId}"]`);
    await expect
      .poll(
        async () => {
          await page.goto(`${base}/`);
          return row.getAttribute('data-urgency');
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('critical');
    expect(await row.getAttribute('class')).toBe('urgency-critical');
    const clock = row.locator('time.countdown');
    const before = await clock.textContent();
    expect(before).toMatch(/^(09|10) u \d{2} m \d{2} s$/);
    await expect.poll(() => clock.textContent(), { timeout: 5_000 }).not.toBe(before);
    expect(await row.locator('[data-urgency-label]').textContent()).toBe('Minder dan 12 uur');
  });

  it('ICT sees a refused checklist explained in place, then completes containment; the phase moves on once the CISO confirms', async () => {
    await work(CISO, 'first-picture', answers.firstPicture());

    const ict = await as(ICT);
    await openTaskPage(ict, 'containment-1');
    const refused = answers.containment(false);
    refused.measures['secure-evidence'] = { status: 'pending' };
    await fillTaskForm(ict, refused);
    await ict.locator('form.task button[type="submit"]:not([name])').click();
    await ict.waitForLoadState();
    expect(await ict.title()).toMatch(/^Fout: /);
    const error = ict.locator('#f-measures__secure-evidence__status-error');
    expect(await error.textContent()).toContain('Stel eerst het bewijs veilig');
    expect(await ict.evaluate<string>('document.activeElement ? document.activeElement.id : ""')).toBe('error-summary');
    // What ICT entered is still there; fixing the one field is enough.
    expect(await ict.locator('[name="measures.block-accounts.status"][value="done"]').isChecked()).toBe(true);
    await ict.locator('[name="measures.secure-evidence.status"][value="done"]').check();
    await ict.locator('form.task button[type="submit"]:not([name])').click();
    await ict.waitForURL((url) => url.searchParams.get('done') === 'containment-1');
    expect(await phaseOn(ict)).toBe('Beperken');

    await work(CISO, 'containment-confirmation-1', answers.confirmContainment(true));
    // ICT's page, reloaded, shows the next phase (in English too).
    await eventually(async () => {
      await ict.goto(`${base}/breaches/${breachId}?lang=en`);
      return (await phaseOn(ict)) === 'Impact';
    }, 'the impact phase on the breach page');
  });

  it("nobody acts outside their role: ICT sees the FG's decision but its submission is refused, and the register too", async () => {
    const ict = await as(ICT);
    await work(PROCESS_OWNER, 'impact', answers.impact());
    await eventually(
      async () => (await h.view(breachId)).tasks.some((t) => t.id === 'notification-decision'),
      'the decision task',
    );
    const decision = await ict.goto(`${base}/breaches/${breachId}/tasks/notification-decision`);
    expect(decision?.status()).toBe(200);
    expect(await ict.locator('form.task').count()).toBe(1);
    // The form is shown (ICT is involved in the breach) but submitting it is refused by role.
    await fillTaskForm(ict, answers.decision(true, true));
    await ict.locator('form.task button[type="submit"]:not([name])').click();
    await ict.waitForLoadState();
    expect(await ict.locator('h1').textContent()).toBe('Geen toegang');
    expect((await h.view(breachId)).tasks.find((t) => t.id === 'notification-decision')?.status).toBe('open');
    const register = await ict.goto(`${base}/register`);
    expect(register?.status()).toBe(403);
  });

  it('the rest of the procedure, task by task in the forms, until the breach is closed and in the register', async () => {
    const byRole: Record<string, string> = {
      fg: FG,
      ciso: CISO,
      'process-owner': PROCESS_OWNER,
      ict: ICT,
      communications: COMMS,
      kcc: COMMS,
      'executive-sponsor': SPONSOR,
    };
    const answerFor: Partial<Record<TaskKind, () => unknown>> = {
      'notification-decision': () => answers.decision(true, true),
      'authority-notification': () => answers.authorityNotification(),
      'data-subject-notification': () => answers.dataSubjectNotification(),
      'organisation-interest': () => ({ outcome: 'Handled; nothing further.' }),
      aftercare: () => answers.aftercare(),
      'aftercare-follow-up': () => answers.followUp(false),
      'aftercare-close': () =>
        ({ close: true, note: 'No more questions or reports of misuse.' }) satisfies Answer<'aftercare-close'>,
      evaluation: () => answers.evaluation(),
      'improvement-action': () =>
        ({
          done: true,
          note: 'External autocomplete disabled for all mailboxes.',
        }) satisfies Answer<'improvement-action'>,
    };
    const worked: string[] = [];
    for (;;) {
      const view = await h.view(breachId);
      if (view.phase === 'closed') break;
      const next: Task | undefined = view.tasks.find((t) => t.status === 'open');
      if (!next) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      const answer = answerFor[next.kind];
      if (!answer) throw new Error(`no answer for ${next.kind} (${next.id})`);
      const person =
        next.assignee ?? byRole[next.role] ?? directory.find((p) => p.roles.includes(next.role as never))?.email;
      if (!person) throw new Error(`nobody holds ${next.role}`);
      await work(person, next.id, answer());
      worked.push(next.id);
      if (worked.length > 30) throw new Error(`not closed after ${worked.join(', ')}`);
    }
    expect(worked).toEqual(
      expect.arrayContaining([
        'notification-decision',
        'authority-notification',
        'aftercare',
        'evaluation',
        'improvement-1',
      ]),
    );

    const fg = await as(FG);
    await fg.goto(`${base}/breaches/${breachId}`);
    expect(await phaseOn(fg)).toBe('Gesloten');
    // Closed breaches leave the dashboard and are in the register, with the AP's reference; the CSV has them too.
    await fg.goto(`${base}/`);
    expect(await fg.locator(`tr[data-breach="${breachId}"]`).count()).toBe(0);
    await fg.goto(`${base}/register?status=closed`);
    const row = fg.locator('main table tr', { hasText: breachId });
    expect(await row.textContent()).toContain('AP-2026-12345');
    const csv = await fg.request.get(`${base}/register.csv?status=closed`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toContain(breachId);
  });
});
