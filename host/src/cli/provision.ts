// qiot-command: 240 provision — make a board trust your signing key: signed modules and authenticated control only (or --open to undo)
// `qiot provision --port P --key FILE`: makes a board trust a signing key
// (docs/security.md). From then on it takes only modules signed by a trusted
// key and state-changing requests authenticated with the key's control key.
import { InvalidArgumentError, type Command } from 'commander';
import { DeviceClient } from '../device/client.ts';
import { addPortOptions, boardPortOptions, portOf, type PortOptionValues } from './port-options.ts';
import { controlKeyOf, encodeProvision } from '../security/auth.ts';
import { keyId, PUBLIC_KEY_SIZE, publicKeyObject, type SigningKey } from '../security/keys.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { keyConnectOptions, parseKeyFile } from './key-option.ts';

interface ProvisionOptions extends PortOptionValues {
  key?: SigningKey;
  alsoTrust: Uint8Array[];
  open?: boolean;
  json?: boolean;
}

function parsePublicKey(value: string, previous: Uint8Array[] = []): Uint8Array[] {
  const raw = /^[0-9a-fA-F]{64}$/.test(value) ? new Uint8Array(Buffer.from(value, 'hex')) : null;
  if (!raw) throw new InvalidArgumentError(`expected ${PUBLIC_KEY_SIZE} bytes of hex (qiot keys show prints it)`);
  try {
    publicKeyObject(raw);
  } catch (err) {
    throw new InvalidArgumentError(`not an Ed25519 public key: ${(err as Error).message}`);
  }
  return [...previous, raw];
}

export function register(program: Command): void {
  addPortOptions(program.command('provision'))
    .description('make a board trust your signing key: signed modules and authenticated control only (or --open to undo)')
    .option(
      '--key <file>',
      'signing key file whose public key the board trusts and whose control key it checks (also authenticates re-provisioning)',
      parseKeyFile,
    )
    .option('--also-trust <hex>', 'another trusted public key (key rotation); repeatable', parsePublicKey, [])
    .option(
      '--open',
      'remove all keys: the board accepts unsigned modules and unauthenticated requests again (needs --key of a provisioned board)',
    )
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
Provision over a line you trust (the first provisioning is not authenticated: whoever provisions first owns the board).
Examples:
  qiot keys generate --out keys/qiot.pem
  qiot provision --port /dev/pts/3 --key keys/qiot.pem
  qiot flash build/qiot.wasm --port /dev/pts/3 --key keys/qiot.pem

Exit codes: 0 provisioned, 1 the board refused (e.g. wrong key for a provisioned board), 2 bad usage, 3 board unreachable.`,
    )
    .action(async (opts: ProvisionOptions) => {
      if (!opts.key) throw new CliError('provision needs --key (the signing key file)', EXIT.usage);
      const trusted = opts.open ? [] : [opts.key.publicKey, ...opts.alsoTrust];
      const payload = encodeProvision(trusted, opts.open ? undefined : controlKeyOf(opts.key));
      const port = portOf(opts);
      const client = await DeviceClient.open(port, { ...boardPortOptions(opts), ...keyConnectOptions(opts) });
      try {
        const info = await client.provision(payload);
        const summary = {
          port,
          board: info.boardName,
          provisioned: info.security?.provisioned ?? false,
          trusted_keys: trusted.map((k) => keyId(k)),
        };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(summary)}\n`
            : summary.provisioned
              ? `${info.boardName} on ${port} now trusts key(s) ${summary.trusted_keys.join(', ')}: signed modules and authenticated control only\n`
              : `${info.boardName} on ${port} is open again: unsigned modules and unauthenticated requests are accepted\n`,
        );
      } finally {
        await client.close();
      }
    });
}
