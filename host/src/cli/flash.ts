// `qiot flash MODULE.wasm --port P`: uploads a module to the board's inactive
// slot (windowed, resumable), which the board activates only after checking its
// sha256, parsing it and checking its ABI version.
import { readFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { DeviceClient } from '../device/client.ts';
import { addPortOptions, boardPortOptions, type PortOptionValues } from '../realboard/port-options.ts';
import { deviceAction } from '../device/cli-errors.ts';
import { DeviceError } from '../device/errors.ts';
import { sha256 } from '../device/upload.ts';
import { CliError, EXIT } from './exit-codes.ts';

interface FlashOptions extends PortOptionValues {
  port: string;
  json?: boolean;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

async function readModule(path: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `module ${path} not found (build it with \`make runtime\`)` : `cannot read ${path}: ${(err as Error).message}`, EXIT.usage);
  }
  if (!WASM_MAGIC.every((b, i) => bytes[i] === b)) throw new CliError(`${path} is not a WebAssembly module (no \\0asm header)`, EXIT.usage);
  return new Uint8Array(bytes);
}

export function register(program: Command): void {
  addPortOptions(program.command('flash'))
    .description('upload a module (e.g. build/qiot.wasm) to a board; it becomes active only once verified')
    .argument('<module>', 'WebAssembly module file')
    .requiredOption('-p, --port <path>', 'serial port or pseudo-terminal of the board')
    .option('--json', 'print the result as one JSON object (no progress bar)')
    .addHelpText('after', '\nExit codes: 0 flashed, 1 the board refused the module (the previous one stays active), 2 bad file, 3 board unreachable.')
    .action((modulePath: string, opts: FlashOptions) =>
      deviceAction(async () => {
        const module = await readModule(modulePath);
        const digest = Buffer.from(sha256(module)).toString('hex');
        const client = await DeviceClient.open(opts.port, boardPortOptions(opts));
        const bar = !opts.json && process.stderr.isTTY ? new SingleBar({ stream: process.stderr, format: 'flash {bar} {value}/{total} B', hideCursor: true, clearOnComplete: true }) : null;
        const started = performance.now();
        try {
          bar?.start(module.length, 0);
          const result = await client.upload(module, { onProgress: (acknowledged) => bar?.update(acknowledged) });
          bar?.stop();
          const active = Buffer.from(client.info.moduleSha256).toString('hex');
          if (active !== digest) throw new DeviceError(`after the upload the board reports module sha256 ${active}, expected ${digest}`);
          const seconds = (performance.now() - started) / 1000;
          const summary = {
            module: modulePath,
            size: module.length,
            sha256: digest,
            active_slot: result.activeSlot,
            resumed_from: result.resumedFrom,
            resumes: result.resumes,
            seconds,
            board: client.info.boardName,
            port: opts.port,
          };
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(summary)}\n`
              : `flashed ${modulePath} (${module.length} B, sha256 ${digest}) to ${client.info.boardName} on ${opts.port}: slot ${result.activeSlot} active` +
                  `${result.resumedFrom > 0 ? `, resumed from byte ${result.resumedFrom}` : ''} (${seconds.toFixed(2)} s)\n`,
          );
        } finally {
          bar?.stop();
          await client.close();
        }
      }),
    );
}
