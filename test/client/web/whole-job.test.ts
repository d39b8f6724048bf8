import { mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webPages } from '../../../client/http/web-pages';
import { PRACTICE_NOTICE } from '../../../domain/practice';
import type { Task } from '../../../domain/tasks';
import { launchChromium } from '../../support/browser';
import { englishSentences, visibleText } from '../../support/english';
import { answers } from '../../support/answers';
import { Harness, eventually } from '../../support/harness';
import { HttpFixture, PASSWORD } from '../../support/http';
import type { ReceivedMail } from '../../support/mailbox';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER } from '../../support/people';
import { fillTaskForm } from '../../support/task-form-filler';

/**
 * Issue 13's "done when": one breach from the web intake form to closed, in Chromium, in practice mode, every step
 * done by the person holding its role on the page their email links to. Nobody types a URL but the reporter (who
 * opens lekdicht and chooses "report a breach"); nobody uses the CLI; the test only reads the workflow's state to
 * know when to look in the mailbox. Set SCREENSHOTS=<dir> to keep screenshots of the pages people saw.
 */

/** A sentence that only the team writes: it must never reach a letter to the people affected. */
const INTERNAL = 'INTERN-7Q medewerker Sociale Zaken mailde de lijst naar een verkeerde ontvanger';
const CONTACT = 'Klantcontactcentrum Testgemeente, 14 020, datalek@testgemeente.example';
const PEOPLE_CSV =
  'name;email;address;language\nAnna de Wit;anna.dewit@example.org;;nl\nBas Kok;bas.kok@example.net;;en\n';

let h: Harness;
let fx: HttpFixture;
let base: string;
let browser: Browser;
let breachId: string;
const contexts = new Map<string, BrowserContext>();
const shots = process.env.SCREENSHOTS;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** English sentences found on the Dutch pages and emails, by where: lekdicht's own text must be Dutch. */
const english = new Map<string, string[]>();

async function readInDutch(page: Page, where: string): Promise<void> {
  // The letter in English, shown beside the Dutch one for approval, is meant to be English.
  const html = (await page.content()).replace(/<section[^>]*lang="en"[\s\S]*?<\/section>/g, '');
  const found = englishSentences(visibleText(html));
  if (found.length > 0) english.set(where, found);
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Each person has their own browser; the first link they follow asks them to log in, then leads on. */
async function browse(email: string, url: string): Promise<Page> {
  let context = contexts.get(email);
  if (!context) {
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    contexts.set(email, context);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  if (new URL(page.url()).pathname === '/login') {
    expect(await page.locator('main, body').first().textContent()).toContain(PRACTICE_NOTICE.nl);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname === new URL(url).pathname);
  }
  // Practice is said on every page people work on.
  expect(await page.locator('.practice-banner').textContent()).toContain(PRACTICE_NOTICE.nl);
  return page;
}

/** The link in a task's email, and whom the email went to: what a person clicks. */
function taskLinks(task: Task): { to: string; link: string; mail: ReceivedMail }[] {
  const link = `${base}/breaches/${breachId}/tasks/${task.id}`;
  return h.mailbox.mails
    .filter((m) => m.text.split(/\s+/).includes(link))
    .flatMap((mail) => mail.to.map((to) => ({ to, link, mail })));
}

const view = () => h.view(breachId);

/** What each role holder enters on a task's form. */
const entries: Partial<Record<Task['kind'], () => unknown>> = {
  triage: () => ({ isPersonalDataBreach: true, reasoning: 'Lijst met cliëntgegevens naar een verkeerd adres.' }),
  'first-picture': () => ({ ...answers.firstPicture(), summary: INTERNAL }),
  containment: () => answers.containment(false),
  'containment-confirmation': () => answers.confirmContainment(true),
  impact: () => ({ ...answers.impact(), impactOnPeople: INTERNAL }),
  'notification-decision': () => answers.decision(true, true, 'lekdicht'),
  'authority-notification': () =>
    answers.authorityNotification({ notifiedAt: new Date(Date.now() - 60_000).toISOString() }),
  'contact-point': () => ({ contactPoint: CONTACT }),
  letter: () => ({
    nature: 'Een lijst met uw naam en burgerservicenummer is per ongeluk naar een verkeerde ontvanger gestuurd.',
    consequences: 'Iemand zou zich met uw gegevens als u kunnen voordoen.',
  }),
  'letter-approval': () => answers.approveLetter(),
  'organisation-interest': () => ({ outcome: 'Afgehandeld met de betrokken afdeling.' }),
  aftercare: () => ({ adviceGiven: 'Wees alert op berichten die om uw gegevens vragen.' }),
  'aftercare-follow-up': () => answers.followUp(false),
  'aftercare-close': () => ({ close: true, note: 'Geen vragen meer.' }),
  evaluation: () => ({
    lessonsLearned: 'Het adresboek vulde een extern adres aan.',
    improvementActions: [
      { description: 'Automatisch aanvullen van externe adressen uitzetten', owner: ICT, due: inDays(30) },
    ],
    approachStillCurrent: true,
  }),
  'improvement-action': () => ({ done: true, note: 'Uitgezet in de mailclient.' }),
};

/** What people type is Dutch here (the example answers are English): free text, i.e. anything with a space. */
function inDutch<T>(value: T): T {
  if (typeof value === 'string')
    return (
      value.includes(' ')
        ? value.replace(/[^]+/, (v) =>
            /\b(the|and|of|to|with|no|not)\b/i.test(v) ? 'Tekst zoals de medewerker die schreef.' : v,
          )
        : value
    ) as T;
  if (Array.isArray(value)) return value.map(inDutch) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inDutch(v)])) as T;
  return value;
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

