// Renders a Vega-Lite spec to SVG (vega, headless) and PNG (resvg) files.
import { dirname } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { makeDirectory, writeFileAt } from '../file-errors.ts';

export const FIGURE_STYLE = {
  /** The PNGs are rendered at twice the SVG size so they stay sharp on a screen. */
  pngScale: 2,
  /** DejaVu ships with Debian's base image; resvg falls back to it for every label. */
  fontFamily: 'DejaVu Sans',
} as const;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: FIGURE_STYLE.pngScale },
    font: { loadSystemFonts: true, defaultFontFamily: FIGURE_STYLE.fontFamily },
  });
  return resvg.render().asPng();
}

export interface FigurePaths {
  svg: string;
  png: string;
}

/** Writes `<base>.svg` and `<base>.png`; returns both paths. */
export async function writeFigure(spec: TopLevelSpec, base: string): Promise<FigurePaths> {
  makeDirectory(dirname(base));
  const svg = await renderSvg(spec);
  const paths = { svg: `${base}.svg`, png: `${base}.png` };
  writeFileAt(paths.svg, svg);
  writeFileAt(paths.png, svgToPng(svg));
  return paths;
}
