/**
 * Display names of the library's quantities, in one place for figures, tables and prose: the
 * observables, phases, input kinds, avalanche quantities, robustness choices, training metrics
 * and scales. The value lists themselves (OBSERVABLES, PHASES, …) live with the analysis.
 */
import type { AvalancheQuantity } from '../analysis/avalanches';
import type { Observable } from '../analysis/observables';
import type { SnapshotPhase } from '../analysis/phase';
import type { RobustnessChoice } from '../analysis/robustness';
import type { InputKind } from '../analysis/topologies';

/** Short symbols of the observables for legends, tables and column names. */
export const OBSERVABLE_SYMBOLS: Readonly<Record<Observable, string>> = { totalTopplings: 'S_total', sMax: 's_max' };

/** The observables with what they measure, for axis titles and captions. */
export const OBSERVABLE_LABELS: Readonly<Record<Observable, string>> = {
  totalTopplings: 'S_total (total topplings)',
  sMax: 's_max (largest avalanche)',
};

/** Observable symbols with HTML subscripts, for plotly text. */
export const OBSERVABLE_HTML: Readonly<Record<Observable, string>> = { totalTopplings: 'S<sub>total</sub>', sMax: 's<sub>max</sub>' };

/** Words for the phases (and 'all' snapshots) in legends, tables and sentences. */
export const PHASE_LABELS: Readonly<Record<SnapshotPhase | 'all', string>> = {
  pre: 'before onset',
  post: 'after onset',
  none: 'runs without onset',
  all: 'all snapshots',
};

/** The inputs of the topology comparison. */
export const INPUT_KIND_LABELS: Readonly<Record<InputKind, string>> = {
  real: 'real gradients',
  gaussian: 'Gaussian (i.i.d.)',
  permuted: 'permuted real',
  'student-t': 'Student-t (df 1.5)',
  matched: 'matched marginal',
};

/** Axis titles of the avalanche quantities (all dimensionless counts) and their symbols. */
export const AVALANCHE_QUANTITY_LABELS: Readonly<Record<AvalancheQuantity, string>> = {
  size: 'avalanche size s (topplings)',
  area: 'avalanche area A (distinct nodes toppled)',
  duration: 'avalanche duration T (generations)',
};
export const AVALANCHE_QUANTITY_SYMBOLS: Readonly<Record<AvalancheQuantity, string>> = { size: 's', area: 'A', duration: 'T' };

/** The choices of the robustness study (with symbols), for panel titles. */
export const ROBUSTNESS_CHOICE_LABELS: Readonly<Record<RobustnessChoice, string>> = {
  thresholdQuantile: 'quantile q',
  alpha: 'transfer α',
  baM: 'BA m',
  mapping: 'values → nodes',
  timeBinning: 'D(t) binning',
};

/** Axis titles of the training metrics. */
export const METRIC_TITLES: Readonly<Record<string, string>> = {
  trainAccuracy: 'train accuracy',
  testAccuracy: 'test accuracy',
  trainLoss: 'train loss',
  testLoss: 'test loss',
  weightNorm: 'weight norm ‖θ‖₂',
  gini: 'Gini of |θ|',
};

/** Legend label of a scale: `N = 81 (h = 20)`. */
export function scaleLabel(N: number, h: number): string {
  return `N = ${N} (h = ${h})`;
}
