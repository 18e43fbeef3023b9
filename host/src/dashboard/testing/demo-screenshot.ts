// Makes docs/dashboard.png: runs `scripts/demo.sh` (as `make demo` does, into a
// scratch folder), opens the dashboard URL it prints in Debian's Chromium and
// takes a screenshot while the run is being trained.
//   npx tsx host/src/dashboard/testing/demo-screenshot.ts [out.png]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO } from '../../../testing/harness.ts';
import { launchChromium, openPage } from './browser.ts';

const out = resolve(process.argv[2] ?? join(REPO, 'docs/dashboard.png'));
const demo = spawn(join(REPO, 'scripts/demo.sh'), {
  env: { ...process.env, QIOT_DEMO_OUT: mkdtempSync(join(tmpdir(), 'qiot-demo-')) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((ok, fail) => {
  createInterface({ input: demo.stdout! }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    const m = /^demo: dashboard on (\S+)/.exec(line);
    if (m) ok(m[1]);
  });
  demo.once('exit', () => fail(new Error('the demo ended without printing a dashboard URL')));
});
const browser = await launchChromium();
try {
  const { page } = await openPage(browser, url, { width: 1280, height: 900 });
  await page.waitForFunction(() => Number(document.getElementById('chart-loss')?.dataset.points) >= 40, undefined, { timeout: 60_000 });
  await page.screenshot({ path: out });
  process.stdout.write(`screenshot ${out}\n`);
} finally {
  await browser.close();
  await new Promise((r) => demo.once('exit', r));
}
