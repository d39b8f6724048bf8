import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * The browser tests drive the system's Chromium (Debian's package) through playwright-core: no browser
 * download (`npx playwright install` needs a CDN the CI may not reach), the same binary CI installs with apt.
 */

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export class ChromiumMissingError extends Error {
  override readonly name = 'ChromiumMissingError';
}

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium; throws with the way to install it when it is not there. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROMIUM_PATH?.trim() || DEFAULT_CHROMIUM_PATH;
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    throw new ChromiumMissingError(
      `the browser tests need Chromium, and ${path} is not an executable file` +
        (env.CHROMIUM_PATH ? ' (from CHROMIUM_PATH)' : '') +
        '. Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this), or point CHROMIUM_PATH at a Chromium or Chrome binary. Do not use `npx playwright install`.',
    );
  }
}

/** Headless Chromium; the sandbox is off because CI runs as root, where Chromium refuses to start with it. */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const executablePath = chromiumPath(env);
  try {
    return await chromium.launch({ executablePath, headless: true, chromiumSandbox: false, timeout: 60_000 });
  } catch (err) {
    throw new ChromiumMissingError(
      `Chromium at ${executablePath} did not start: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
