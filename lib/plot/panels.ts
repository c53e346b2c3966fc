/**
 * Panel geometry of multi-panel plotly figures: axis names, domains of panels side by side or
 * stacked, panel letters, and thinning of long curves. Shared by every figure builder.
 */
import { checkInteger } from '../util/errors';
import type { PlotlyLayout } from './figure';

/** Trace axis reference of panel k (0-based): 'x', 'x2', … (or 'y', 'y2', …). */
export function axisName(letter: 'x' | 'y', k: number): string {
  return k === 0 ? letter : `${letter}${k + 1}`;
}

/** Layout key of panel k's axis: 'xaxis', 'xaxis2', … (or 'yaxis', …). */
export function axisKey(letter: 'x' | 'y', k: number): string {
  return k === 0 ? `${letter}axis` : `${letter}axis${k + 1}`;
}

/** Equal horizontal domains of `n` panels side by side, `gap` apart (fractions of the width) [0.1]. */
export function panelDomains(n: number, gap = 0.1): Array<[number, number]> {
  const width = (1 - gap * (n - 1)) / n;
  return Array.from({ length: n }, (_, k) => [k * (width + gap), k * (width + gap) + width] as [number, number]);
}

/** Domains of `n` stacked panels, top to bottom, `gap` apart, between `bottom` [0] and `top` [1]; y runs upward. */
export function stackedDomains(n: number, gap: number, bottom = 0, top = 1): Array<[number, number]> {
  const height = (top - bottom - gap * (n - 1)) / n;
  return Array.from({ length: n }, (_, k) => {
    const hi = top - k * (height + gap);
    return [hi - height, hi] as [number, number];
  });
}

/** Panel letters, placed at the top left of each panel. */
const LETTERS = ['(a)', '(b)', '(c)', '(d)', '(e)', '(f)'];

/** Annotation with the bold letter of panel k at the top left of its domain. */
export function panelLetter(k: number, xDomain: [number, number], yDomain: [number, number]): PlotlyLayout {
  return {
    text: `<b>${LETTERS[k]}</b>`,
    showarrow: false,
    xref: 'paper',
    yref: 'paper',
    x: xDomain[0],
    y: yDomain[1],
    xanchor: 'right',
    yanchor: 'bottom',
    xshift: -24,
    font: { size: 12 },
  };
}

/**
 * Annotation centred above a panel (a panel title): standing on the top edge of the plot area,
 * `gapPx` CSS px above it [3], so that finishLayout can make room for it above the panels.
 */
export function panelTitle(text: string, xDomain: [number, number], gapPx = 3): PlotlyLayout {
  return { text, showarrow: false, xref: 'paper', yref: 'paper', x: (xDomain[0] + xDomain[1]) / 2, y: 1, yshift: gapPx, xanchor: 'center', yanchor: 'bottom' };
}

/**
 * Indices of at most about `maxPoints` points of an ascending epoch series to draw: evenly spaced
 * in epoch and, with `logX`, also evenly spaced in log(epoch) (so the early epochs keep their
 * detail on a log axis). Always keeps the first and the last point; epochs ≤ 0 are dropped with
 * `logX` (they have no place on a log axis).
 */
export function thinIndices(epochs: ArrayLike<number>, maxPoints: number, logX = false): number[] {
  checkInteger('maxPoints', maxPoints, 2);
  const n = epochs.length;
  let first = 0;
  if (logX) while (first < n && !(epochs[first] > 0)) first++;
  const count = n - first;
  if (count <= 0) return [];
  if (count <= maxPoints) return Array.from({ length: count }, (_, i) => first + i);
  const keep = new Set<number>([first, n - 1]);
  const linear = logX ? Math.ceil(maxPoints / 2) : maxPoints;
  for (let k = 0; k < linear; k++) keep.add(first + Math.round((k * (count - 1)) / (linear - 1)));
  if (logX) {
    // Targets evenly spaced in log(epoch); each maps to the first index whose epoch reaches it.
    const lo = Math.log(epochs[first]);
    const hi = Math.log(epochs[n - 1]);
    const logCount = maxPoints - linear;
    let j = first;
    for (let k = 0; k < logCount; k++) {
      const target = Math.exp(lo + ((hi - lo) * k) / Math.max(1, logCount - 1));
      while (j < n - 1 && epochs[j] < target) j++;
      keep.add(j);
    }
  }
  return [...keep].sort((a, b) => a - b);
}
