// qiot-command: 40 flash — upload a module (e.g. build/qiot.wasm) to a board; it becomes active only once verified
// `qiot flash MODULE.wasm --port P`: uploads a module to the board's inactive
// slot (windowed, resumable), which the board activates only after checking its
// sha256, parsing it and checking its ABI version.
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { DeviceClient } from '../device/client.ts';
import { addPortOptions, boardPortOptions, portOf, type PortOptionValues } from './port-options.ts';
import { DeviceError } from '../device/errors.ts';
import { sha256 } from '../device/upload.ts';
import { readModule } from './module-file.ts';
import { addKeyOption, keyConnectOptions, type KeyOptionValues } from './key-option.ts';
import { readSignatureFile, signManifest, type SignedManifest } from '../security/manifest.ts';
import { KeyError, type SigningKey } from '../security/keys.ts';
import { parseU32 } from './sign.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { MONITOR_OPTION_HELP, monitorBoard } from './watch.ts';

interface FlashOptions extends PortOptionValues, KeyOptionValues {
  json?: boolean;
  signature?: string;
  version?: number;
  counter?: number;
  confirm?: boolean;
  monitor?: boolean;
}

export function register(program: Command): void {
  addKeyOption(
    addPortOptions(program.command('flash')),
    'signs the module for the board (its name and ABI from INFO) and authenticates the upload',
  )
    .description('upload a module (e.g. build/qiot.wasm) to a board; it becomes active only once verified')
    .argument('<module>', 'WebAssembly module file')
    .option('--signature <file>', 'send this signature file (qiot sign) instead of signing with --key')
    .option('--version <n>', 'with --key: release number to sign (default 0)', parseU32)
    .option('--counter <n>', "with --key: anti-rollback counter to sign (default: the board's floor)", parseU32)
    .option(
      '--confirm',
      'confirm the module at once: no trial, a reset keeps it (default: on trial until qiot confirm or its trial steps of training)',
    )
    .option('--json', 'print the result as one JSON object (no progress bar)')
    .option('--monitor', MONITOR_OPTION_HELP)
    .addHelpText(
      'after',
      '\nA provisioned board (qiot provision) takes only signed modules and authenticated uploads: pass --key.\nWith --monitor, Ctrl-C or q after the upload ends with the upload’s exit code (0).\nExit codes: 0 flashed, 1 the board refused the module (the previous one stays active), 2 bad usage, no port or a bad module file, 3 board unreachable.',
    )
    .action(async (modulePath: string, opts: FlashOptions) => {
      const module = await readModule(modulePath);
      const digest = Buffer.from(sha256(module)).toString('hex');
      const presigned = opts.signature ? await readSignature(opts.signature) : undefined;
      const port = portOf(opts);
      const client = await DeviceClient.open(port, { ...boardPortOptions(opts), ...keyConnectOptions(opts) });
      const bar =
        !opts.json && process.stderr.isTTY
          ? new SingleBar({ stream: process.stderr, format: 'flash {bar} {value}/{total} B', hideCursor: true, clearOnComplete: true })
          : null;
      const started = performance.now();
      try {
        bar?.start(module.length, 0);
        const info = client.info;
        const manifest =
          presigned ??
          (opts.key
            ? signForBoard(opts.key, module, { boardName: info.boardName, abiVersion: info.abiVersion, floor: info.security?.floor }, opts)
            : undefined);
        const result = await client.upload(module, {
          manifest,
          confirm: opts.confirm,
          onProgress: (acknowledged) => bar?.update(acknowledged),
        });
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
          port,
          on_trial: client.info.boot?.pending ?? false,
        };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(summary)}\n`
            : `flashed ${modulePath} (${module.length} B, sha256 ${digest}) to ${client.info.boardName} on ${port}: slot ${result.activeSlot} active` +
                `${result.resumedFrom > 0 ? `, resumed from byte ${result.resumedFrom}` : ''} (${seconds.toFixed(2)} s)\n` +
                (summary.on_trial
                  ? `on trial: a reset before qiot confirm (or ${client.info.boot?.trialStepsLeft} training steps) boots the previous module again\n`
                  : ''),
        );
      } finally {
        bar?.stop();
        await client.close();
      }
      if (opts.monitor) await monitorBoard(port, opts);
    });
}

export async function readSignature(path: string): Promise<SignedManifest> {
  try {
    return await readSignatureFile(path);
  } catch (err) {
    if (err instanceof KeyError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

/** The manifest `flash --key` signs: for the board's own name and ABI, counter = --counter or the board's floor. */
export function signForBoard(
  key: SigningKey,
  module: Uint8Array,
  board: { boardName: string; abiVersion: number; floor?: number },
  opts: { version?: number; counter?: number },
): SignedManifest {
  return signManifest(key, {
    size: module.length,
    sha256: sha256(module),
    version: opts.version ?? 0,
    counter: opts.counter ?? board.floor ?? 0,
    abi: board.abiVersion,
    target: board.boardName,
  });
}
