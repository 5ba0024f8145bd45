// Headless Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by
// playwright-core (never a downloaded browser), a fresh profile per browser, no background
// traffic. scripts/test.sh installs the `chromium` package when it is missing.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface Chromium {
  page: Page;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (scripts/test.sh does)`);
  const profile = mkdtempSync(join(tmpdir(), 'latchkey-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(30_000);
  return {
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * At the test provider's pages: type a login name, consent if asked, until the page shows a
 * result (#result: the CLI's callback page; #done: Latchkey's device page). A provider session
 * from an earlier sign-in in this browser skips the login form.
 */
export async function signInAtTestIdp(page: Page, login: string): Promise<void> {
  const form = page.locator('input[name="login"]');
  const consent = page.locator('input[name="prompt"][value="consent"]');
  const done = page.locator('#result, #done');
  for (let step = 0; step < 4; step++) {
    await form.or(consent).or(done).first().waitFor({ state: 'attached' });
    if (await done.count()) return;
    const acted = (await form.count()) ? form : consent;
    if (acted === form) {
      await form.fill(login);
      await page.locator('input[name="password"]').fill('any password');
    }
    await page.locator('button[type="submit"]').click();
    await acted.waitFor({ state: 'detached' });
  }
  throw new Error(`the sign-in at the provider did not finish; the page is at ${page.url()}`);
}
