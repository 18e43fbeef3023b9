// The page's assets: bundled at build time by esbuild (`make dashboard`, or
// `tsx host/src/dashboard/assets.ts`) into build/dashboard/, served from there.
// Everything the page loads is in that folder: no CDN.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagePath } from '../package-root.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PAGE_DIR = join(HERE, 'page');
export const ASSETS_DIR = packagePath('build', 'dashboard');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

export interface Asset {
  body: Buffer;
  type: string;
}

/** Bundles the page (TypeScript, uPlot, MQTT.js browser build, CSS) into `outDir`. */
export async function buildAssets(outDir = ASSETS_DIR): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: { app: join(PAGE_DIR, 'main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    outdir: outDir,
    inject: [join(PAGE_DIR, 'buffer-shim.ts')],
    logLevel: 'warning',
  });
  const { copyFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(outDir, { recursive: true });
  copyFileSync(join(PAGE_DIR, 'index.html'), join(outDir, 'index.html'));
}

/** Loads every built asset into memory (a few hundred KB), keyed by URL path; null when not built. */
export function loadAssets(dir = ASSETS_DIR): Map<string, Asset> | null {
  if (!existsSync(join(dir, 'index.html')) || !existsSync(join(dir, 'app.js'))) return null;
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(`/${name}`, { body: readFileSync(join(dir, name)), type });
  }
  assets.set('/', assets.get('/index.html')!);
  return assets;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildAssets(process.argv[2] ?? ASSETS_DIR);
}
