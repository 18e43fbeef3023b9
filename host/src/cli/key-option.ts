// --key FILE on the commands that change a board: the signing key whose
// control key authenticates requests to a provisioned board (docs/security.md).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { controlKeyOf } from '../security/auth.ts';
import { KeyError, readKeyFileSync, type SigningKey } from '../security/keys.ts';

export interface KeyOptionValues {
  key?: SigningKey;
}

/** Reads the key file while parsing arguments, so a bad file is a usage error (exit 2). */
export function parseKeyFile(path: string): SigningKey {
  try {
    return readKeyFileSync(path);
  } catch (err) {
    if (err instanceof KeyError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

/** Where --key comes from when not given: the path of the key file (never the key itself, which would show in `ps` and shell history). */
export const KEY_ENV = 'QIOT_KEY';

export function addKeyOption(cmd: Command, what = 'authenticates requests to a provisioned board'): Command {
  return cmd.addOption(new Option('--key <file>', `signing key file (qiot keys generate): ${what}`).env(KEY_ENV).argParser(parseKeyFile));
}

/** DeviceClient options for --key. */
export const keyConnectOptions = (values: KeyOptionValues): { controlKey?: Uint8Array } =>
  values.key ? { controlKey: controlKeyOf(values.key) } : {};
