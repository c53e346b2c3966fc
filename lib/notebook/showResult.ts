/**
 * Cells that show a figure when an analysis has one, and the reason as markdown when it has not,
 * so that a notebook runs in every profile (smoke included) without a branch in the cell.
 */
import type { GrokkingDimension } from '../analysis/grokkingDimension';
import { grokkingDimensionFigure, GrokkingDimensionFigureOptions } from '../figures/grokkingDimension';
import type { PlotlyFigure } from '../plot/figure';
import { show } from '../plot/show';
import { showMarkdown } from './display';

/** Shows the D(t) figure of a successful grokkingDimension analysis, or why there is none; returns the figure or null. */
export function showGrokkingDimension(analysis: GrokkingDimension, options: GrokkingDimensionFigureOptions = {}): PlotlyFigure | null {
  const time = options.time ?? 'aligned';
  const hasCurve = analysis.ok && analysis.observables.some((o) => (time === 'epoch' ? o.epoch : o.aligned).trajectory);
  if (!hasCurve) {
    const reason = analysis.ok ? analysis.observables.map((o) => (time === 'epoch' ? o.epoch : o.aligned).reason).join('; ') : analysis.reason;
    showMarkdown(`**No D(t) (${time} axis):** ${reason}.`);
    return null;
  }
  const figure = grokkingDimensionFigure(analysis, options);
  show(figure);
  return figure;
}
