// `qiot worker` ends on SIGTERM even when its broker is gone: the offline status it
// publishes while closing is never acknowledged then, and the process used to wait for
// that acknowledgement for ever (an orphaned worker left behind by every test that
// stopped its broker first).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QIOT_CLI, REPO } from '../../testing/harness.ts';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.stop();
});

it('exits 0 on SIGTERM after its broker went away', async () => {
  const worker = spawn(process.execPath, [QIOT_CLI, 'worker', '--broker', broker.url, '--threads', '1', '--id-prefix', 'gone'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
  try {
    let said = '';
    await new Promise<void>((resolve, reject) => {
      worker.stderr!.on('data', (d: Buffer) => {
        said += d.toString();
        if (said.includes('online')) resolve();
      });
      void exited.then((code) => reject(new Error(`qiot worker exited (${code}) before it was online: ${said}`)));
    });
    await broker.halt();
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    worker.kill('SIGKILL');
  }
}, 60_000);
