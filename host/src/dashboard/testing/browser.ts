// The browser-test harness: Debian's Chromium (installed by `make test` through
// scripts/need-debian.sh; never downloaded) driven by playwright-core, with every
// console error and page error collected, and screenshots under build/.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ASSETS_DIR, buildAssets, loadAssets, type Asset } from '../assets.ts';

export const CHROMIUM = process.env.QIOT_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve(ASSETS_DIR, '../dashboard-screenshots');

export interface OpenPage {
  page: Page;
  /** Console errors and uncaught page errors, in order. */
  errors: string[];
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: \`make test\` installs Debian's chromium (scripts/need-debian.sh chromium chromium), or set QIOT_CHROMIUM`,
    );
  }
  // --no-sandbox: the test machines run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export async function openPage(browser: Browser, url: string, viewport = { width: 1440, height: 1100 }): Promise<OpenPage> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The page bundled from the current sources (into a scratch folder, so a stale build/dashboard is never tested). */
export async function freshAssets(): Promise<Map<string, Asset>> {
  const dir = mkdtempSync(join(tmpdir(), 'qiot-dash-assets-'));
  await buildAssets(dir);
  return loadAssets(dir)!;
}
