import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webPages } from '../../../client/http/web-pages';
import { renderDataSubjectLetter } from '../../../domain/letters';
import { launchChromium } from '../../support/browser';
import { answers, signal } from '../../support/answers';
import { Harness, eventually } from '../../support/harness';
import { HttpFixture, PASSWORD } from '../../support/http';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER } from '../../support/people';
import { fillTaskForm } from '../../support/task-form-filler';

/**
 * The art. 34 letter on the web, in Chromium against the real service: the KCC sets up the contact point,
 * communications writes the letter from its starting texts and previews it without completing, and the FG sees
 * the letter exactly as it goes out (Dutch and English) before approving it.
 */

const INTERNAL = 'Medewerker Sociale Zaken mailde het Excel-bestand INTERN-9Z';
const CONTACT = 'KCC Testgemeente, 14 020, datalek@testgemeente.example';
let h: Harness;
let fx: HttpFixture;
let base: string;
let browser: Browser;
let breachId: string;
const contexts: BrowserContext[] = [];

async function as(email: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login\?next=/);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(`${base}/`);
  return page;
}

async function openTaskPage(page: Page, taskId: string): Promise<void> {
  await eventually(async () => {
    const res = await page.goto(`${base}/breaches/${breachId}/tasks/${taskId}`);
    return res?.status() === 200 && (await page.locator('form.task').count()) === 1;
  }, `the form of ${taskId}`);
}

const submit = (page: Page) => page.locator('form.task button[type="submit"]:not([name])').click();
const taskStatus = async (taskId: string) => (await h.view(breachId)).tasks.find((t) => t.id === taskId)?.status;

beforeAll(async () => {
  h = await Harness.start();
  fx = await HttpFixture.start(h, { pages: [webPages] });
  await fx.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(fx.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  breachId = await h.report(signal({ summary: INTERNAL }));
  await h.complete(breachId, 'triage', FG, answers.triageBreach());
  await h.complete(breachId, 'first-picture', CISO, { ...answers.firstPicture(), summary: INTERNAL });
  await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
  await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
  await h.complete(breachId, 'impact', PROCESS_OWNER, { ...answers.impact(), impactOnPeople: INTERNAL });
  await h.complete(breachId, 'notification-decision', FG, answers.decision(true, true, 'lekdicht'));
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await fx?.close();
  await h?.close();
});

describe('the letter to the people affected, written, previewed and approved on the web', () => {
  it('the KCC sets up the contact point on its page', async () => {
    const kcc = await as(COMMS);
    await openTaskPage(kcc, 'contact-point');
    await fillTaskForm(kcc, { contactPoint: CONTACT });
    await submit(kcc);
    await kcc.waitForURL((url) => url.searchParams.get('done') === 'contact-point');
  });

  it('communications starts from advice for the kinds of data, never from the internal texts, and previews without completing', async () => {
    const comms = await as(COMMS);
    await openTaskPage(comms, 'letter');
    expect(await comms.locator('main').textContent()).not.toContain('INTERN-9Z');
    expect(await comms.locator('#f-advice').inputValue()).toContain('Centraal Meldpunt Identiteitsfraude');
    expect(await comms.locator('#f-measures').inputValue()).toMatch(/^Wij hebben het lek gedicht/);
    expect(await comms.locator('#f-nature').inputValue()).toBe('');

    await comms.locator('#f-nature').fill('Een brief met uw gegevens is naar een verkeerd adres gestuurd.');
    await comms.locator('#f-consequences').fill('Iemand anders heeft uw naam en BSN kunnen zien.');
    await comms.locator('form.task button[name="_intent"][value="preview"]').click();
    await comms.waitForLoadState();
    const preview = comms.locator('#letter-preview');
    expect(await preview.locator('section[lang="nl"] pre.letter').textContent()).toContain(
      'Een brief met uw gegevens is naar een verkeerd adres gestuurd.',
    );
    expect(await preview.locator('section[lang="nl"] pre.letter').textContent()).toContain(CONTACT);
    expect(await preview.locator('section[lang="en"] pre.letter').textContent()).toContain('Dear Sir or Madam,');
    expect(await taskStatus('letter')).toBe('open');
    // What was entered stays in the form; completing it puts it to the FG.
    expect(await comms.locator('#f-consequences').inputValue()).toBe('Iemand anders heeft uw naam en BSN kunnen zien.');
    await submit(comms);
    await comms.waitForURL((url) => url.searchParams.get('done') === 'letter');
  });

  it('the FG sees the letter exactly as it goes out, must say why when sending it back, and approves it', async () => {
    const fg = await as(FG);
    await openTaskPage(fg, 'letter-approval');
    const view = await h.view(breachId);
    const draft = view.facts.letter!.draft!;
    const shown = fg.locator('#letter-to-approve');
    expect(await shown.locator('section[lang="nl"] pre.letter').textContent()).toBe(
      renderDataSubjectLetter(draft, 'nl').text,
    );
    expect(await shown.locator('section[lang="en"] pre.letter').textContent()).toBe(
      renderDataSubjectLetter(draft, 'en').text,
    );
    expect(await shown.textContent()).toContain(COMMS);
    expect(await shown.textContent()).not.toContain('INTERN-9Z');

    await fillTaskForm(fg, { approved: false });
    await submit(fg);
    await fg.waitForLoadState();
    expect(await fg.locator('#f-remarks-error').textContent()).toContain('Verplicht als u de brief terugstuurt');
    expect(await taskStatus('letter-approval')).toBe('open');

    await fillTaskForm(fg, { approved: true });
    await submit(fg);
    await fg.waitForURL((url) => url.searchParams.get('done') === 'letter-approval');
    await h.openTask(breachId, 'recipient-list');
    expect((await h.view(breachId)).facts.letter).toMatchObject({ approvedBy: FG, writtenBy: COMMS });
  });
});
