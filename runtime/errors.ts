// error_message(): the texts of init() error codes, generated as ASCII data from abi/qiot-abi.ts.
import { ERROR_CODE_COUNT, ERROR_TEXTS } from './abi.generated';
import { MESSAGE } from './memory';

// Writes the ASCII text of code at MESSAGE; returns its length.
export function writeErrorMessage(code: i32): i32 {
  const entry = <u32>code < <u32>ERROR_CODE_COUNT ? code : ERROR_CODE_COUNT;
  let text = ERROR_TEXTS;
  for (let i = 0; i < entry; i++) text += 1 + <usize>load<u8>(text);
  const length = <i32>load<u8>(text);
  for (let i = 0; i < length; i++) store<u8>(MESSAGE + <usize>i, load<u8>(text + 1 + <usize>i));
  return length;
}
