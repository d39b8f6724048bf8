import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { provisionTemporal, type TemporalTarget } from '../../devstack/temporal-server';

/**
 * A Temporal dev server of a test's own WITH its web UI (the run's shared server is headless), in memory, on
 * free ports, its UI pointed at a remote codec endpoint the way `npm start` does it (`--ui-codec-endpoint`).
 */
export async function startTemporalWithUi(uiCodecEndpoint: string): Promise<TemporalTarget & { uiUrl: string }> {
  // The test's own server, even if the developer's shell points TEMPORAL_ADDRESS elsewhere.
  const env = { ...process.env };
  delete env.TEMPORAL_ADDRESS;
  const target = await provisionTemporal({
    env,
    port: 0,
    uiPort: 0,
    dbFile: null,
    dataDir: mkdtempSync(join(tmpdir(), 'lekdicht-temporal-ui-')),
    uiCodecEndpoint,
  });
  if (!target.uiUrl) {
    await target.stop();
    throw new Error('the Temporal dev server was started with a UI port but reports no UI URL');
  }
  return { ...target, uiUrl: target.uiUrl };
}

/**
 * What an operator does once in the Temporal UI (2.42.x, the one in Temporal CLI 1.5.1), as docs/security.md
 * describes it: open "Configure Codec Server" (the codec icon in the top bar), choose "Use my browser setting and
 * ignore Cluster-level setting", enter the endpoint, tick "Include cross-origin credentials", Apply. The UI
 * keeps these in the browser's localStorage (`endpoint`, `includeCredentials`, `overrideRemoteCodecConfiguration`,
 * temporalio/ui src/lib/stores/data-encoder-config.ts); this clicks the UI's own controls rather than writing them.
 */
export async function enableCodecCredentials(page: Page, endpoint: string): Promise<void> {
  // The icon's test id depends on the codec status: configured, error or success.
  await page.locator('[data-testid^="data-encoder-status"]').first().click();
  await page.getByTestId('data-encoder-title').waitFor();
  await page.getByTestId('override-accordion').click();
  await page.getByTestId('use-local-endpoint-input').click();
  // Folded again (as the UI's own tests do): open, the accordion pushes the toggles below the panel's fixed
  // height, under the top bar, where they cannot be clicked.
  await page.getByRole('button', { name: 'Use my browser setting and ignore Cluster-level setting.' }).click();
  await page.locator('#data-encoder-endpoint-input').fill(endpoint);
  await page.locator('label').filter({ hasText: 'Include cross-origin credentials' }).click();
  await page.getByTestId('data-encoder-cross-origin-credentials').waitFor();
  await page.getByTestId('confirm-data-encoder-button').click();
  await page.getByTestId('data-encoder-title').waitFor({ state: 'detached' });
}
