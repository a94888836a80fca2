import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { onTestFinished } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it): no browser is downloaded. */
export const CHROMIUM = process.env.MARVELO_CHROMIUM ?? '/usr/bin/chromium';
export const NO_CHROMIUM = existsSync(CHROMIUM) ? undefined : `skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;

/** Where the browser tests save their screenshots (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'web');

/** A headless Chromium, closed when the test ends. */
export async function openBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // --no-sandbox: the tests may run as root (CI), where Chromium's sandbox cannot start
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  onTestFinished(() => browser.close());
  return browser;
}

/** The address the CLI printed for its web view, and its parts. */
export function viewAddress(url: string): { url: string; origin: string; token: string } {
  const u = new URL(url);
  return { url, origin: u.origin, token: u.pathname.split('/')[1]! };
}
