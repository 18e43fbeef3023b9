// The page in a real headless Chromium, on run logs alone (no broker): it loads
// with no console errors, lists the logs, plots a selected run with its NLR
// negative-phase markers, shows its config and summary, overlays runs, and
// groups a sweep folder by optimizer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunLog } from '../runlog/reader.ts';
import { startDashboard, type Dashboard } from './server.ts';
import { freshAssets, launchChromium, openPage, screenshot, type OpenPage } from './testing/browser.ts';
import { writeSimLogs } from './testing/run-logs.ts';

let browser: Browser;
let dash: Dashboard;
let runsDir: string;
let view: OpenPage;

beforeAll(async () => {
  runsDir = mkdtempSync(join(tmpdir(), 'qiot-dash-page-'));
  await writeSimLogs(runsDir, {
    'iris-like-nlr': { steps: 60 },
    'sweep/nlr-s1': { steps: 30, seed: 1 },
    'sweep/nlr-s2': { steps: 30, seed: 2 },
    'sweep/sgd-s1': { steps: 30, seed: 1, optimizer: 'sgd' },
    'sweep/sgd-s2': { steps: 30, seed: 2, optimizer: 'sgd' },
  });
  const [assets, b] = await Promise.all([freshAssets(), launchChromium()]);
  browser = b;
  dash = await startDashboard({
    assets,
    runsDir,
    info: { version: 'test', broker: null, runsDir: 'runs' },
    commands: null,
    backfill: null,
    port: 0,
  });
  view = await openPage(browser, dash.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
});

describe('dashboard page on run logs', () => {
  it('loads with no console errors and lists every run log', async () => {
    const { page } = view;
    await page.waitForSelector('#runs-list li[data-run]');
    const ids = await page.$$eval('#runs-list li[data-run]', (lis) => lis.map((li) => (li as HTMLElement).dataset.run));
    expect(ids.sort()).toEqual([
      'iris-like-nlr.jsonl',
      'sweep/nlr-s1.jsonl',
      'sweep/nlr-s2.jsonl',
      'sweep/sgd-s1.jsonl',
      'sweep/sgd-s2.jsonl',
    ]);
    expect(await page.textContent('#broker-state')).toBe('no broker');
    expect(view.errors).toEqual([]);
  });

  it('plots a selected run with one marker per negative-phase step, and shows its config and summary', async () => {
    const { page } = view;
    const log = readRunLog(join(runsDir, 'iris-like-nlr.jsonl'));
    const negatives = log.steps.filter((s) => s.phase === '-').length;
    expect(negatives).toBeGreaterThan(0);
    await page.click('#runs-list li[data-run="iris-like-nlr.jsonl"]');
    await page.waitForSelector(`#chart-loss[data-points="${log.steps.length}"]`);
    expect(await page.getAttribute('#chart-loss', 'data-markers')).toBe(String(negatives));
    expect(await page.textContent('#details-body pre')).toContain('"name": "nlr"');
    expect(await page.textContent('#details-body')).toContain(`${log.summary!.steps}`);
    expect(await page.$$eval('#chart-loss canvas', (c) => c.length)).toBe(1);
    await screenshot(page, 'run-log-nlr');
  });

  it('overlays several runs and groups a sweep folder by optimizer (median and band)', async () => {
    const { page } = view;
    await page.click('#runs-list li[data-run="sweep/sgd-s1.jsonl"]');
    await page.waitForSelector('#chart-loss[data-runs="2"]');
    await page.selectOption('#sweep-source', 'dir:sweep');
    await page.waitForFunction(() => document.getElementById('sweep-note')?.textContent?.startsWith('4 runs'));
    expect(await page.getAttribute('#chart-sweep', 'data-groups')).toBe('2');
    await screenshot(page, 'run-logs-overlay-sweep');
    expect(view.errors).toEqual([]);
  });
});
