// Limits of the board launchers, in one place, with the reason for each.

export const POSIX = {
  /** The posix board prints its PORT line right after opening the PTY; allow for a loaded machine. */
  startTimeoutMs: 10_000,
  /** The board exits at once on SIGTERM; SIGKILL after this in case it hangs. */
  stopTimeoutMs: 3_000,
} as const;

export const RV32 = {
  /** QEMU virt's pflash units are fixed at 32 MiB; QEMU refuses an image of any other size. */
  flashImageBytes: 32 * 1024 * 1024,
  /** QEMU prints the pty path right after start-up; a loaded 2-core machine still does it in well under a second. */
  startTimeoutMs: 10_000,
  /** After SIGTERM QEMU exits at once; SIGKILL after this in case it hangs. */
  stopTimeoutMs: 3_000,
  /** DRAM of the virt machine. The firmware only uses its 4 MiB "flash" + 320 KiB RAM windows, but QEMU puts the device tree at the top of DRAM aligned down to 16 MiB, so DRAM must be well above 16 MiB or the tree lands on the firmware. */
  machineMemory: '128M',
} as const;
