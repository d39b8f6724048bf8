import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../domain/case';
import { answerSchemas, TASK_KINDS, type Task, type TaskKind } from '../../../domain/tasks';
import {
  parseTaskForm,
  renderBreach,
  renderDashboard,
  renderMyTasks,
  renderRegister,
  renderTaskForm,
  type PageContext,
} from '../../../client/web';
import { parseLanguage } from '../../../domain/language';
import { parseRegisterFilter, type RegisterRow } from '../../../domain/register';
import { ChromiumMissingError, chromiumPath, launchChromium } from '../../support/browser';

/**
 * The renderers in a real browser (Debian's Chromium) with fabricated cases a workflow would take long to
 * produce (a late breach, 100 kB texts), served by a bare node:http server on loopback. The real service with
 * real breaches is test/client/web/app.test.ts.
 */

const HOUR = 3_600_000;
const ID = 'breach-0123456789abcdef0123';
const LONG = `${'x'.repeat(2_000)} ${'Zeer-lange-omschrijving-zonder-spaties-'.repeat(200)}`;

function task(kind: TaskKind, now: number, extra: Partial<Task> = {}): Task {
  return {
    id: kind,
    kind,
    role: 'fg',
    title: kind,
    playbook: 'breach',
    workflowId: ID,
    createdAt: new Date(now - HOUR).toISOString(),
    due: new Date(now + 3 * HOUR).toISOString(),
    status: 'open',
    overdue: false,
    ...extra,
  };
}

function view(now: number, breachId = ID, dueInHours = 5): CaseView {
  return {
    breachId,
    phase: 'containment',
    outcome: 'breach',
    openedAt: new Date(now - 10 * HOUR).toISOString(),
    reports: [
      {
        source: 'dlp',
        eventId: 'evt-1',
        receivedAt: new Date(now - 10 * HOUR).toISOString(),
        duplicate: false,
        summary: LONG,
      },
    ],
    facts: {
      isPersonalDataBreach: true,
      awareAt: new Date(now - 9 * HOUR).toISOString(),
      known: { summary: LONG, systems: [LONG], dataCategories: ['ordinary', 'national-id'] },
    },
    tasks: [task('triage', now), task('first-picture', now, { role: 'ciso' })],
    decisions: [{ kind: 'triage', by: 'fg@voorbeeld.nl', at: new Date(now - 9 * HOUR).toISOString(), summary: LONG }],
    deadlines: [
      {
        kind: 'gdpr-authority',
        due: new Date(now + dueInHours * HOUR).toISOString(),
        status: 'pending',
        basis: 'GDPR art. 33(1)',
      },
    ],
    notifications: [],
    timeline: [
      { id: 'breach#1', at: new Date(now - 10 * HOUR).toISOString(), kind: 'signal-received', text: LONG, actor: LONG },
    ],
  };
}

const registerRow: RegisterRow = {
  breach_id: ID,
  source: 'dlp',
  opened_at: '2026-11-10T09:00:00Z',
  phase: 'aftercare',
  outcome: 'breach',
  aware_at: '2026-11-10T08:00:00Z',
  notification_deadline: '2026-11-13T08:00:00Z',
  notification_late: 1,
  authority_notified_at: '2026-11-14T08:00:00Z',
  authority_reference: 'AP-2026-1',
  data_subjects_notified_at: null,
  facts_summary: LONG,
  effects: null,
  remedial_action: null,
  closed_at: null,
  updated_at: '2026-11-14T08:00:00Z',
  severity_band: 'high',
};

