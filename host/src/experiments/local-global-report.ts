// Writes the local-vs-global result: JSON, Markdown table, cost-vs-step figure.
import { bandChart, type BandSeries } from '../report/charts.ts';
import { curveBands } from '../report/curve-bands.ts';
import { writeFigure } from '../report/figure-files.ts';
import { fmtCI, markdownTable } from '../report/markdown-table.ts';
import { bootstrapCI } from '../stats/bootstrap.ts';
import type { LocalGlobalResult, LocalGlobalRun } from './local-global.ts';
import type { ExperimentOutput } from './output.ts';

/** A run counts as trained when its exact cost ends below this (the demo's criterion for 8-qubit random starts is 0.9). */
export const TRAINED_BELOW = 0.9;
const BOOT = { resamples: 1000, level: 0.95, seed: 31 };

function groupKey(r: LocalGlobalRun): string {
  return `${r.cost}, ${r.start}`;
}

function grouped(result: LocalGlobalResult): Map<string, LocalGlobalRun[]> {
  const map = new Map<string, LocalGlobalRun[]>();
  for (const r of result.runs) map.set(groupKey(r), [...(map.get(groupKey(r)) ?? []), r]);
  return map;
}

const interval = (values: number[]) => {
  const c = bootstrapCI(values, BOOT);
  return fmtCI(c);
};

export function localGlobalMarkdown(result: LocalGlobalResult): string {
  return (
    markdownTable(
      [
        'cost, start',
        'runs',
        'initial exact cost',
        'final exact cost',
        `trained (final < ${TRAINED_BELOW})`,
        'global cost 1 − p(0…0) at final θ',
      ],
      [...grouped(result)].map(([key, runs]) => [
        key,
        runs.length,
        interval(runs.map((r) => r.exactCost[0])),
        interval(runs.map((r) => r.exactCost.at(-1)!)),
        `${runs.filter((r) => r.exactCost.at(-1)! < TRAINED_BELOW).length}/${runs.length}`,
        interval(runs.map((r) => r.finalGlobalCost)),
      ]),
    ) + `\nMeans with 95% percentile bootstrap intervals over seeds (${BOOT.resamples} resamples) where there is more than one run.\n`
  );
}

export async function writeLocalGlobal(result: LocalGlobalResult, out: ExperimentOutput): Promise<void> {
  out.json('local-global.json', result);
  out.text('local-global.md', `# Local vs global cost (Cerezo et al. 2021, PennyLane demo setting)\n\n${localGlobalMarkdown(result)}`);
  const series: BandSeries[] = [...grouped(result)].map(([key, runs]) => ({
    name: key,
    points: curveBands(
      runs.map((r) => r.exactCost),
      BOOT,
    ).map((p) => ({ ...p, x: p.x - 1 })),
  }));
  const o = result.options;
  const spec = bandChart(series, {
    title: `Local vs global cost, ${o.qubits} qubits, ${o.shots} shots, SGD lr ${o.lr}`,
    subtitle: 'exact cost after each step; band: 95% bootstrap over seeds (random starts)',
    xTitle: 'step',
    yTitle: 'exact cost',
  });
  out.record(Object.values(await writeFigure(spec, out.path('local-global-cost'))));
}
