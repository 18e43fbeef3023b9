// A real board (ESP32 class) on a serial device: opened, never launched. The host
// restarts it through DTR/RTS and talks at the firmware's UART rate (realboard/).
import { REAL_BOARD } from '../realboard/limits.ts';
import type { BoardDefinition } from './board.ts';

export const serialBoard: BoardDefinition & { readonly defaultBaud: number } = {
  name: 'serial',
  describe: `a real board on a serial device (e.g. /dev/ttyUSB0), ${REAL_BOARD.baudRate} baud by default (firmware/ports/esp32)`,
  /** ESP32-class chips at 240 MHz run wasm3 a few times slower than an x86 core, and a chip
   *  restart takes ~1 s; the HIL suite's QIOT_TIME_SCALE overrides it. */
  timeScale: 5,
  /** The ESP32 port's UART driver buffers 16 KiB (QIOT_UART_RX_BUFFER): 8 chunks fit. */
  uploadWindow: 8,
  uploadCutTrials: 6,
  defaultBaud: REAL_BOARD.baudRate,
};
