// The ABI dataset region (docs/abi.md): f32 features[N][F] row-major, then
// f32 labels[N]; training samples first, then test samples. Little endian.
import type { Dataset } from './types.ts';

export function packDataset(ds: Dataset): Uint8Array {
  const samples = [...ds.train, ...ds.test];
  const n = samples.length;
  const f = ds.features;
  const bytes = new Uint8Array(n * f * 4 + n * 4);
  const view = new DataView(bytes.buffer);
  samples.forEach((s, i) => {
    for (let j = 0; j < f; j++) view.setFloat32((i * f + j) * 4, s.x[j]!, true);
    view.setFloat32(n * f * 4 + i * 4, s.y, true);
  });
  return bytes;
}