async function readBody(req: import('node:http').IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The routes the HTTP service will have, reduced to what the pages need; the task is always "triage". */
function pagesServer(): Server {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const now = Date.now();
      const ctx: PageContext = {
        lang: parseLanguage(url.searchParams.get('lang')),
        user: { email: 'fg@voorbeeld.nl', name: 'Fenna FG' },
        csrfToken: 'test-csrf',
        url: `${url.pathname}${url.search}`,
        now,
      };
      const send = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
        res.end(body);
      };
      const taskRoute = /^\/breaches\/([^/]+)\/tasks\/([^/]+)$/.exec(url.pathname);
      if (url.pathname === '/')
        return send(
          200,
          renderDashboard(
            [{ view: view(now, 'breach-late', -2) }, { view: view(now) }, { view: view(now, 'breach-later', 30) }],
            ctx,
          ),
        );
      if (url.pathname === '/tasks')
        return send(
          200,
          renderMyTasks(
            view(now).tasks.map((t) => ({ breachId: ID, task: t })),
            ctx,
          ),
        );
      if (url.pathname === '/register')
        return send(200, renderRegister([registerRow], parseRegisterFilter(url.searchParams), ctx));
      if (url.pathname === `/breaches/${ID}`) return send(200, renderBreach(view(now), ctx));
      if (taskRoute) {
        const kind = (TASK_KINDS as string[]).includes(taskRoute[2]!) ? (taskRoute[2] as TaskKind) : 'triage';
        const t = task(kind, now);
        if (req.method === 'POST') {
          const body = await readBody(req);
          if (new URLSearchParams(body).get('_csrf') !== 'test-csrf') return send(403, 'bad csrf');
          const parsed = parseTaskForm(kind, body, ctx.lang);
          if (parsed.ok) {
            res.writeHead(303, {
              location: `/breaches/${ID}?done=${encodeURIComponent(JSON.stringify(parsed.answer))}`,
            });
            return res.end();
          }
          return send(
            parsed.intent ? 200 : 422,
            renderTaskForm(t, { breachId: ID, values: parsed.values, errors: parsed.errors }, ctx),
          );
        }
        return send(200, renderTaskForm(t, { breachId: ID }, ctx));
      }
      send(404, 'not found');
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
}

let browser: Browser;
let server: Server;
let base: string;

