// The plain-C reference kernel (firmware/reference), built natively with the
// host's cc, against closed forms and against the qiot module in Node.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QiotModule } from '../../host/src/wasm/module.ts';
import type { ReferenceStep } from '../contenders/native.ts';
import { benchAbiConfig } from './board-ram.ts';

/** One JSON line of the native driver (the shape the bench's native contender reads). */
type StepLine = ReferenceStep;

let scratch: string;
let binary: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'qref-'));
  binary = join(scratch, 'qref-native');
  execFileSync('cc', [
    '-O2',
    '-std=c11',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-o',
    binary,
    'firmware/reference/main_native.c',
    'firmware/reference/qref.c',
    '-lm',
  ]);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(...args: string[]): StepLine[] {
  return execFileSync(binary, args, { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as StepLine);
}

/** f32 amplitudes: agreement with f64 closed forms to ~1e-7. */
const F32_TOLERANCE = 1e-6;

describe('reference kernel', () => {
  it('matches the closed form on one qubit: C = sin²(θ₀/2), ∂C/∂θ₀ = sin(θ₀)/2, ∂C/∂θ₁ = 0', () => {
    const [s] = run('1', '1', '1', '0.1');
    const theta0 = 0.1; // qref_fixed_theta: θ_j = 0.1 + 0.37 j
    expect(s.params).toBe(2);
    expect(s.evals).toBe(5);
    expect(Math.abs(s.loss - Math.sin(theta0 / 2) ** 2)).toBeLessThan(F32_TOLERANCE);
    expect(Math.abs(s.grad_norm - Math.sin(theta0) / 2)).toBeLessThan(F32_TOLERANCE);
    expect(Math.abs(s.step_norm - 0.1 * s.grad_norm)).toBeLessThan(1e-15);
  });

  it('on one layer of many qubits only θ₀ moves ⟨Z₀⟩ (RZ and CZ are diagonal)', () => {
    const [s] = run('6', '1', '1');
    expect(s.params).toBe(12);
    expect(s.evals).toBe(25);
    expect(Math.abs(s.loss - Math.sin(0.05) ** 2)).toBeLessThan(F32_TOLERANCE);
    expect(Math.abs(s.grad_norm - Math.sin(0.1) / 2)).toBeLessThan(F32_TOLERANCE);
  });

  it('agrees with the qiot module in Node on an entangling 10-qubit circuit, step after step', () => {
    const steps = run('10', '2', '3', '0.1');
    const module = QiotModule.fromBytes(new Uint8Array(readFileSync('build/qiot.wasm')));
    module.writeConfig(benchAbiConfig(10, 2, 1));
    expect(module.init()).toBe(0);
    module.setParams(Array.from({ length: module.paramCount }, (_, j) => (0.1 + 0.37 * j) % (2 * Math.PI)));
    for (const s of steps) {
      const { record } = module.step();
      expect(s.evals).toBe(record.evals);
      expect(Math.abs(s.loss - record.loss)).toBeLessThan(F32_TOLERANCE);
      expect(Math.abs(s.grad_norm - record.gradNorm)).toBeLessThan(F32_TOLERANCE);
      expect(Math.abs(s.step_norm - record.stepNorm)).toBeLessThan(F32_TOLERANCE);
    }
    // Descent on a smooth cost with a small step: the loss falls.
    expect(steps[2].loss).toBeLessThan(steps[0].loss);
  });

  it('names a bad argument and exits 2', () => {
    const r = spawnSync(binary, ['11', '1', '1'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/QUBITS must be an integer in 1\.\.10, got '11'/);
    const p = spawnSync(binary, ['10', '13', '1'], { encoding: 'utf8' });
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/exceeds 256 parameters/);
  });
});
