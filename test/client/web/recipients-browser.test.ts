import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webPages } from '../../../client/http/web-pages';
import { answers, signal } from '../../support/answers';
import { launchChromium } from '../../support/browser';
import { Harness } from '../../support/harness';
import { HttpFixture, PASSWORD } from '../../support/http';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER } from '../../support/people';

/**
 * The recipient upload in Chromium, on the real service: the file chosen is read into the form by the page's
 * own script (allowed by the CSP hash), checked row by row with a bad row shown before anything is stored, and
 * only a clean file can be confirmed.
 */

let h: Harness;
let fx: HttpFixture;
let base: string;
let browser: Browser;
let page: Page;
let breachId: string;

const csv = (text: string) => ({ name: 'betrokkenen.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

beforeAll(async () => {
  h = await Harness.start();
  fx = await HttpFixture.start(h, { pages: [webPages], recipients: h.register });
  await fx.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(fx.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  breachId = await h.report(signal());
  await h.complete(breachId, 'triage', FG, answers.triageBreach());
  await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
  await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
  await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
  await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
  await h.complete(breachId, 'notification-decision', FG, answers.decision(true, true, 'lekdicht'));
  await h.complete(breachId, 'authority-notification', FG, answers.authorityNotification());
  // The letter is written and approved before the list of people is asked for (workflows/letter-approval.ts).
  for (const [taskId, actor, answer] of answers.letterSteps(COMMS, COMMS, FG))
    await h.complete(breachId, taskId, actor, answer);
  await h.openTask(breachId, 'recipient-list');
  page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login\?next=/);
  await page.locator('#email').fill(COMMS);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(`${base}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
  await h?.close();
});

describe('uploading the people affected in the browser', () => {
  it('shows a bad row with its problem in Dutch and stores nothing; a clean file is stored on confirmation', async () => {
    // From the breach page's actions, as the communications adviser finds it.
    await page.goto(`${base}/breaches/${breachId}`);
    await page.locator('section[aria-labelledby="actions"] a', { hasText: 'Lijst van betrokkenen aanleveren' }).click();
    await page.waitForURL(`${base}/breaches/${breachId}/recipients`);

    await page
      .locator('#csv-file')
      .setInputFiles(csv('name;email;address;language\nAnna de Wit;anna@example.org;;nl\nBas Kok;bas@;;en\n'));
    // The page's script put the file into the form.
    await expect.poll(() => page.locator('#csv').inputValue()).toContain('Bas Kok;bas@');
    await page.locator('button[value="check"]').click();
    await page.waitForLoadState();

    await expect
      .poll(() => page.locator('#error-summary').textContent())
      .toContain('Regel 3: Geen geldig e-mailadres.');
    expect(await page.locator('tr.row-error').count()).toBe(1);
    expect(await page.locator('tr.row-error').textContent()).toContain('Bas Kok');
    expect(await page.locator('button[value="confirm"]').count()).toBe(0);
    expect((await h.register.recipientCounts(breachId)).total).toBe(0);

    await page
      .locator('#csv-file')
      .setInputFiles(
        csv('name;email;address;language\nAnna de Wit;anna@example.org;;nl\nBas Kok;bas@example.org;;en\n'),
      );
    await expect.poll(() => page.locator('#csv').inputValue()).toContain('bas@example.org');
    await page.locator('button[value="check"]').click();
    await page.locator('button[value="confirm"]').click();
    await page.waitForURL(
      (url) => url.pathname === `/breaches/${breachId}` && url.searchParams.get('done') === 'recipient-list',
    );
    expect(await page.locator('main .notice[role="status"]').textContent()).toMatch(/^Taak afgerond: /);
    expect((await h.register.recipientCounts(breachId)).total).toBe(2);
  });
});
