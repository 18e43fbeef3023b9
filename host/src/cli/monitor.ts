// `qiot monitor --port P [--log FILE]`: prints what a board sends on its own —
// TELEMETRY (decoded), LOG and ERROR frames, DONE — with timestamps. Ends on 'q'
// (when stdin is a terminal) or Ctrl-C.
import { appendFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DeviceClient } from '../device/client.ts';
import { parseBaud } from './port-options.ts';
import { doneStatusName, errorCodeName, LOG_LEVELS, MessageType } from '../protocol/constants.ts';
import type { Frame } from '../protocol/frame.ts';
import { decodeDone, decodeError, decodeLog, decodeTelemetryFrame } from '../protocol/responses.ts';
import { decodeTelemetry } from '../wasm/telemetry.ts';
import { EXIT } from './exit-codes.ts';

interface MonitorOptions {
  port: string;
  log?: string;
  baud?: number;
}

export function describeFrame(frame: Frame): string | null {
  switch (frame.type) {
    case MessageType.TELEMETRY: {
      const t = decodeTelemetryFrame(frame.payload);
      const r = decodeTelemetry(t.record);
      return (
        `TELEMETRY tseq ${t.tseq} step ${r.step} ${r.statusName} phase ${r.phase === 0 ? '+' : '-'} loss ${r.loss.toPrecision(6)} ` +
        `|g| ${r.gradNorm.toPrecision(4)} |Δθ| ${r.stepNorm.toPrecision(4)} shots ${r.shotsTotal} (${t.stepUs} µs)`
      );
    }
    case MessageType.LOG: {
      const l = decodeLog(frame.payload);
      return `LOG ${LOG_LEVELS[l.level] ?? `level ${l.level}`}: ${l.text}`;
    }
    case MessageType.ERROR: {
      const e = decodeError(frame.payload);
      return `ERROR ${errorCodeName(e.code)}: ${e.text}`;
    }
    case MessageType.DONE: {
      const d = decodeDone(frame.payload);
      return `DONE ${doneStatusName(d.status)} after ${d.steps} steps, shots ${d.shotsTotal}, train loss ${d.trainLoss}, test loss ${d.testLoss}, test accuracy ${d.testAccuracy}`;
    }
    default:
      return null;
  }
}

export function register(program: Command): void {
  program
    .command('monitor')
    .description('print the telemetry, log and error frames a board sends, with timestamps (q or Ctrl-C to quit)')
    .requiredOption('-p, --port <path>', 'serial port or pseudo-terminal of the board')
    .option('-l, --log <file>', 'also append every line to this file')
    .option('--baud <rate>', 'UART baud rate of a real board (pseudo-terminals ignore it)', parseBaud)
    .addHelpText('after', '\nExit codes: 0 quit, 3 board unreachable or link lost.')
    .action((opts: MonitorOptions) => monitor(opts));
}

async function monitor(opts: MonitorOptions): Promise<void> {
  // Ctrl-C (or SIGTERM) quits cleanly at any point, also while connecting.
  let quit: () => void = () => undefined;
  const quitRequested = new Promise<'quit'>((resolve) => (quit = () => resolve('quit')));
  const onSignal = () => quit();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const rawKeys = Boolean(process.stdin.isTTY);
  try {
    // Never reset the board: the point is to watch what it is doing.
    const opening = DeviceClient.open(opts.port, { baudRate: opts.baud, reset: 'none' });
    const client = await Promise.race([opening, quitRequested]);
    if (client === 'quit') {
      opening.then(
        (c) => c.close(),
        () => undefined,
      );
      return;
    }
    const emit = (text: string) => {
      const line = `${new Date().toISOString()} ${text}\n`;
      process.stdout.write(line);
      if (opts.log) appendFileSync(opts.log, line);
    };
    emit(`connected to ${client.info.boardName} (firmware ${client.info.firmwareVersion}) on ${opts.port}`);
    const unsubscribe = client.link.onFrame((frame) => {
      const text = describeFrame(frame);
      if (text) emit(text);
    });
    if (rawKeys) {
      process.stdin.setRawMode(true);
      process.stdin.resume();
      process.stdin.on('data', (key: Buffer) => {
        const c = key.toString();
        if (c === 'q' || c === 'Q' || c === '\u0003') quit();
      });
    }
    const lost = new Promise<'lost'>((resolve) => client.link.onLost(() => resolve('lost')));
    const ended = await Promise.race([quitRequested, lost]);
    unsubscribe();
    if (ended === 'lost') {
      emit(`link lost: ${client.link.closedError?.message ?? 'closed'}`);
      process.exitCode = EXIT.device;
    }
    await client.close();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (rawKeys) {
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
  }
}