beforeAll(async () => {
  browser = await launchChromium();
  server = pagesServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

async function withPage<T>(
  options: Parameters<Browser['newContext']>[0],
  use: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext(options);
  try {
    return await use(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

const activeId = (page: Page) => page.evaluate<string>('document.activeElement ? document.activeElement.id : ""');

describe('finding Chromium', () => {
  it('says how to install it when it is missing, and never suggests a browser download', () => {
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(ChromiumMissingError);
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      /\/nonexistent\/chromium is not an executable file \(from CHROMIUM_PATH\).*apt-get install -y chromium/,
    );
  });
});

describe('the pages in Chromium', () => {
  it('the dashboard countdown ticks, and shows the time left without JavaScript too', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${base}/`);
      const clock = page.locator(`tr[data-breach="${ID}"] time.countdown`);
      const before = { text: await clock.textContent(), datetime: await clock.getAttribute('datetime') };
      expect(before.text).toMatch(/^0[45] u \d{2} m \d{2} s$/);
      await page.waitForTimeout(1_500);
      const after = { text: await clock.textContent(), datetime: await clock.getAttribute('datetime') };
      expect(after.text).not.toBe(before.text);
      expect(after.datetime).not.toBe(before.datetime);
      // The late breach stays marked in words.
      await expect
        .poll(() => page.locator('tr[data-breach="breach-late"] [data-urgency-label]').textContent())
        .toBe('Te laat');
      expect(await page.locator('tr[data-breach="breach-late"] time.countdown').textContent()).toMatch(
        /^te laat sinds 0[12] u/,
      );
    });
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${base}/?lang=en`);
      expect(await page.locator(`tr[data-breach="${ID}"] time.countdown`).textContent()).toMatch(
        /^0[45] h \d{2} m \d{2} s$/,
      );
      expect(await page.locator('tr[data-breach="breach-late"]').getAttribute('class')).toBe('urgency-late');
    });
  });

  it('a task form with an invalid answer shows the error in place, focuses the summary, and links to the field', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${base}/breaches/${ID}/tasks/triage`);
      // Keyboard only: the first Tab reaches the skip link.
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement.className')).toBe('skip-link');
      await page.getByLabel('Ja').check();
      await page.getByLabel('Onderbouwing').fill('Een spreadsheet is naar een verkeerde ontvanger gemaild.');
      await page.getByRole('button', { name: 'Taak afronden' }).click();
      await page.waitForLoadState();
      expect(await page.title()).toMatch(/^Fout: /);
      expect(await activeId(page)).toBe('error-summary');
      const error = page.locator('#f-awareAt-error');
      expect(await error.textContent()).toContain('sinds wanneer is de organisatie op de hoogte');
      expect(await page.locator('#f-awareAt').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#f-awareAt').getAttribute('aria-describedby')).toContain('f-awareAt-error');
      // What was entered is still there.
      expect(await page.getByLabel('Onderbouwing').inputValue()).toBe(
        'Een spreadsheet is naar een verkeerde ontvanger gemaild.',
      );
      // From the summary to the field by keyboard.
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement.getAttribute("href")')).toBe('#f-awareAt');
      await page.keyboard.press('Enter');
      expect(await activeId(page)).toBe('f-awareAt');
      await page.locator('#f-awareAt').fill('2026-11-28T09:30');
      await page.getByRole('button', { name: 'Taak afronden' }).click();
      await page.waitForURL(/\/breaches\/breach-[0-9a-f]+\?done=/);
      const done = JSON.parse(new URL(page.url()).searchParams.get('done')!);
      expect(done).toEqual({
        isPersonalDataBreach: true,
        awareAt: '2026-11-28T08:30:00Z',
        reasoning: 'Een spreadsheet is naar een verkeerde ontvanger gemaild.',
      });
    });
  });

  it('a real browser submits exactly what the form holds: every example answer round-trips', async () => {
    await withPage({}, async (page) => {
      for (const file of [
        'triage',
        'first-picture',
        'containment',
        'evaluation',
        'notification-decision',
        'improvement-action',
        'data-subject-notification',
      ]) {
        const kind = file as TaskKind;
        const expected = answerSchemas[kind].parse(JSON.parse(readFileSync(`examples/answers/${file}.json`, 'utf8')));
        await page.setContent(
          renderTaskForm(task(kind, Date.now()), { breachId: ID, values: expected }, { lang: 'nl', csrfToken: 'c' }),
        );
        const body = await page.evaluate<string>(
          'new URLSearchParams(new FormData(document.querySelector("form.task"))).toString()',
        );
        const parsed = parseTaskForm(kind, body);
        if (!parsed.ok) throw new Error(`${kind}: ${JSON.stringify(parsed.errors)}`);
        const instants = (v: unknown): unknown =>
          JSON.parse(JSON.stringify(v), (_k, x: unknown) =>
            typeof x === 'string' && /T\d{2}:\d{2}.*(Z|[+-]\d{2}:\d{2})$/.test(x) ? new Date(x).toISOString() : x,
          ) as unknown;
        expect(instants(parsed.answer), kind).toEqual(instants(expected));
      }
    });
  });

  it('fits a phone: 375 px wide without horizontal scrolling, long unbroken text included', async () => {
    await withPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true }, async (page) => {
      for (const path of [
        '/',
        `/breaches/${ID}`,
        '/tasks',
        '/register',
        `/breaches/${ID}/tasks/first-picture`,
        `/breaches/${ID}/tasks/containment`,
        `/breaches/${ID}/tasks/evaluation`,
      ]) {
        await page.goto(`${base}${path}`);
        const widths = await page.evaluate<{ scroll: number; client: number }>(
          '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
        );
        expect(widths.client, path).toBe(375);
        expect(widths.scroll, path).toBeLessThanOrEqual(widths.client);
      }
      // An empty submission of the biggest form: errors everywhere, still no horizontal scroll.
      await page.goto(`${base}/breaches/${ID}/tasks/first-picture`);
      await page.getByRole('button', { name: 'Taak afronden' }).click();
      await page.waitForLoadState();
      expect(await page.locator('#error-summary li').count()).toBeGreaterThan(3);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    });
  });

  it('keeps every word of the tables whole in a narrow window ("Ernst", not "Ern st"; "Afgerond", not "Afgeron d")', async () => {
    await withPage({ viewport: { width: 700, height: 900 } }, async (page) => {
      for (const path of ['/', `/breaches/${ID}`]) {
        await page.goto(`${base}${path}`);
        // Each word of a header, or of a cell of lekdicht's own words (a status, a phase, a time), on one line: a word
        // split over two lines has two client rects. Text people typed may break where it must.
        const split = await page.evaluate<string[]>(`(() => {
          const out = [];
          const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.parentElement.closest('table.cards th, table.cards td.words')) continue;
            const text = node.textContent;
            const re = /\\S+/g;
            for (let m = re.exec(text); m; m = re.exec(text)) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              if (range.getClientRects().length > 1) out.push(m[0]);
            }
          }
          return out;
        })()`);
        expect(await page.locator('table.cards td.words').count(), path).toBeGreaterThan(5);
        expect(split, path).toEqual([]);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth'), path).toBeLessThanOrEqual(700);
      }
    });
  });

  it('on a phone, the breach page opens with the next step, and its in-page links reach each section', async () => {
    await withPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true }, async (page) => {
      await page.goto(`${base}/breaches/${ID}`);
      expect(await page.locator('main h2').first().textContent()).toBe('Volgende stap');
      await page.locator('nav.jump a[href="#timeline"]').click();
      await expect.poll(() => page.evaluate<string>('location.hash')).toBe('#timeline');
      const top = await page.evaluate<number>("document.getElementById('timeline').getBoundingClientRect().top");
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThan(740);
    });
  });
});
