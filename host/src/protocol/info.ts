// The INFO payload as the host uses it: the generated codec (payloads.generated.ts) reads the
// sections' fields flat; here their flag bits become booleans and the sections objects
// (docs/protocol.md "INFO payload"), absent from firmware that predates them.
import { decodeInfo, encodeInfo, type InfoMessage } from './payloads.generated.ts';

/** INFO's optional sections as the generated codec reads them: flat fields, replaced below by `security` and `boot`. */
type InfoSectionField =
  | 'securityFlags'
  | 'floor'
  | 'moduleVersion'
  | 'moduleCounter'
  | 'nonce'
  | 'lastCounter'
  | 'bootFlags'
  | 'bootEvent'
  | 'bootEventCause'
  | 'resetCause'
  | 'trialStepsLeft'
  | 'previousSize'
  | 'previousSha256';

export interface DeviceInfo extends Omit<InfoMessage, InfoSectionField> {
  /** The security section (docs/security.md); absent from firmware that predates it (an open board). */
  security?: BoardSecurity;
  /** The boot section (docs/reliability.md "Trial boot"); absent from firmware that predates it. */
  boot?: BoardBoot;
}

export interface BoardBoot {
  /** The active module is on trial: a reset before CONFIRM (or its trial steps) reverts it. */
  pending: boolean;
  /** Training steps still needed to confirm it by training (0 when not pending). */
  trialStepsLeft: number;
  /** Why the active module's record was written, when not by a commit (BootEvent). */
  event: number;
  /** The reset that caused a BootEvent.REVERTED (ResetCause). */
  eventCause: number;
  /** Why the board started this time (ResetCause). */
  resetCause: number;
  /** The module ROLLBACK returns to, when the other slot still holds it. */
  previous?: { size: number; sha256: Uint8Array };
}

export interface BoardSecurity {
  /** The board holds trusted keys: signed modules and authenticated control only. */
  provisioned: boolean;
  /** The active module's signature was verified by a trusted key. */
  moduleVerified: boolean;
  /** Anti-rollback floor: signed modules with a lower counter are refused. */
  floor: number;
  moduleVersion: number;
  moduleCounter: number;
  /** This boot's session nonce (authentication tags cover it). */
  nonce: Uint8Array;
  /** The last authentication counter the board accepted this boot. */
  lastCounter: number;
}

const SECURITY_PROVISIONED = 1;
const SECURITY_MODULE_VERIFIED = 2;
const BOOT_PENDING = 1;
const BOOT_PREVIOUS = 2;

export function decodeDeviceInfo(p: Uint8Array): DeviceInfo {
  const { securityFlags, floor, moduleVersion, moduleCounter, nonce, lastCounter, ...m } = decodeInfo(p);
  const { bootFlags, bootEvent, bootEventCause, resetCause, trialStepsLeft, previousSize, previousSha256, ...base } = m;
  const info: DeviceInfo = base;
  if (securityFlags !== undefined) {
    info.security = {
      provisioned: (securityFlags & SECURITY_PROVISIONED) !== 0,
      moduleVerified: (securityFlags & SECURITY_MODULE_VERIFIED) !== 0,
      floor: floor!,
      moduleVersion: moduleVersion!,
      moduleCounter: moduleCounter!,
      nonce: nonce!,
      lastCounter: lastCounter!,
    };
  }
  if (bootFlags !== undefined) {
    info.boot = {
      pending: (bootFlags & BOOT_PENDING) !== 0,
      trialStepsLeft: trialStepsLeft!,
      event: bootEvent!,
      eventCause: bootEventCause!,
      resetCause: resetCause!,
    };
    if (bootFlags & BOOT_PREVIOUS) info.boot.previous = { size: previousSize!, sha256: previousSha256! };
  }
  return info;
}

/** Reads only the leading protocol version, so a board of another version can be named even if the rest differs. */
export function peekInfoVersion(p: Uint8Array): number | undefined {
  return p.length >= 2 ? p[0] | (p[1] << 8) : undefined;
}

export function encodeDeviceInfo({ security: sec, boot, ...base }: DeviceInfo): Uint8Array {
  const m: InfoMessage = { ...base };
  if (sec) {
    Object.assign(m, {
      securityFlags: (sec.provisioned ? SECURITY_PROVISIONED : 0) | (sec.moduleVerified ? SECURITY_MODULE_VERIFIED : 0),
      floor: sec.floor,
      moduleVersion: sec.moduleVersion,
      moduleCounter: sec.moduleCounter,
      nonce: sec.nonce,
      lastCounter: sec.lastCounter,
    });
  }
  if (boot) {
    Object.assign(m, {
      bootFlags: (boot.pending ? BOOT_PENDING : 0) | (boot.previous ? BOOT_PREVIOUS : 0),
      bootEvent: boot.event,
      bootEventCause: boot.eventCause,
      resetCause: boot.resetCause,
      trialStepsLeft: boot.trialStepsLeft,
      previousSize: boot.previous?.size ?? 0,
      previousSha256: boot.previous?.sha256 ?? new Uint8Array(32),
    });
  }
  return encodeInfo(m);
}
