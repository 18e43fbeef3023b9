// The page in a real headless Chromium against a real fleet: the embedded broker
// (aedes, WebSocket listener), an emulated posix board behind a fleet executor,
// the dashboard server. Starts a run from the page, watches step and loss rise
// with NLR phase markers, backfills a page opened mid-run, survives a broker
// restart (banner, then recovery), and stops the board with the page's button.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReply } from '../fleet/messages.ts';
import { launchChromium, openPage, screenshot, type OpenPage } from './testing/browser.ts';
import { startFleetRig, type FleetRig } from './testing/fleet-rig.ts';
import { SYNTHETIC_NLR } from './testing/run-logs.ts';

let browser: Browser;
let rig: FleetRig;
let view: OpenPage;
const WAIT = { timeout: 45_000 };

const row = () => `#fleet-table tr[data-board="${rig.boardId}"]`;
const cell = (page: Page, col: string) => page.textContent(`${row()} td[data-col="${col}"]`);
const stepOf = async (page: Page) => Number((await cell(page, 'step'))!.replace(/,/g, ''));

async function stepAbove(page: Page, n: number): Promise<number> {
  await page.waitForFunction(
    ([sel, min]) => Number(document.querySelector(sel as string)?.textContent?.replace(/,/g, '')) > (min as number),
    [`${row()} td[data-col="step"]`, n] as const,
    WAIT,
  );
  return stepOf(page);
}

beforeAll(async () => {
  [rig, browser] = await Promise.all([startFleetRig(), launchChromium()]);
  view = await openPage(browser, rig.pageUrl);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

describe('dashboard page on a live fleet', () => {
  it('loads with no console errors and lists the emulated board with its module', async () => {
    const { page } = view;
    await page.waitForSelector(row(), WAIT);
    await page.waitForSelector('#broker-state[data-state="connected"]', WAIT);
    expect(await cell(page, 'target')).toContain('posix');
    expect(await cell(page, 'state')).toBe('idle');
    // biome-ignore lint/complexity/useLiteralKeys: bracket access reaches the Executor's private backend, which this test inspects
    const sha = (await rig.executor['backend'].identity()).moduleSha256 as string;
    expect(await page.getAttribute(`${row()} td[data-col="module"] span`, 'title')).toContain(sha);
    // The signature status comes from the board's INFO: this emulated board holds no keys.
    await page.waitForSelector(`${row()} td[data-col="module"] span[title$="signature: unsigned (open board)"]`, WAIT);
    expect(await page.textContent('#token-state')).toBe('commands enabled');
    await screenshot(page, 'live-fleet-idle');
    expect(view.errors).toEqual([]);
  });

  it('starts a run from the page; step and loss rise live, NLR phases are marked', async () => {
    const { page } = view;
    // Long enough that the stop button, several tests later, always finds it running: the
    // example's 20 M-shot budget ends after ~125 steps, which a fast board reaches first.
    const example = JSON.parse(readFileSync(SYNTHETIC_NLR, 'utf8'));
    const config = { ...example, steps: 100_000, shots: { ...example.shots, budget: 1e15 } };
    await page.click('#start-open');
    await page.fill('#start-config', JSON.stringify(config));
    await page.click('#start-submit');
    await page.waitForSelector(`${row()} td[data-col="state"][data-state="training"]`, WAIT);
    await page.click(`${row()} td[data-col="id"]`);
    const s1 = await stepAbove(page, 5);
    const loss1 = await cell(page, 'loss');
    expect(Number(loss1)).toBeGreaterThan(0);
    const s2 = await stepAbove(page, s1 + 10);
    expect(s2).toBeGreaterThan(s1);
    await page.waitForFunction(() => Number(document.getElementById('chart-loss')?.dataset.markers) > 0, undefined, WAIT);
    await page.waitForFunction((n) => Number(document.getElementById('chart-loss')?.dataset.points) >= n, s2, WAIT);
    expect(await page.textContent('#details-body pre')).toContain('"optimizer": "nlr-gated"');
    await screenshot(page, 'live-training-nlr');
    expect(view.errors).toEqual([]);
  });

  it('a page opened mid-run backfills the run from step 1, with no gap', async () => {
    const seen = await stepOf(view.page);
    const late = await openPage(browser, rig.pageUrl);
    try {
      await late.page.waitForSelector(row(), WAIT);
      await late.page.click(`${row()} td[data-col="id"]`);
      await late.page.waitForFunction((n) => Number(document.getElementById('chart-loss')?.dataset.points) >= n, seen, WAIT);
      expect(await late.page.getAttribute('#chart-loss', 'data-gaps')).toBe('0');
      expect(late.errors).toEqual([]);
    } finally {
      await late.page.close();
    }
  });

  it('shows a banner while the broker is down and recovers when it is back', async () => {
    const { page } = view;
    await rig.stopBroker();
    await page.waitForSelector('#banner:not([hidden])', WAIT);
    expect(await page.getAttribute('#broker-state', 'data-state')).toBe('lost');
    expect(await page.textContent('#banner')).toContain('Broker connection lost');
    await screenshot(page, 'live-broker-lost');
    const before = await stepOf(page);
    await rig.startBroker();
    await page.waitForSelector('#broker-state[data-state="connected"]', WAIT);
    expect(await page.isHidden('#banner')).toBe(true);
    await stepAbove(page, before + 5);
    await screenshot(page, 'live-broker-recovered');
    // The page's only errors are the browser's own reports of the refused WebSocket while the broker was down.
    expect(view.errors.filter((e) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/' failed/.test(e))).toEqual([]);
  });

  it('the stop button stops the board: it reports the run stopped and goes idle', async () => {
    const { page } = view;
    await page.click(`${row()} button.stop`);
    await page.waitForSelector(`${row()} td[data-col="state"][data-state="idle"]`, WAIT);
    // Independent of the page: the executor's final reply, as recorded from the broker, says stopped.
    const done = rig.link
      .backfill(rig.boardId)
      .map((m) => (m.topic.endsWith('/reply') ? decodeReply(Buffer.from(m.payload, 'base64')) : null))
      .find((r) => r?.stage === 'done');
    expect(done && done.stage === 'done' && 'status' in done.result && done.result.status).toBe('stopped');
    await page.waitForFunction(() => document.getElementById('details-body')?.textContent?.includes('stopped'), undefined, WAIT);
    const final = await stepOf(page);
    await page.waitForTimeout(500);
    expect(await stepOf(page)).toBe(final);
    await screenshot(page, 'live-stopped');
  });
});
