// Security limits shared with the firmware (firmware/core/qiot_config.h), each with its reason there.
export const SECURITY = {
  /** Trusted module-signing keys a board holds (key rotation: old + new). */
  maxTrustedKeys: 2,
  /** HMAC-SHA256 control key. */
  controlKeySize: 32,
  /** Bytes of the HMAC tag kept on the wire. */
  authTagSize: 16,
  /** u32 counter ‖ tag appended to an authenticated request. */
  authTrailerSize: 20,
  /** Per-boot session nonce in INFO. */
  nonceSize: 16,
  /** Longest target name a signed manifest carries (board_name()). */
  maxTargetName: 32,
} as const;
