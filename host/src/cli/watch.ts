// `qiot flash --monitor` / `qiot train --monitor`: after the command's work, stay on the
// board and print what it sends on its own (monitor's frame lines) until Ctrl-C or q.
import type { DeviceClient } from '../device/client.ts';
import { describeFrame } from './monitor.ts';

export const MONITOR_OPTION_HELP = 'afterwards stay attached and print the board’s telemetry, log and error frames (Ctrl-C or q ends)';

/** Prints the board's frames with timestamps until Ctrl-C/SIGTERM/q ('quit') or the link is lost ('lost'). */
export async function watchBoard(client: DeviceClient, port: string): Promise<'quit' | 'lost'> {
  const emit = (text: string) => process.stdout.write(`${new Date().toISOString()} ${text}\n`);
  emit(`monitoring ${client.info.boardName} on ${port} (Ctrl-C or q to quit)`);
  const unsubscribe = client.link.onFrame((frame) => {
    const text = describeFrame(frame);
    if (text) emit(text);
  });
  const rawKeys = Boolean(process.stdin.isTTY);
  let onKey: ((key: Buffer) => void) | undefined;
  let onSignal: (() => void) | undefined;
  try {
    return await new Promise<'quit' | 'lost'>((resolve) => {
      onSignal = () => resolve('quit');
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      client.link.onLost((err) => {
        emit(`link lost: ${err.message}`);
        resolve('lost');
      });
      if (rawKeys) {
        onKey = (key) => {
          const c = key.toString();
          if (c === 'q' || c === 'Q' || c === '\u0003') resolve('quit');
        };
        process.stdin.setRawMode(true);
        process.stdin.resume();
        process.stdin.on('data', onKey);
      }
    });
  } finally {
    unsubscribe();
    if (onSignal) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (rawKeys && onKey) {
      process.stdin.off('data', onKey);
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
  }
}
