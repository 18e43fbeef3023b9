// Number formatting shared by the progress bar, the summary line and tables.

export function formatLoss(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(3);
  return value.toFixed(5);
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${(value * 100).toFixed(1)} %`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
