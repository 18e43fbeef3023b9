// Entry of every pool worker: registers tsx (so the handler may be TypeScript), imports the
// handler module named in workerData once, and answers { id, task } messages with its handle().
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { handle } = await import(workerData.handlerModule);
if (typeof handle !== 'function') throw new TypeError(`${workerData.handlerModule} does not export handle(task)`);
parentPort.on('message', async ({ id, task }) => {
  try {
    parentPort.postMessage({ id, ok: true, result: await handle(task) });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
