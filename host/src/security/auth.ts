// Authenticated control (docs/security.md): on a provisioned board every
// state-changing request carries the trailer u32 counter ‖ tag, where
// tag = HMAC-SHA256(control key, "QIOT-AUTH-1" ‖ nonce ‖ u8 type ‖ u32 counter ‖ payload)[0..16)
// and the counter rises with every request of the board's boot (nonce).
import { createHmac } from 'node:crypto';
import { ByteWriter } from '../protocol/bytes.ts';
import { REQUEST_RULES } from '../protocol/constants.ts';
import { encodeProvision as encodeProvisionPayload } from '../protocol/payloads.generated.ts';
import { KeyError, type SigningKey } from './keys.ts';
import { SECURITY } from './limits.ts';

const AUTH_DOMAIN = Buffer.from('QIOT-AUTH-1');
const CONTROL_KEY_LABEL = Buffer.from('qiot-control-key-1');

/** Request types a provisioned board accepts only authenticated. */
export const AUTHENTICATED_TYPES: ReadonlySet<number> = new Set(
  [...REQUEST_RULES].filter(([, rules]) => rules.authenticated).map(([type]) => type),
);

/** The control key of boards provisioned from this signing key: HMAC-SHA256(secret, label). */
export function controlKeyOf(key: SigningKey): Uint8Array {
  const der = key.privateKey.export({ type: 'pkcs8', format: 'der' });
  const seed = der.subarray(der.length - 32);
  return new Uint8Array(createHmac('sha256', seed).update(CONTROL_KEY_LABEL).digest());
}

export function authTag(controlKey: Uint8Array, nonce: Uint8Array, type: number, counter: number, payload: Uint8Array): Uint8Array {
  const counterBytes = new ByteWriter().u32(counter).finish();
  const mac = createHmac('sha256', controlKey)
    .update(AUTH_DOMAIN)
    .update(nonce)
    .update(Uint8Array.of(type))
    .update(counterBytes)
    .update(payload)
    .digest();
  return new Uint8Array(mac.subarray(0, SECURITY.authTagSize));
}

/** Seals requests for one board session (its INFO nonce), counting up from the last counter it accepted. */
export class Authenticator {
  readonly overhead = SECURITY.authTrailerSize;

  private counter: number;

  constructor(
    private readonly controlKey: Uint8Array,
    private readonly nonce: Uint8Array,
    lastCounter: number,
  ) {
    if (controlKey.length !== SECURITY.controlKeySize) throw new KeyError(`control key must be ${SECURITY.controlKeySize} bytes`);
    if (nonce.length !== SECURITY.nonceSize) throw new KeyError(`session nonce must be ${SECURITY.nonceSize} bytes`);
    this.counter = lastCounter;
  }

  /** The payload with its trailer when the type needs one, else unchanged. */
  seal(type: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
    if (!AUTHENTICATED_TYPES.has(type)) return payload;
    if (this.counter >= 0xffffffff) throw new KeyError('authentication counter exhausted for this board session; reset the board');
    const counter = ++this.counter;
    return Buffer.concat([payload, new ByteWriter().u32(counter).finish(), authTag(this.controlKey, this.nonce, type, counter, payload)]);
  }
}

/** PROVISION payload: u8 n ‖ n public keys ‖ control key (n = 0: deprovision, nothing else). */
export function encodeProvision(publicKeys: Uint8Array[], controlKey?: Uint8Array): Uint8Array {
  if (publicKeys.length > SECURITY.maxTrustedKeys)
    throw new KeyError(`a board holds at most ${SECURITY.maxTrustedKeys} trusted keys, got ${publicKeys.length}`);
  if (publicKeys.length === 0) return encodeProvisionPayload({ keys: [] });
  if (!controlKey || controlKey.length !== SECURITY.controlKeySize)
    throw new KeyError(`provisioning needs a ${SECURITY.controlKeySize}-byte control key`);
  return encodeProvisionPayload({ keys: publicKeys, controlKey });
}
