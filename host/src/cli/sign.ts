// qiot-command: 230 sign — sign a module for boards provisioned with your key: writes MODULE.sig
// `qiot sign MODULE --key FILE --target T`: a signature file for a module
// (docs/security.md), which `qiot flash --signature` sends to a provisioned board.
import { InvalidArgumentError, type Command } from 'commander';
import { sha256 } from '../device/upload.ts';
import { signManifest, writeSignatureFile } from '../security/manifest.ts';
import { keyId, type SigningKey } from '../security/keys.ts';
import { ABI_VERSION } from '../wasm/abi.ts';
import { readModule } from './module-file.ts';
import { parseKeyFile } from './key-option.ts';

export function parseU32(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > 0xffffffff)
    throw new InvalidArgumentError('expected an integer from 0 to 4294967295');
  return n;
}

interface SignOptions {
  key: SigningKey;
  target: string;
  version: number;
  counter: number;
  abi: number;
  out?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('sign')
    .description('sign a module for boards provisioned with your key: writes MODULE.sig')
    .argument('<module>', 'WebAssembly module file (e.g. build/qiot.wasm)')
    .requiredOption('--key <file>', 'signing key file (qiot keys generate)', parseKeyFile)
    .requiredOption('--target <name>', 'board name the module may run on (qiot info shows it: posix, rv32, esp32:esp32c3 …)')
    .option('--version <n>', 'release number reported back by the board', parseU32, 0)
    .option('--counter <n>', 'anti-rollback counter: boards refuse modules below the highest counter they accepted', parseU32, 0)
    .option('--abi <n>', 'module ABI version the board must run', parseU32, ABI_VERSION)
    .option('-o, --out <file>', 'signature file (default: MODULE.sig)')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExample:\n  qiot sign build/qiot.wasm --key keys/qiot.pem --target posix --version 3 --counter 3\n\nExit codes: 0 written, 2 bad module, key or option.',
    )
    .action(async (modulePath: string, opts: SignOptions) => {
      const module = await readModule(modulePath);
      const signed = signManifest(opts.key, {
        size: module.length,
        sha256: sha256(module),
        version: opts.version,
        counter: opts.counter,
        abi: opts.abi,
        target: opts.target,
      });
      const out = opts.out ?? `${modulePath}.sig`;
      await writeSignatureFile(out, signed);
      const summary = {
        module: modulePath,
        signature_file: out,
        target: opts.target,
        version: opts.version,
        counter: opts.counter,
        abi: opts.abi,
        key_id: keyId(opts.key.publicKey),
      };
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(summary)}\n`
          : `signed ${modulePath} for ${opts.target} (version ${opts.version}, counter ${opts.counter}, ABI ${opts.abi}) with key ${summary.key_id}: ${out}\n`,
      );
    });
}