/** The person the task's email reached does it, on the page the email links to. */
async function work(task: Task): Promise<string> {
  const [first] = await eventually(() => {
    const found = taskLinks(task);
    return found.length > 0 ? found : undefined;
  }, `an email linking to ${task.id}`);
  const { to, link, mail } = first!;
  expect(mail.subject, mail.subject).toMatch(/^\[OEFENING\] /);
  const page = await browse(to, link);
  await readInDutch(page, new URL(page.url()).pathname);
  if (task.kind === 'notification-decision') await screenshot(page, '3-decision');
  if (task.kind === 'letter-approval') await screenshot(page, '4-letter-approval');

  if (task.kind === 'recipient-list') {
    // The task's page is the upload: the file is checked row by row before anything is stored.
    expect(new URL(page.url()).pathname).toBe(`/breaches/${breachId}/recipients`);
    await page.locator('#csv').fill(PEOPLE_CSV);
    await page.locator('button[value="check"]').click();
    await page.locator('button[value="confirm"]').click();
  } else {
    const entry = entries[task.kind];
    if (!entry) throw new Error(`no entry for ${task.kind} (${task.id})`);
    await fillTaskForm(page, inDutch(entry()));
    await page.locator('form.task button[type="submit"]:not([name])').click();
  }
  await page.waitForURL((u) => u.pathname === `/breaches/${breachId}` && u.searchParams.get('done') === task.id);
  expect(await page.locator('main .notice[role="status"]').textContent()).toMatch(/^Taak afgerond: /);
  await readInDutch(page, `/breaches/${breachId} after ${task.id}`);
  return to;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // Practice mode, as `npm start` runs on its defaults; the waits between phases shortened further for the test.
  h = await Harness.start(
    { containmentRecheck: '1s', aftercareFollowUps: ['1s'], evaluationAfter: '1s' },
    { practice: true, publicUrl: base },
  );
  fx = await HttpFixture.start(h, {
    pages: [webPages],
    recipients: h.register,
    config: (c) => ({ ...c, http: { ...c.http, publicUrl: base } }),
  });
  await fx.app.listen({ host: '127.0.0.1', port });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const context of contexts.values()) await context.close();
  await browser?.close();
  await fx?.close();
  await h?.close();
});

