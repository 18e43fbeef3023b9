import { describe, expect, it } from 'vitest';
import { bandChart, phaseTimeline, varianceChart } from './charts.ts';
import { renderSvg, svgToPng } from './figure-files.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('experiment charts', () => {
  it('renders confidence bands as one filled area and one line per series', async () => {
    const spec = bandChart(
      [
        {
          name: 'nlr',
          points: [
            { x: 1, mean: 1, low: 0.9, high: 1.1 },
            { x: 2, mean: 0.5, low: 0.4, high: 0.6 },
          ],
        },
        {
          name: 'sgd',
          points: [
            { x: 1, mean: 1, low: 0.8, high: 1.2 },
            { x: 2, mean: 0.7, low: 0.6, high: 0.8 },
          ],
        },
      ],
      { title: 'Loss', xTitle: 'step', yTitle: 'loss' },
    );
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path[^>]*aria-roledescription="area mark"/g)).toHaveLength(2);
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(2);
    expect(svg).toContain('>Loss<');
    expect(svgToPng(svg).subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('draws the variance plot on a log axis with fit and 2-design reference lines', async () => {
    const points = [2, 3, 4].map((n) => ({ qubits: n, variance: 0.1 * 2 ** -n, cost: 'global' }));
    const svg = await renderSvg(
      varianceChart(points, [{ cost: 'global', intercept: Math.log(0.1), slope: -Math.LN2, referenceSlope: -2 * Math.LN2 }], {
        title: 'BP',
      }),
    );
    expect(svg).toContain('2-design global: ×0.25 per qubit');
    expect(svg).toContain('fit (global)');
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(3);
  });

  it('colours each NLR step by its phase', async () => {
    const svg = await renderSvg(phaseTimeline([{ run: 'seed 1', phases: [0, 1, 0, 0] }], { title: 'phases' }));
    expect(svg.match(/fill="#d62728"/g)?.length).toBeGreaterThanOrEqual(1);
    expect(svg).toContain('negative (ascent)');
  });
});
