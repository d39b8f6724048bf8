import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webPages } from '../../../client/http/web-pages';
import { answers, signal } from '../../support/answers';
import { launchChromium } from '../../support/browser';
import { Harness } from '../../support/harness';
import { HttpFixture, PASSWORD } from '../../support/http';
import { CISO, FG } from '../../support/people';

/**
 * The facts form in Chromium, with the page's own script (allowed by the CSP hash): choosing a breach type where
 * the data has left hides the exfiltration question and it is not sent; a count per kind of data shows only for
 * a kind that is ticked; and what is saved is what was entered.
 */

let h: Harness;
let fx: HttpFixture;
let base: string;
let browser: Browser;
let page: Page;
let breachId: string;

beforeAll(async () => {
  h = await Harness.start();
  fx = await HttpFixture.start(h, { pages: [webPages] });
  await fx.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(fx.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  breachId = await h.report(signal());
  await h.complete(breachId, 'triage', FG, answers.triageBreach());
  page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login\?next=/);
  await page.locator('#email').fill(CISO);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(`${base}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
  await h?.close();
});

describe('the facts form in the browser', () => {
  it('stops asking exfiltration for a misdirected email, shows a count only for a ticked kind, and saves', async () => {
    await page.goto(`${base}/breaches/${breachId}/facts`);
    const exfiltration = page.locator('#a-exfiltration');
    await expect.poll(() => exfiltration.isVisible()).toBe(true);
    await page.locator('#a-breachType').selectOption('misdirected-email');
    await expect.poll(() => exfiltration.isVisible()).toBe(false);
    await expect.poll(() => page.locator('#a-recovery').isVisible()).toBe(true);

    // The counts per kind are folded away; opened, only the ticked kind has one.
    await page.locator('input[name="dataCategories"][value="special"]').check();
    await page.locator('details.group > summary', { hasText: 'Hoeveel betrokkenen per soort gegevens' }).click();
    await expect.poll(() => page.locator('#a-peoplePerCategory__special').isVisible()).toBe(true);
    expect(await page.locator('#a-peoplePerCategory__financial').isVisible()).toBe(false);

    await page.locator('#a-approxPeople').fill('15');
    await page.locator('#a-peoplePerCategory__special').fill('2');
    await page.locator('#a-recipients').selectOption('known-untrusted');
    await page.locator('#a-recipientCount').fill('3');
    await page.locator('#a-startedAt').fill('01-12-2026 09:30');
    await page.locator('form.action button[type="submit"]').click();
    await page.waitForURL(`${base}/breaches/${breachId}?saved=facts`);
    const known = (await h.view(breachId)).facts.known;
    expect(known).toMatchObject({
      breachType: 'misdirected-email',
      dataCategories: ['special'],
      approxPeople: 15,
      peoplePerCategory: { special: 2 },
      recipients: 'known-untrusted',
      recipientCount: 3,
      startedAt: '2026-12-01T08:30:00Z',
    });
    expect(known).not.toHaveProperty('exfiltration');
  });
});
