import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { CollapseQualityKernel } from './collapseQuality';
import { DataCollapseResult } from './dataCollapse';

/** S along one parameter through the optimum, the others held at their optimal values. */
export interface CollapseQualityProfile {
  parameter: 'tau' | 'D';
  values: Float64Array;
  S: Float64Array;
  /** Points with neighbours at each value (S is left NaN where fewer than minTermsFraction of all points have one). */
  terms: Float64Array;
  /** The optimum's value of the parameter and S there. */
  optimum: number;
  optimumS: number;
}

/**
 * The Houdayer–Hartmann quality S of the chosen window's curves along τ or D through the
 * optimum (β and the other exponent held at their optimal values), for a figure of the minimum:
 * `points` values evenly spaced over optimum ± `halfWidth`, clipped to the allowed range.
 * @param options.parameter 'tau' or 'D'
 * @param options.halfWidth > 0 [0.3 for τ, 0.5 for D]
 * @param options.points integer ≥ 3 [61]
 */
export function collapseQualityProfile(
  result: DataCollapseResult,
  options: { parameter: 'tau' | 'D'; halfWidth?: number; points?: number },
): CollapseQualityProfile {
  const parameter = checkChoice('parameter', options?.parameter, ['tau', 'D'] as const);
  if (!result || !Number.isFinite(result.tau) || result.curves.length === 0)
    throw new InvalidOptionError('result', `has no collapse to profile (${result?.note || 'no fit'})`);
  const halfWidth = options.halfWidth ?? (parameter === 'tau' ? 0.3 : 0.5);
  if (typeof halfWidth !== 'number' || !(halfWidth > 0) || !Number.isFinite(halfWidth))
    throw new InvalidOptionError('halfWidth', `must be a finite number > 0, got ${String(halfWidth)}`);
  const points = checkInteger('points', options.points ?? 61, 3, 10000);
  const kernel = new CollapseQualityKernel(result.curves);
  const minTerms = Math.ceil(result.options.minTermsFraction * kernel.points);
  const range = parameter === 'tau' ? result.tauRange : result.DRange;
  const centre = parameter === 'tau' ? result.tau : result.D;
  const lo = Math.max(range[0], centre - halfWidth);
  const hi = Math.min(range[1], centre + halfWidth);
  const values = Float64Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
  const S = new Float64Array(points);
  const terms = new Float64Array(points);
  values.forEach((v, i) => {
    const q = parameter === 'tau' ? kernel.quality(v, result.D, result.beta) : kernel.quality(result.tau, v, result.beta);
    terms[i] = kernel.lastTerms;
    S[i] = kernel.lastTerms >= minTerms ? q : NaN;
  });
  return { parameter, values, S, terms, optimum: centre, optimumS: result.S };
}
