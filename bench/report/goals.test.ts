import { describe, expect, it } from 'vitest';
import { BenchResults, notMeasured, type Quantity, type TimedRow } from '../results-schema.ts';
import { QIOT_DEVICE, QIOT_HOST, overHost } from '../sections/exact-peers.ts';
import { exactGoals, goalLimit, goalNote, goalSummary, statedInterval } from './goals.ts';

const JAX = 'PennyLane default.qubit + JAX jit';
const LIGHTNING = 'PennyLane lightning.qubit adjoint';
const timing = (median: number) => ({ measured: true as const, median, q1: median, q3: median, rounds: 5 });
const ratio = (median: number, low: number, high: number) => ({ median, low, high });
const goal = (value: number, met: boolean, ci: [number, number]): Quantity => ({
  measured: true,
  value,
  unit: '×',
  goal: '≥ 5× (qiot faster)',
  met,
  source: `8 qubits × 2 layers, exact, one thread each; paired median, 95 % CI [${ci[0].toFixed(2)}, ${ci[1].toFixed(2)}]`,
});

/** One exact-peers row at 8 qubits: device 0.3 ms, host 0.1 ms, JAX 0.9 ms, lightning 30 ms. */
function deviceRow(): TimedRow {
  return {
    qubits: 8,
    layers: 2,
    params: 32,
    shots: 0,
    baseline: QIOT_DEVICE,
    timings: { [QIOT_DEVICE]: timing(3e-4), [QIOT_HOST]: timing(1e-4), [JAX]: timing(9e-4), [LIGHTNING]: timing(3e-2) },
    ratios: {
      [QIOT_HOST]: ratio(1 / 3, 0.3, 0.36),
      [JAX]: ratio(3, 2.5, 3.5),
      [LIGHTNING]: ratio(100, 90, 110),
      [overHost(JAX)]: ratio(9, 7.5, 10.5),
      [overHost(LIGHTNING)]: ratio(300, 270, 330),
    },
  };
}

function results(goals: Record<string, Quantity>, link: Record<string, Quantity> = {}): BenchResults {
  return BenchResults.parse({
    meta: {
      startedAt: '2026-12-02T00:00:00.000Z',
      durationSeconds: 1,
      quick: false,
      machine: { cpu: 'test cpu', cores: 2, node: 'v20', loadAtStart: [1, 1, 1], loadAtEnd: [1, 1, 1] },
      module: null,
      plan: { rounds: 5, warmupSteps: 1, minSampleSeconds: 0.1, maxStepsPerSample: 100 },
    },
    peers: notMeasured('not in this test'),
    isolated: notMeasured('not in this test'),
    exactPeers: { measured: true, versions: {}, gates: [], rows: [deviceRow()], multiThreadRows: [], goals, notes: [] },
    native: notMeasured('not in this test'),
    interpreter: notMeasured('not in this test'),
    footprint: notMeasured('not in this test'),
    link: { measured: true, items: link, notes: [] },
    scaling: notMeasured('not in this test'),
  });
}

const DEVICE_GOAL = `fastest peer (${JAX}) / qiot device build (Node), 8 qubits`;
const HOST_GOAL = `fastest peer (${JAX}) / qiot host build (Node), 8 qubits`;

describe('bench goals table', () => {
  it('puts the host build against the same fastest peer beside each device-build goal, from the rows', () => {
    const r = results({ [DEVICE_GOAL]: goal(3, false, [2.5, 3.5]) });
    const exact = r.exactPeers?.measured ? r.exactPeers : undefined;
    const goals = exactGoals(exact as NonNullable<typeof exact>);
    expect(Object.keys(goals)).toEqual([DEVICE_GOAL, HOST_GOAL]);
    expect(goals[HOST_GOAL]).toMatchObject({ value: 9, met: true });
    expect(statedInterval(goals[HOST_GOAL])).toEqual({ low: 7.5, high: 10.5 });
  });

  it('gives a missed device-build goal its reason, with the figures of the same run', () => {
    const r = results({ [DEVICE_GOAL]: goal(3, false, [2.5, 3.5]) });
    const note = goalNote(DEVICE_GOAL, goal(3, false, [2.5, 3.5]), r);
    expect(note).toContain('Q1.30 amplitudes are scalar i64 arithmetic in V8');
    // device 0.3 ms over host 0.1 ms, and the host build's ratio over JAX with its interval
    expect(note).toContain('its step takes 3× the host build');
    expect(note).toContain(`the host build is 9× [7.5, 10.5] faster than ${JAX}`);
    const table = goalSummary(r);
    expect(table).toContain('| goal | target | measured | met | why missed / note |');
    expect(table).toMatch(/qiot device build \(Node\), 8 qubits \| ≥ 5× \(qiot faster\) \| 3× \| no \| Q1\.30 amplitudes/);
    expect(table).toMatch(/qiot host build \(Node\), 8 qubits \| ≥ 5× \(qiot faster\) \| 9× \| yes \| — \|/);
  });

  it('says when a goal is met or missed only within the interval, and never invents a cause', () => {
    const r = results({});
    expect(goalNote('some goal', goal(6, true, [4.2, 18]), r)).toBe(
      'met by the median only: the 95 % CI [4.20, 18.00] includes the target',
    );
    expect(goalNote('some goal', goal(4.9, false, [3, 7]), r)).toBe(
      "within this run's noise: the 95 % CI [3.00, 7.00] includes the target",
    );
    expect(goalNote('some goal', goal(3, false, [2, 4]), r)).toMatch(/^no reason recorded: add one to bench\/report\/goal-reasons\.ts/);
    expect(goalNote('some goal', goal(9, true, [8, 10]), r)).toBe('');
  });

  it('explains a missed training-config goal by the CPU-time ratio the link section measured', () => {
    const wall: Quantity = { measured: true, value: 68, unit: '×', goal: '≤ 25×', met: false, source: 'two sequential runs' };
    const cpu: Quantity = { measured: true, value: 11.5, unit: '×', source: 'CPU time' };
    const name = 'posix board / Node step time (training config)';
    const r = results({}, { [name]: wall, 'posix board / Node CPU time per step (training config)': cpu });
    expect(goalNote(name, wall, r)).toContain('by CPU time per step the board is 11.5× Node');
    expect(goalSummary(r)).toMatch(/training config\) \| ≤ 25× \| 68× \| no \| wall-clock time of two sequential runs/);
  });

  it('reads the limit of every goal text the bench writes', () => {
    expect(goalLimit('≥ 5× (qiot faster)')).toBe(5);
    expect(goalLimit('≤ 100 M')).toBe(100);
    expect(goalLimit('> 1× (qiot faster)')).toBe(1);
    expect(goalLimit('≤ 131072 bytes (128 KiB) at 10 qubits')).toBe(131072);
  });
});
