// What a real board prints outside the protocol while it boots: the ESP ROM banner
// (at 115200 baud, so garbage at other rates), bootloader messages, crash reports.
// Frames are 0x00-delimited COBS, so the frame decoder already drops or rejects
// these bytes; this log keeps their readable part so that a board that never
// answers can be diagnosed from what it did say.
import { BOOT_TEXT } from './limits.ts';

const isPrintable = (b: number) => (b >= 0x20 && b <= 0x7e) || b === 0x09;
const isLineBreak = (b: number) => b === 0x0a || b === 0x0d;

export class BootTextLog {
  private kept = '';
  private run = '';

  constructor(
    private readonly keepChars: number = BOOT_TEXT.keepBytes,
    private readonly minRun: number = BOOT_TEXT.minRun,
  ) {}

  push(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (isPrintable(byte)) {
        this.run += String.fromCharCode(byte);
      } else {
        this.endRun(isLineBreak(byte) ? '\n' : ' ');
      }
    }
  }

  /** The readable text seen so far (the most recent keepChars characters). */
  text(): string {
    return (this.kept + (this.run.length >= this.minRun ? this.run : '')).trim();
  }

  /** The last few lines, for quoting in an error message. */
  tail(lines = 4): string {
    return this.text()
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(-lines)
      .join(' | ');
  }

  private endRun(separator: string): void {
    if (this.run.length >= this.minRun) this.kept += this.run;
    this.run = '';
    if (separator === '\n' && this.kept !== '' && !this.kept.endsWith('\n')) this.kept += '\n';
    if (this.kept.length > this.keepChars) this.kept = this.kept.slice(-this.keepChars);
  }
}

/** Known ESP ROM / bootloader messages and what the user should do about them. */
const DIAGNOSES: ReadonlyArray<{ pattern: RegExp; hint: string }> = [
  {
    pattern: /waiting for download/i,
    hint: 'the chip is in ROM download mode (GPIO0/BOOT was low at reset): release the BOOT button and reset the board, or connect without --no-reset',
  },
  {
    pattern: /invalid header: 0xffffffff|Invalid image block|No bootable app partitions/i,
    hint: 'there is no valid firmware in flash: build it with idf.py and write it with `qiot flash-firmware` (docs/boards.md)',
  },
  {
    pattern: /Brownout detector was triggered/i,
    hint: 'the board browns out at boot: use another USB cable or port, or a stronger power supply',
  },
  {
    // firmware/ports/esp32/main/app_main.c: the qiot task could not be created.
    pattern: /qiot: cannot start: no memory/,
    hint: 'the firmware has too little free RAM for its task: lower CONFIG_QIOT_TASK_STACK_BYTES (idf.py menuconfig → qiot) and rebuild',
  },
  {
    pattern: /Guru Meditation|abort\(\) was called|Backtrace:/i,
    hint: 'the firmware crashed while booting (the text above is its panic report)',
  },
];

export function diagnoseBootText(text: string): string | null {
  for (const { pattern, hint } of DIAGNOSES) if (pattern.test(text)) return hint;
  return null;
}

/** One sentence for a connect failure: what the board printed and, if recognised, what to do. */
export function describeBootText(log: BootTextLog): string {
  const text = log.text();
  if (text === '') return 'the board sent nothing readable';
  const hint = diagnoseBootText(text);
  return `the board printed "${log.tail()}"${hint ? `; ${hint}` : ''}`;
}
