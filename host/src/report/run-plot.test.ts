import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import type { RunLog } from '../runlog/reader.ts';
import type { StepRecord } from '../runlog/schema.ts';
import { renderSvg, svgToPng } from './figure-files.ts';
import { figurePaths, runLossSpec, runTitle } from './run-plot.ts';

const step = (n: number, loss: number, phase: '+' | '-'): StepRecord => ({
  type: 'step',
  step: n,
  loss,
  grad_norm: 0.1,
  phase,
  shots: 0,
  shots_total: 0,
  evals: 1,
  step_norm: 0.01,
  trial_loss: null,
  status: 'ok',
  raw: '00'.repeat(64),
});

function log(phases: string): RunLog {
  return {
    header: {
      type: 'header',
      qiot_version: '0',
      module_sha256: 'a'.repeat(64),
      abi_version: 1,
      config: parseConfig({ qubits: 3, optimizer: { name: 'nlr' } }),
      dataset: null,
      target: { kind: 'node' },
      started_at: '2026-01-01T00:00:00.000Z',
    },
    steps: [...phases].map((p, i) => step(i + 1, 1 / (i + 1), p as '+' | '-')),
    summary: null,
  };
}

describe('run plot', () => {
  it('draws the loss line and one red marker per negative-phase step', async () => {
    const svg = await renderSvg(runLossSpec(log('++-+--+')));
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(1);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(3);
    expect(svg).toContain('3 negative-phase steps');
    expect(svgToPng(svg).subarray(1, 4).toString()).toBe('PNG');
  });

  it('draws no markers and no phase legend without negative phases', async () => {
    const svg = await renderSvg(runLossSpec(log('++++')));
    expect(svg).not.toContain('aria-roledescription="point"');
    expect(svg).not.toContain('NLR phase');
  });

  it('names the exact train loss and the test accuracy beside the mini-batch curve', () => {
    const done = { ...log('+'), summary: { status: 'completed', steps: 1, train_loss: 0.409, test_accuracy: 0.92 } } as unknown as RunLog;
    expect(runTitle(done).subtitle).toContain('completed after 1 steps · exact train loss 0.40900 · test accuracy 92.0 %');
  });

  it('says in the title when a run has no summary', () => {
    expect(runTitle(log('+')).subtitle).toContain('no summary (run did not finish)');
  });

  it('writes both figure formats whatever extension --out has', () => {
    expect(figurePaths('runs/a.svg')).toEqual({ svg: 'runs/a.svg', png: 'runs/a.png' });
    expect(figurePaths('runs/a.PNG')).toEqual({ svg: 'runs/a.svg', png: 'runs/a.png' });
    expect(figurePaths('runs/a')).toEqual({ svg: 'runs/a.svg', png: 'runs/a.png' });
  });
});
