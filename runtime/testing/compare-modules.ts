// Old module vs new module, bit for bit: `npx tsx runtime/testing/compare-modules.ts OLD.wasm [NEW.wasm]`
// (NEW defaults to build/qiot.wasm). For a refactor of the kernels that must not change results
// (docs/rv32.md "Fewer instructions per amplitude"): both modules run the same grid of configs —
// every ansatz × cost × gradient × optimizer, exact and sampled, z0 and mean-z readout, re-uploading,
// train_from, 2–10 qubits — and every step's telemetry bytes (whole and in slices of 1–5 units), θ
// after each step, gradient(),
// evaluate/accuracy/output and the sv_* diagnostics must be equal byte for byte. Exits 1 naming the
// first difference, 0 with the count of compared values.
import { readFileSync } from 'node:fs';
import { ANSATZ, COST, GRADIENT, OPTIMIZER, READOUT, type AbiConfig, DEFAULT_MODULE_PATH, QiotModule } from '../../host/src/wasm/index.ts';
import { abiConfig, lcgAngles, packSamples, twoClassSamples } from './fixtures.ts';

type Value = number | bigint | Uint8Array;

function bytesOf(v: Value): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'bigint') return new Uint8Array(new BigUint64Array([v]).buffer);
  return new Uint8Array(new Float64Array([v]).buffer);
}

function initialised(bytes: Uint8Array<ArrayBuffer>, config: AbiConfig): [QiotModule, number] {
  const m = QiotModule.fromBytes(bytes);
  m.writeConfig(config);
  const samples = config.nTrain + config.nTest;
  if (samples > 0) m.writeDataset(packSamples(twoClassSamples(samples, config.nFeatures, config.qubits * 7 + samples)));
  return [m, m.init()];
}

/** Everything observable of one config's run, as labelled byte strings. */
function observe(bytes: Uint8Array<ArrayBuffer>, config: AbiConfig, steps: number, budget: number): [string, Value][] {
  const [m, init] = initialised(bytes, config);
  const out: [string, Value][] = [];
  const samples = config.nTrain + config.nTest;
  out.push(['init', init]);
  if (init !== 0) return out;
  const g = m.gradient();
  out.push(['gradient', new Uint8Array(g.gradient.buffer)]);
  for (let s = 0; s < steps; s++) {
    out.push([`step ${s} status`, m.step().status]);
    out.push([`step ${s} telemetry`, m.telemetryBytes()]);
    out.push([`step ${s} θ`, new Uint8Array(m.getParams().buffer)]);
  }
  if (config.nTrain > 0) {
    out.push(['evaluate train', m.evaluate('train')], ['accuracy train', m.accuracy('train')]);
    for (let i = 0; i < Math.min(samples, 4); i++) out.push([`output ${i}`, m.output(i)]);
  }
  // The same steps in slices of `budget` evaluation units (step_begin / step_continue).
  const [sliced] = initialised(bytes, config);
  for (let s = 0; s < steps; s++) {
    out.push([`sliced step ${s} begin`, sliced.stepBegin()]);
    let slices = 0;
    while (sliced.stepContinue(budget) === 1) slices++;
    out.push([`sliced step ${s} slices`, slices], [`sliced step ${s} telemetry`, sliced.telemetryBytes()]);
  }
  return out;
}

/** Random gate sequences through the sv_* diagnostics, every probability read. */
function diagnostics(bytes: Uint8Array<ArrayBuffer>): [string, Value][] {
  const m = QiotModule.fromBytes(bytes);
  const out: [string, Value][] = [];
  const gates = ['RX', 'RY', 'RZ', 'H', 'CZ', 'CNOT'] as const;
  for (let n = 1; n <= 10; n++) {
    m.svReset(n);
    const r = lcgAngles(120, n * 31, 1);
    for (let k = 0; k < 40; k++) {
      const gate = gates[Math.floor(r[3 * k] * gates.length)];
      const q0 = Math.floor(r[3 * k + 1] * n);
      const q1 = n > 1 ? (q0 + 1 + Math.floor(r[3 * k + 2] * (n - 1))) % n : 0;
      if ((gate === 'CZ' || gate === 'CNOT') && n < 2) continue;
      m.svApply(gate, q0, q1, (r[3 * k + 2] - 0.5) * 20);
    }
    for (let i = 0; i < 1 << n; i++) out.push([`sv n=${n} p(${i})`, m.svProb(i)]);
  }
  return out;
}

