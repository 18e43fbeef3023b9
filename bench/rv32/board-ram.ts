// Heap and stack peaks of the board firmware itself, over the protocol: the
// board is launched with QEMU's monitor, takes the module and the bench's
// training config, trains, and its memory is then read through the monitor:
// the port's sbrk break (heap high-water) and how far the boot-time stack
// paint was overwritten (stack high-water).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchRv32Board } from '../../host/src/boards/rv32.ts';
import { DeviceClient } from '../../host/src/device/client.ts';
import { DEFAULT_ABI_CONFIG, encodeAbiConfig, type AbiConfig } from '../../host/src/wasm/config-codec.ts';
import { QemuMonitor } from './qemu-monitor.ts';

/** system.c's paint word. */
const STACK_PAINT = 0x5a17c0de;

export interface BoardRam {
  heapPeak: number;
  stackPeak: number;
  stepsTrained: number;
}

/** firmware/ports/rv32/bench_config.c restated for the protocol's CONFIG (hea, local cost, SGD, exact shift). */
export function benchAbiConfig(qubits: number, layers: number, paramInit = 0): AbiConfig {
  return {
    ...DEFAULT_ABI_CONFIG,
    qubits,
    layers,
    gradient: 0,
    nlrPeriod: 2,
    nlrPatience: 1,
    nlrRatio: 1,
    nlrProb: 0.5,
    lr: 0.1,
    paramInit,
  };
}

function symbols(elf: string): Map<string, number> {
  const table = new Map<string, number>();
  for (const line of execFileSync('riscv64-unknown-elf-nm', [elf], { encoding: 'utf8' }).split('\n')) {
    const [address, , name] = line.trim().split(/\s+/);
    if (name) table.set(name, parseInt(address, 16));
  }
  return table;
}

function symbol(table: Map<string, number>, name: string, elf: string): number {
  const address = table.get(name);
  if (address === undefined) throw new Error(`${elf} has no symbol ${name}`);
  return address;
}

export async function measureBoardRam(elf: string, modulePath: string, qubits: number, layers: number, steps = 1): Promise<BoardRam> {
  const table = symbols(elf);
  const heapStart = symbol(table, '__heap_start', elf);
  const heapBreak = symbol(table, 'heap_break', elf);
  const stackBottom = symbol(table, '__heap_end', elf);
  const stackTop = symbol(table, '__stack', elf);
  const scratch = mkdtempSync(join(tmpdir(), 'qiot-rv32-ram-'));
  const monitorSocket = join(scratch, 'monitor.sock');
  const board = await launchRv32Board({ flashImage: join(scratch, 'store.img'), monitorSocket });
  let client: DeviceClient | undefined;
  let monitor: QemuMonitor | undefined;
  try {
    client = await DeviceClient.open(board.port);
    const upload = await client.upload(new Uint8Array(readFileSync(modulePath)));
    if (!upload.committed) throw new Error(`the board did not commit ${modulePath}`);
    await client.configure(encodeAbiConfig(benchAbiConfig(qubits, layers)), new Uint8Array());
    const run = await client.train(steps, { onTelemetry: () => undefined });
    const end = await run.done;
    if (end.status !== 0 || end.errors.length > 0) {
      throw new Error(`training on the board ended with status ${end.status}: ${end.errors.join('; ')}`);
    }
    monitor = await QemuMonitor.connect(monitorSocket);
    const [heapEnd] = await monitor.readWords(heapBreak, 1);
    const stack = await monitor.readWords(stackBottom, (stackTop - stackBottom) / 4);
    const untouched = stack.findIndex((word) => word !== STACK_PAINT);
    return {
      heapPeak: heapEnd - heapStart,
      stackPeak: untouched < 0 ? 0 : (stack.length - untouched) * 4,
      stepsTrained: end.steps,
    };
  } finally {
    monitor?.close();
    await client?.close().catch(() => undefined);
    await board.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
