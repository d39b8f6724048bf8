import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../devstack/ports';
import type { TemporalTarget } from '../../devstack/temporal-server';
import { launchChromium } from '../support/browser';
import { Harness, testDataConverter } from '../support/harness';
import { HttpFixture, PASSWORD } from '../support/http';
import { CISO, FG } from '../support/people';
import { enableCodecCredentials, startTemporalWithUi } from '../support/temporal-ui';

/**
 * The promise, in the real Temporal UI: "`npm start` points the dev server's UI at [the codec endpoint],
 * so ops see decoded payloads after logging in and ciphertext otherwise." A dev server of this test's own with its
 * UI, started as `npm start` starts it (`--ui-codec-endpoint <lekdicht>/codec`), a real worker and the real HTTP
 * service on loopback, and Debian's Chromium looking at the breach's report in the UI.
 */

// In the report's summary, and nowhere else: seen on a page only if the UI decrypted the report.
const MARKER = `Spreadsheet-${process.pid}-${Date.now().toString(36)}`;
// What the UI shows of an encrypted payload it could not decode: its metadata in base64, `binary/encrypted` first.
const ENCRYPTED = `"encoding": "${Buffer.from('binary/encrypted').toString('base64')}"`;
const COULD_NOT_CONNECT = 'Codec Server could not connect';

let temporal: TemporalTarget & { uiUrl: string };
let connection: Connection | undefined;
let h: Harness;
let fx: HttpFixture;
let base: string;
let codecEndpoint: string;
let browser: Browser;
let reportUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // The UI has to know the endpoint when it starts, so the service's port is chosen first.
  const httpPort = await freePort();
  base = `http://127.0.0.1:${httpPort}`;
  codecEndpoint = `${base}/codec`;
  temporal = await startTemporalWithUi(codecEndpoint);
  connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace, dataConverter: testDataConverter() });
  h = await Harness.start({}, { temporal: { address: temporal.address, namespace: temporal.namespace, client } });
  // Only this UI's origin, as `npm start` adds the UI it started; nobody may decode by default, so the FG is named
  // as the one operator (http.codecOperators).
  expect(h.config.http.codecOperators).toEqual([]);
  fx = await HttpFixture.start(h, {
    config: (c) => ({
      ...c,
      http: { ...c.http, temporalUiOrigins: [new URL(temporal.uiUrl).origin], codecOperators: [FG] },
    }),
  });
  await fx.app.listen({ host: '127.0.0.1', port: httpPort });
  expect((fx.app.server.address() as AddressInfo).port).toBe(httpPort);
  browser = await launchChromium();

  // A breach with a report, through the signed intake as a DLP system sends it.
  const res = await fx.intake({
    source: 'dlp',
    eventId: `UI-CODEC-${process.pid}-${Date.now()}`,
    summary: `${MARKER} mailed to a private address`,
    systems: ['mail'],
  });
  expect(res.statusCode).toBeLessThan(300);
  const { breachId } = JSON.parse(res.body) as { breachId: string };
  // The breach's first events: 1 started, 2 the report signal (signal-with-start), whose input is the report.
  const { runId } = await h.client.workflow.getHandle(breachId).describe();
  reportUrl = `${temporal.uiUrl}/namespaces/${temporal.namespace}/workflows/${breachId}/${runId}/history/events/2`;
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await fx?.close();
  await h?.close();
  await connection?.close();
  await temporal?.stop();
});

/** A browser profile of its own; tall enough for the UI's codec settings panel. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
  contexts.push(context);
  return context.newPage();
}

/** Logs in to lekdicht through its login form, in the page's browser profile. */
async function logIn(page: Page, email: string): Promise<void> {
  await page.goto(`${base}/login?next=${encodeURIComponent('/api/session')}`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(`${base}/api/session`);
  expect(await page.locator('body').innerText()).toContain(`"email":"${email}"`);
}

const pageText = (page: Page) => page.locator('body').innerText();

/**
 * What someone sees when the UI could not decode: once the UI has tried the codec server and says it could not
 * connect, the report's Input is the encrypted payload (`binary/encrypted`, in base64), never the report.
 */
async function expectCiphertext(page: Page): Promise<void> {
  await page.goto(reportUrl);
  await expect.poll(() => pageText(page), { timeout: 20_000 }).toContain(COULD_NOT_CONNECT);
  await expect.poll(() => pageText(page), { timeout: 10_000 }).toContain(ENCRYPTED);
  expect(await pageText(page)).not.toContain(MARKER);
}

/** What someone sees when the UI decoded: the report's own words in its Input, no ciphertext, no codec error. */
async function expectDecoded(page: Page): Promise<void> {
  await page.goto(reportUrl);
  // Until the codec server has answered, the UI may show the payload as stored.
  await expect
    .poll(() => pageText(page), { timeout: 20_000 })
    .toContain(`"summary": "${MARKER} mailed to a private address"`);
  const text = await pageText(page);
  expect(text).not.toContain(ENCRYPTED);
  expect(text).not.toContain(COULD_NOT_CONNECT);
}

describe("the Temporal UI of `npm start`'s dev server, through the lekdicht codec endpoint", () => {
  it('not logged in, the UI shows the report as ciphertext and says the codec server could not connect', async () => {
    await expectCiphertext(await newPage());
  });

  it('the FG, an operator, only logs in to lekdicht and sees the report decoded: nothing to set up in the UI', async () => {
    // The gate in front of the dev server's UI serves the codec endpoint with credentials included.
    const settings = (await (await fetch(`${temporal.uiUrl}/api/v1/settings`)).json()) as {
      Codec: { Endpoint: string; IncludeCredentials: boolean };
    };
    expect(settings.Codec).toMatchObject({ Endpoint: codecEndpoint, IncludeCredentials: true });
    const page = await newPage();
    await logIn(page, FG);
    await expectDecoded(page);
  });

  it('a browser that is not logged in, or a person who is no operator, still sees ciphertext', async () => {
    const anonymous = await newPage();
    await expectCiphertext(anonymous);

    // The CISO, whose role once sufficed, and who is not involved in this breach in triage: not an operator.
    const ciso = await newPage();
    await logIn(ciso, CISO);
    await expectCiphertext(ciso);
    // The browser setting an operator may still choose changes nothing for them.
    await enableCodecCredentials(ciso, codecEndpoint);
    await expectCiphertext(ciso);
    expect((await fx.authStore.decodes()).every((record) => record.email === FG)).toBe(true);
  });
});
