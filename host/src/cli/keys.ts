// qiot-command: 220 keys — create and inspect module-signing keys (Ed25519)
// `qiot keys generate|show`: Ed25519 module-signing keys (docs/security.md).
import type { Command } from 'commander';
import { generateSigningKey, KeyError, keyId, writeNewKeyFile } from '../security/keys.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { parseKeyFile } from './key-option.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export function register(program: Command): void {
  const keys = program.command('keys').description('create and inspect module-signing keys (Ed25519)');
  keys
    .command('generate')
    .description('write a new private key (PKCS#8 PEM, mode 0600; never overwrites) and print its public key')
    .requiredOption('-o, --out <file>', 'key file to create, e.g. keys/qiot-signing.pem')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nKeep the key file secret: it signs modules and, on provisioned boards, authenticates control.\nExit codes: 0 written, 2 bad usage, or the file exists or cannot be written.',
    )
    .action(async (opts: { out: string; json?: boolean }) => {
      const key = generateSigningKey();
      try {
        await writeNewKeyFile(opts.out, key);
      } catch (err) {
        if (err instanceof KeyError) throw new CliError(err.message, EXIT.usage);
        throw err;
      }
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ key_file: opts.out, public_key: hex(key.publicKey), key_id: keyId(key.publicKey) })}\n`
          : `wrote ${opts.out}\npublic key ${hex(key.publicKey)} (id ${keyId(key.publicKey)})\n`,
      );
    });
  keys
    .command('show')
    .description('print the public key and key id of a key file')
    .argument('<file>', 'key file', parseKeyFile)
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExit codes: 0 ok, 2 bad usage or not a readable Ed25519 key file.')
    .action((key: ReturnType<typeof parseKeyFile>, opts: { json?: boolean }) => {
      const j = { public_key: hex(key.publicKey), key_id: keyId(key.publicKey) };
      process.stdout.write(opts.json ? `${JSON.stringify(j)}\n` : `public key ${j.public_key}\nkey id     ${j.key_id}\n`);
    });
}
