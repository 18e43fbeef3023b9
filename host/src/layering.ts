// The host's layering rules, checked by layering.test.ts over every source file:
//   - only host/src/cli/ imports the CLI or commander (library code never knows about
//     processes, options or exit codes: its errors carry a kind, errors.ts);
//   - library sources never import test fixtures (host/testing/, any testing/ folder) or
//     test files;
//   - folders of host/src depend on each other one way (no cycles).
// Tests and fixtures may use anything.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Path relative to the repository root, with '/' separators. */
  path: string;
  /** Module specifiers it imports or re-exports (static and dynamic). */
  imports: string[];
}

const SRC = 'host/src/';
const CLI = 'host/src/cli/';
const TESTING = 'host/testing/';
const isTest = (path: string) => path.endsWith('.test.ts') || path.startsWith(TESTING) || path.includes('/testing/');

export function readSources(root: string, dir = 'host/src'): SourceFile[] {
  const out: SourceFile[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...readSources(root, path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const info = ts.preProcessFile(readFileSync(join(root, path), 'utf8'), true, true);
      out.push({ path, imports: info.importedFiles.map((f) => f.fileName) });
    }
  }
  return out;
}

/** The repository-relative path an import resolves to, or the package name for bare specifiers. */
function target(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return relative('/', resolve('/', dirname(from), specifier))
    .split(sep)
    .join('/');
}

/** host/src/device/client.ts → device; host/src/errors.ts → (root). */
const folderOf = (path: string) => {
  const rest = path.slice(SRC.length);
  return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : '(root)';
};

export function layeringViolations(files: SourceFile[]): string[] {
  const problems: string[] = [];
  const edges = new Map<string, Set<string>>();
  for (const file of files) {
    for (const specifier of file.imports) {
      const to = target(file.path, specifier);
      if (isTest(file.path)) continue;
      if (!file.path.startsWith(CLI) && (to.startsWith(CLI) || to === 'commander' || to.startsWith('commander/'))) {
        problems.push(`${file.path} imports ${specifier}: only host/src/cli/ may use the CLI or commander`);
      }
      if (isTest(to)) problems.push(`${file.path} imports ${specifier}: library code must not use test fixtures`);
      if (to.startsWith(SRC)) {
        const a = folderOf(file.path);
        const b = folderOf(to);
        if (a !== b && b !== '(root)') {
          if (!edges.has(a)) edges.set(a, new Set());
          edges.get(a)!.add(b);
        }
      }
    }
  }
  const cycle = findCycle(edges);
  if (cycle) problems.push(`folders of host/src depend on each other in a circle: ${cycle.join(' → ')}`);
  return problems;
}

function findCycle(edges: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of [...edges.keys()].sort()) {
    const found = visit(node);
    if (found) return found;
  }
  return null;
}
