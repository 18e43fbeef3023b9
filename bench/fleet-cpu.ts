// CPU time from /proc for the fleet bench: what each process used and what the machine had idle,
// so a figure taken on a shared machine says how much CPU it actually got.
import { readFileSync } from 'node:fs';

/** CPU seconds a process used so far (utime + stime in /proc/PID/stat), null if it cannot be read. */
export function processCpuS(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** Idle CPU seconds of the whole machine so far (/proc/stat idle + iowait), summed over cores. */
export function machineIdleS(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return (cpu[3] + cpu[4]) / 100;
}