function configs(): { name: string; config: AbiConfig; steps: number; budget: number }[] {
  const list: { name: string; config: AbiConfig; steps: number; budget: number }[] = [];
  const pick = <T>(xs: readonly T[], k: number): T => xs[k % xs.length];
  let k = 0;
  for (const qubits of [2, 4, 6, 8, 10]) {
    for (const ansatz of Object.values(ANSATZ)) {
      for (const cost of Object.values(COST)) {
        for (const gradient of Object.values(GRADIENT)) {
          k++;
          const shots = gradient === GRADIENT.adjoint ? 0 : pick([0, 0, 100, 1000], k);
          const classification = cost === COST['class-sq'] || cost === COST['class-xent'];
          const nFeatures = classification || k % 3 === 0 ? Math.min(qubits, pick([1, 2, 4], k)) : 0;
          const nTrain = nFeatures > 0 ? 8 : 0;
          const config = abiConfig({
            qubits,
            layers: pick([1, 2, 3], k + qubits),
            ansatz,
            cost,
            gradient,
            optimizer:
              gradient === GRADIENT.spsa ? OPTIMIZER.spsa : pick([OPTIMIZER.sgd, OPTIMIZER.adam, OPTIMIZER.momentum, OPTIMIZER.nlr], k),
            nlrMode: k % 4,
            shotsPerEval: shots,
            shotBudget: shots > 0 ? 100_000_000 : 0,
            nFeatures,
            nTrain,
            nTest: nTrain > 0 ? 4 : 0,
            batch: nTrain > 0 ? pick([0, 4], k) : 0,
            readout: qubits > 1 && k % 5 === 0 ? READOUT['mean-z'] : READOUT.z0,
            reupload: nFeatures > 0 && k % 2 === 0 ? 1 : 0,
            trainFrom: k % 7 === 0 ? 1 : 0,
            seed: 1000 + k,
            paramInit: ansatz === ANSATZ.hea || ansatz === ANSATZ['hea-zy'] ? pick([0, 2, 3], k) : pick([0, 2], k),
          });
          list.push({
            name: `#${k} q=${qubits} ansatz=${ansatz} cost=${cost} gradient=${gradient} shots=${shots}`,
            config,
            steps: qubits >= 8 ? 2 : 3,
            budget: 1 + (k % 5),
          });
        }
      }
    }
  }
  return list;
}

function equal(a: Value, b: Value): boolean {
  const x = bytesOf(a);
  const y = bytesOf(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function main(): number {
  const [oldPath, newPath = DEFAULT_MODULE_PATH] = process.argv.slice(2);
  if (!oldPath) {
    console.error('usage: compare-modules.ts OLD.wasm [NEW.wasm]');
    return 2;
  }
  const oldBytes = Uint8Array.from(readFileSync(oldPath));
  const newBytes = Uint8Array.from(readFileSync(newPath));
  let compared = 0;
  let initialised = 0;
  const runs: { name: string; a: [string, Value][]; b: [string, Value][] }[] = [
    { name: 'sv diagnostics', a: diagnostics(oldBytes), b: diagnostics(newBytes) },
  ];
  for (const c of configs()) {
    const a = observe(oldBytes, c.config, c.steps, c.budget);
    if (a[0][1] === 0) initialised++;
    runs.push({ name: c.name, a, b: observe(newBytes, c.config, c.steps, c.budget) });
  }
  for (const run of runs) {
    if (run.a.length !== run.b.length) {
      console.error(`${run.name}: ${run.a.length} vs ${run.b.length} observations`);
      return 1;
    }
    for (let i = 0; i < run.a.length; i++) {
      const [label, a] = run.a[i];
      if (!equal(a, run.b[i][1])) {
        console.error(`${run.name}: ${label} differs: ${String(a)} vs ${String(run.b[i][1])}`);
        return 1;
      }
      compared++;
    }
  }
  console.log(`identical: ${compared} values over ${runs.length - 1} configs (${initialised} initialised) and the sv diagnostics`);
  return 0;
}

process.exitCode = main();
