// Restarting an ESP32 board through the USB-UART bridge's DTR/RTS lines, the way
// esptool's HardReset (`--after hard-reset`) does, so the firmware boots from flash.
//
// Dev boards wire the two lines through a pair of transistors: RTS asserted alone
// pulls EN (chip enable) low, DTR asserted alone pulls GPIO0 (boot mode) low, and
// both equal leave both pins high. esptool's ClassicReset also pulses DTR while EN
// rises, which selects the ROM download mode — right for flashing, wrong for
// talking to the firmware. HardReset keeps DTR de-asserted, so GPIO0 stays high and
// the chip boots the app.
import { RESET } from './limits.ts';

export type ResetMode = 'esptool' | 'none';

export interface LineLevels {
  dtr: boolean;
  rts: boolean;
}

/** The only thing a reset needs from a port: setting both modem lines at once. */
export interface ModemLines {
  set(levels: LineLevels): Promise<void>;
}

export type ResetStep = { lines: LineLevels } | { waitMs: number };

/** esptool HardReset (esptool/reset.py): RTS high (EN low), 100 ms, RTS low — with DTR
 *  de-asserted throughout, as esptool leaves it after connecting. Both lines are always set
 *  together: serialport's set() would otherwise assert the one left out. */
export const ESPTOOL_HARD_RESET: readonly ResetStep[] = [
  { lines: { dtr: false, rts: true } },
  { waitMs: RESET.holdMs },
  { lines: { dtr: false, rts: false } },
];

export type ResetOutcome = { reset: true } | { reset: false; reason: string };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Errors a port gives when it has no modem lines at all: pseudo-terminals (the emulated
 *  boards) answer ENOTTY, some USB CDC drivers EINVAL. esptool treats them the same way:
 *  warn, do not reset, carry on. */
function isNoModemLines(err: Error): boolean {
  return /Inappropriate ioctl|ENOTTY|EINVAL|Invalid argument/i.test(err.message);
}

export async function runResetSequence(
  lines: ModemLines,
  steps: readonly ResetStep[] = ESPTOOL_HARD_RESET,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<ResetOutcome> {
  for (const step of steps) {
    if ('waitMs' in step) {
      await wait(step.waitMs);
      continue;
    }
    try {
      await lines.set(step.lines);
    } catch (err) {
      const error = err as Error;
      if (isNoModemLines(error)) {
        return { reset: false, reason: `the port has no DTR/RTS lines (${error.message})` };
      }
      throw new Error(`resetting the board through DTR/RTS failed: ${error.message}`);
    }
  }
  return { reset: true };
}

/** Anything with serialport's callback-style set(), e.g. SerialPort or SerialPortMock. */
interface CallbackSetPort {
  set(options: { dtr?: boolean; rts?: boolean }, callback?: (err: Error | null) => void): unknown;
}

export function serialPortLines(port: CallbackSetPort): ModemLines {
  return {
    set: (levels) =>
      new Promise<void>((resolve, reject) => {
        port.set({ dtr: levels.dtr, rts: levels.rts }, (err) => (err ? reject(err) : resolve()));
      }),
  };
}
