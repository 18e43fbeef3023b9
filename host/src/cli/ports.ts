// `qiot ports`: serial ports serialport can enumerate, plus pseudo-terminals
// (emulated boards). Enumeration needs udevadm on Linux; without it the error is
// explained and the pseudo-terminals are still listed.
import { readdirSync } from 'node:fs';
import type { Command } from 'commander';
import { SerialPort } from 'serialport';

interface PortsOptions {
  json?: boolean;
}

export interface PortListing {
  serial: { path: string; manufacturer?: string; serialNumber?: string; vendorId?: string; productId?: string }[];
  pseudoTerminals: string[];
  /** Why serial enumeration failed, if it did. */
  enumerationError: string | null;
}

export async function listPorts(): Promise<PortListing> {
  let serial: PortListing['serial'] = [];
  let enumerationError: string | null = null;
  try {
    serial = (await SerialPort.list()).map(({ path, manufacturer, serialNumber, vendorId, productId }) => ({
      path,
      manufacturer,
      serialNumber,
      vendorId,
      productId,
    }));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    enumerationError =
      e.code === 'ENOENT'
        ? 'serial port enumeration needs udevadm (package udev), which is not installed; real ports can still be opened by path'
        : `serial port enumeration failed: ${e.message}`;
  }
  return { serial, pseudoTerminals: pseudoTerminals(), enumerationError };
}

function pseudoTerminals(): string[] {
  try {
    return readdirSync('/dev/pts')
      .filter((n) => /^\d+$/.test(n))
      .sort((a, b) => Number(a) - Number(b))
      .map((n) => `/dev/pts/${n}`);
  } catch {
    return [];
  }
}

export function register(program: Command): void {
  program
    .command('ports')
    .description('list serial ports and pseudo-terminals (emulated boards) to pass as --port')
    .option('--json', 'print one JSON object')
    .action(async (opts: PortsOptions) => {
      const listing = await listPorts();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(listing)}\n`);
        return;
      }
      if (listing.enumerationError) process.stderr.write(`qiot: ${listing.enumerationError}\n`);
      for (const p of listing.serial) {
        const details = [p.manufacturer, p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : undefined].filter(Boolean);
        process.stdout.write(`${p.path}${details.length > 0 ? `  ${details.join(' ')}` : ''}\n`);
      }
      for (const p of listing.pseudoTerminals) process.stdout.write(`${p}  (pseudo-terminal: an emulated board, or any terminal)\n`);
      if (listing.serial.length === 0 && listing.pseudoTerminals.length === 0) process.stdout.write('no ports found\n');
    });
}
