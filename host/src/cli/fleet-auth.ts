// --key / --signature on the fleet commands (docs/fleet.md "Security end to end"):
// the key stays in this process; what leaves it is a module signature and the MAC
// trailers sealed for each command (fleet/auth.ts), checked only by the board.
import type { Command } from 'commander';
import { CommandSealer, type RemoteBoard } from '../fleet/auth.ts';
import type { FleetClient } from '../fleet/client.ts';
import { FLEET } from '../fleet/limits.ts';
import { toBase64 } from '../fleet/messages.ts';
import { sha256 } from '../device/upload.ts';
import { signedBeginPayload, type SignedManifest } from '../security/manifest.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { readSignature, signForBoard } from './flash.ts';
import { addKeyOption, type KeyOptionValues } from './key-option.ts';
import { parseU32 } from './sign.ts';

export const FLEET_KEY_HELP = `
A provisioned board (qiot provision) obeys only commands authenticated with its key: pass --key
(or set $QIOT_KEY). The key never leaves this process: the board's nonce is read through the
gateway, each frame's MAC is computed here and checked by the board alone (docs/fleet.md).`;

/** The sealer of --key, if given. */
export const sealerOf = (client: FleetClient, opts: KeyOptionValues): CommandSealer | undefined =>
  opts.key ? new CommandSealer(client, opts.key) : undefined;

export interface FleetFlashOptions extends KeyOptionValues {
  signature?: string;
  version?: number;
  counter?: number;
}

export function addFleetFlashOptions(cmd: Command): Command {
  return addKeyOption(cmd, 'signs the module for each board (its name, ABI and floor from INFO) and authenticates the upload')
    .option('--signature <file>', 'send this signature file (qiot sign) instead of signing with --key')
    .option('--version <n>', 'with --key: release number to sign (default 0)', parseU32)
    .option('--counter <n>', "with --key: anti-rollback counter to sign (default: each board's floor)", parseU32);
}

/** The pre-signed manifest of --signature, checked against the module before anything is sent. */
export async function presignedManifest(opts: FleetFlashOptions, module: Uint8Array): Promise<SignedManifest | undefined> {
  if (!opts.signature) return undefined;
  const m = await readSignature(opts.signature);
  if (m.size !== module.length || Buffer.compare(m.sha256, sha256(module)) !== 0)
    throw new CliError(
      `${opts.signature} signs a module of ${m.size} B with sha256 ${Buffer.from(m.sha256).toString('hex')}, not this one`,
      EXIT.usage,
    );
  return m;
}

/** Flashes one executor: signs for its board (--key) or sends the pre-signed manifest, and seals the upload for a provisioned board. */
export async function flashOne(
  client: FleetClient,
  executor: string,
  module: Uint8Array,
  opts: FleetFlashOptions,
  presigned: SignedManifest | undefined,
): Promise<Record<string, unknown>> {
  const sealer = sealerOf(client, opts);
  const board: RemoteBoard | null = sealer ? await sealer.board(executor) : null;
  const manifest =
    presigned ?? (opts.key && board ? signForBoard(opts.key, module, { ...board, floor: board.security?.floor }, opts) : undefined);
  const args = { module: toBase64(module), ...(manifest ? { manifest: toBase64(signedBeginPayload(manifest)) } : {}) };
  const auth = sealer && board ? await sealer.auth(executor, 'flash', args, board) : undefined;
  return client.call(executor, 'flash', args, FLEET.flashTimeoutMs, auth);
}
