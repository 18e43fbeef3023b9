// θ ← θ − η g
import * as A from '../abi.generated';
import * as S from '../settings';
import { moveAlongGradient } from './descent';

export function propose(): i32 {
  moveAlongGradient(-S.lr);
  return <i32>A.PHASE_POSITIVE;
}
