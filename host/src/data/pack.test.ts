import { describe, expect, it } from 'vitest';
import { packDataset } from './pack.ts';
import type { Dataset } from './types.ts';

describe('packDataset', () => {
  it('writes f32 features row-major (train then test) and then f32 labels, little endian', () => {
    const ds: Dataset = {
      name: 'synthetic',
      description: 'hand-made',
      features: 3,
      train: [
        { x: [0.5, 1.25, 3], y: 1 },
        { x: [0, 2.5, 0.125], y: -1 },
      ],
      test: [{ x: [1, 0.75, 2], y: -1 }],
    };
    const bytes = packDataset(ds);
    expect(bytes.byteLength).toBe(3 * 3 * 4 + 3 * 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const at = (i: number) => view.getFloat32(i * 4, true);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(at)).toEqual([0.5, 1.25, 3, 0, 2.5, 0.125, 1, 0.75, 2]);
    expect([9, 10, 11].map(at)).toEqual([1, -1, -1]);
    // Little endian: the first float 0.5 = 0x3F000000 stores its high byte last.
    expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x00, 0x00, 0x3f]);
  });

  it('rounds features to the nearest f32, as the module reads them', () => {
    const ds: Dataset = { name: 'synthetic', description: '', features: 1, train: [{ x: [Math.PI], y: 1 }], test: [] };
    const view = new DataView(packDataset(ds).buffer);
    expect(view.getFloat32(0, true)).toBe(Math.fround(Math.PI));
  });
});
