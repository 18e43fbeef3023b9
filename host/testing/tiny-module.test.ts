// The hand-assembled fixtures are checked by Node's own WebAssembly engine.
import { describe, expect, it } from 'vitest';
import { tinyModule } from './tiny-module.ts';

describe('tiny ABI modules', () => {
  it('validate, export the ABI and report the requested version', async () => {
    const { instance } = await WebAssembly.instantiate(tinyModule({ abiVersion: 7 }));
    const e = instance.exports as Record<string, (...a: number[]) => number>;
    expect(e.abi_version()).toBe(7);
    expect(e.step()).toBe(0);
    expect(e.step_continue(1)).toBe(0);
    expect(e.evaluate(0)).toBe(0);
    expect(e.accuracy(1)).toBeNaN();
    expect((instance.exports.memory as WebAssembly.Memory).buffer.byteLength).toBe(65536);
    expect(WebAssembly.Module.imports(new WebAssembly.Module(tinyModule()))).toEqual([]);
  });

  it('traps in step() when asked to', async () => {
    const { instance } = await WebAssembly.instantiate(tinyModule({ trapInStep: true }));
    expect(() => (instance.exports.step as () => number)()).toThrow(WebAssembly.RuntimeError);
    expect((instance.exports.step_begin as () => number)()).toBe(0);
    expect(() => (instance.exports.step_continue as (b: number) => number)(1)).toThrow(WebAssembly.RuntimeError);
    expect((instance.exports.init as () => number)()).toBe(0);
  });
});
