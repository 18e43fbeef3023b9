// Start-up of the `qiot` CLI (make bench-startup, part of make bench; a script, not a
// test): wall time of `qiot --help` from the compiled package (dist/, what an
// installed qiot runs), from the repository's sources through tsx, and of a bare
// `node -e 0` — interleaved, side by side in one run, so machine load hits all
// three alike. The figure of issue 11 (≤ 0.3 s) is the compiled one; what Node
// itself costs is the bare line. Results: bench/startup-results.json + a table.
// Usage: npx tsx bench/startup-bench.ts [--runs 15]
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const DIST_MAIN = join(REPO, 'dist/host/src/cli/main.js');
if (!existsSync(DIST_MAIN)) throw new Error(`${DIST_MAIN} missing: run make dist first`);

const CASES = {
  'node -e 0 (bare Node)': ['-e', '0'],
  'qiot --help, compiled (dist/, the installed package)': [DIST_MAIN, '--help'],
  'qiot --help, sources through tsx (repository)': [join(REPO, 'host/bin/qiot.js'), '--help'],
  'qiot sim --help, compiled': [DIST_MAIN, 'sim', '--help'],
} as const;

const seconds: Record<string, number[]> = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of Object.entries(CASES)) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
    seconds[name]!.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
}
const bare = median(seconds['node -e 0 (bare Node)']!);
const rows = Object.entries(seconds).map(([name, s]) => ({ name, median_s: median(s), over_bare_node_s: median(s) - bare }));
const result = { runs: RUNS, node: process.version, loadavg_1min: loadavg()[0], rows };
writeFileSync(join(REPO, 'bench/startup-results.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`| command | median wall time (s) | over bare Node (s) |\n|---|---|---|\n`);
for (const r of rows) process.stdout.write(`| ${r.name} | ${r.median_s.toFixed(3)} | ${r.over_bare_node_s.toFixed(3)} |\n`);
process.stdout.write(`${RUNS} runs each, interleaved; Node ${process.version}; load average ${result.loadavg_1min.toFixed(1)}\n`);