describe('the whole job on the web, from the intake form to closed', () => {
  it('a colleague reports it, and every role holder does their step from their email', async () => {
    // A colleague (ICT, who holds no role in the breach yet) reports a phone call through the web form.
    const reporter = await browse(ICT, `${base}/`);
    await reporter.locator('nav a[href="/breaches/new"]').click();
    await reporter
      .locator('main form [name="summary"]')
      .fill('Cliëntenlijst per ongeluk naar een verkeerd e-mailadres gestuurd');
    await reporter.locator('main form [name="details"]').fill(INTERNAL);
    await reporter.locator('main form button[type="submit"]').click();
    await reporter.waitForLoadState();
    expect(await reporter.locator('main').textContent()).toContain('Melding ontvangen');

    // The FG learns of it by email: the triage task's email names the breach.
    const triageMail = await eventually(
      () => h.mailbox.to(FG).find((m) => m.purpose === 'task-assigned:triage'),
      "the FG's triage email",
    );
    breachId = /\/breaches\/(breach-[0-9a-f]+)\/tasks\/triage/.exec(triageMail.text)?.[1] ?? '';
    expect(breachId).not.toBe('');

    const workedBy: string[] = [];
    for (;;) {
      const current = await view();
      if (current.phase === 'closed') break;
      const next = current.tasks.find((t) => t.status === 'open');
      if (!next) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (next.kind === 'notification-decision') {
        const fg = await browse(FG, `${base}/`);
        await screenshot(fg, '1-dashboard');
        await fg.goto(`${base}/breaches/${breachId}`);
        await screenshot(fg, '2-breach');
      }
      const who = await work(next);
      workedBy.push(`${next.id}:${who}`);
      await eventually(
        async () => (await view()).tasks.find((t) => t.id === next.id)?.status !== 'open',
        `${next.id} done`,
      );
      if (workedBy.length > 40) throw new Error(`not closed after ${workedBy.join(', ')}`);
    }

    // Every step of the procedure was done, each by the person holding its role (the interest tasks of roles
    // nobody holds go to the FG), and the letter was approved before the list of people was asked for.
    expect([...workedBy].sort()).toEqual(
      [
        `triage:${FG}`,
        `first-picture:${CISO}`,
        `containment-1:${ICT}`,
        `containment-confirmation-1:${CISO}`,
        `impact:${PROCESS_OWNER}`,
        `notification-decision:${FG}`,
        `authority-notification:${FG}`,
        `contact-point:${COMMS}`,
        `letter:${COMMS}`,
        `letter-approval:${FG}`,
        `recipient-list:${COMMS}`,
        `interest-legal:${FG}`,
        `interest-insurance:${FG}`,
        `interest-kcc-script:${COMMS}`,
        `aftercare-follow-up-1:${PROCESS_OWNER}`,
        `aftercare-close-2:${FG}`,
        `evaluation:${FG}`,
        `improvement-1:${ICT}`,
      ].sort(),
    );
    const ids = workedBy.map((w) => w.split(':')[0]);
    expect(ids.indexOf('letter-approval')).toBeLessThan(ids.indexOf('recipient-list'));

    // The letters went to the (test) people affected, marked as practice, with the contact point and without
    // anything the team wrote for itself.
    const letters = h.mailbox.mails.filter((m) => m.to.some((to) => /@example\.(org|net)$/.test(to)));
    expect(letters.map((m) => m.to[0]).sort()).toEqual(['anna.dewit@example.org', 'bas.kok@example.net']);
    for (const letter of letters) {
      expect(letter.subject).toMatch(/^\[(OEFENING|PRACTICE)\] /);
      expect(letter.text).toContain(CONTACT);
      expect(letter.text).not.toContain('INTERN-7Q');
    }

    // Every page the people worked on, and every email to them, read in Dutch (what they typed is Dutch too).
    for (const mail of h.mailbox.mails.filter((m) => !m.to.some((to) => to.endsWith('@example.net'))))
      for (const sentence of englishSentences(`${mail.subject}\n${mail.text}`))
        english.set(`email ${mail.purpose}`, [...(english.get(`email ${mail.purpose}`) ?? []), sentence]);
    expect(Object.fromEntries(english)).toEqual({});

    // The breach page says it is closed, as the FG sees it at the end.
    const fg = await browse(FG, `${base}/breaches/${breachId}`);
    expect(await fg.locator('main').textContent()).toContain('Gesloten');
    await readInDutch(fg, 'the closed breach');
    expect(Object.fromEntries(english)).toEqual({});
    await screenshot(fg, '5-closed');
  }, 600_000);
});
