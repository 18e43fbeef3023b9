// Every limit of the real-board flow, in one place, with the reason for each.

export const REAL_BOARD = {
  /** The firmware's UART rate: CONFIG_QIOT_UART_BAUD's default in
   *  firmware/ports/esp32/main/Kconfig.projbuild. */
  baudRate: 921_600,
  /** `qiot ports --probe`: a running board answers HELLO within one poll interval (200 ms) plus a
   *  step slice (20 ms); 2 s leaves room for a loaded host while keeping a probe of many ports short. */
  probeTimeoutMs: 2_000,
} as const;

export const RESET = {
  /** EN held low this long: esptool's HardReset sleeps 0.1 s (esptool/reset.py, v5.1.0). */
  holdMs: 100,
} as const;

export const BOOT_TEXT = {
  /** Printable bytes kept from what a board sent outside frames: enough for the ESP ROM's
   *  boot banner and a bootloader error line, small enough to quote in an error message. */
  keepBytes: 2048,
  /** Shortest run of printable characters worth keeping; shorter runs are line noise
   *  (ROM text seen at the wrong baud rate decodes to scattered printable bytes). */
  minRun: 4,
} as const;

export const ESPTOOL = {
  /** Pinned esptool release from PyPI (checked: `pip index versions esptool`, 2026-11). */
  version: '5.1.0',
  /** Virtual environment created on demand, relative to the repository's build directory. */
  venvDir: 'esptool-venv',
  /** Flashing baud rate: idf.py's default (ESPBAUD=460800), which every common USB-UART
   *  bridge sustains; esptool's RAM flasher program switches to it after syncing at 115200. */
  flashBaud: 460_800,
  /** pip install can take a while on a slow link; beyond this something is wrong. */
  installTimeoutMs: 300_000,
} as const;
