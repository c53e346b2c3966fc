/**
 * Every figure builder of lib/figures, built from the hand-made fixtures of the figure tests and
 * titled as the notebooks title them: the input of the layout tests (test/figures/layout.test.ts).
 */
import * as aq from 'arquero';
import { avalancheAnalysis, cracklingAnalysis, giniPeaks, giniPeaksByScale, grokkingDimension, metricCurves, onsetSummary, phaseFits, trajectoryAnalysis } from '../../lib/analysis/index';
import { ccdfFigure, sTrajectoryFigure } from '../../lib/figures/avalanches';
import { cracklingDistributionFigure, cracklingScalingFigure } from '../../lib/figures/crackling';
import { grokkingDimensionFigure } from '../../lib/figures/grokkingDimension';
import { paperFigure1, paperFigure2, paperFigure3, PAPER_FIGURE_HEIGHTS } from '../../lib/figures/paper';
import { robustnessFigure } from '../../lib/figures/robustness';
import { collapseCandidatesFigure, collapseProfileFigure, dataCollapseFigure } from '../../lib/figures/dataCollapse';
import { dataCollapse } from '../../lib/fss/dataCollapse';
import { collapseQualityProfile } from '../../lib/fss/collapseProfile';
import { syntheticCollapseSizes } from '../../lib/fss/syntheticCollapse';
import { dimensionTrajectoryFigure, scalingFitFigure } from '../../lib/figures/scaling';
import { bootstrapHistograms, topologyBarChart } from '../../lib/figures/topologies';
import { coverageFigure, crossingIntervalsFigure } from '../../lib/figures/coverage';
import { coverageComparison, readCoverageResults } from '../../lib/analysis/coverageResults';
import { giniFigure, trainingCurvesFigure, trainTestAccuracyFigure } from '../../lib/figures/training';
import type { PlotlyFigure } from '../../lib/plot/figure';
import type { PaperStyleName } from '../../lib/plot/styles';
import { crackling, grokRows, grokRuns, handTable, planWith, run as probeRun, threePhaseInputs } from '../analysis/fixtures';
import { handMetrics, run as trainRun } from '../analysis/trainingFixtures';
import { inputs as paperInputs, TOPOLOGY_TABLE } from './paperInputs';

/** A named figure of the gallery. */
export interface GalleryFigure {
  name: string;
  figure: PlotlyFigure;
}

function avalanches() {
  const runs = [probeRun(81, 0, 100), probeRun(81, 1, null), probeRun(161, 0, 50)];
  const summary = aq.table({ scaleN: [81, 81, 161, 161], seed: [0, 1, 0, 0], snapshot: [0, 0, 0, 1], epoch: [0, 0, 0, 20], graphSeed: [0, 0, 0, 0], sMax: [2, 4, 10, 30], totalTopplings: [1, 1, 1, 1], truncated: [false, false, false, false] });
  const sizes = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233];
  const rows = [0, 200].flatMap((epoch) => [81, 161].flatMap((scaleN) => sizes.map((size) => ({ scaleN, seed: 0, epoch, size: size * (scaleN / 81), area: 1, duration: 1 }))));
  return avalancheAnalysis({ summary, avalanches: aq.from(rows) }, runs);
}

function robustnessTable() {
  const base = { observable: 'totalTopplings', dPreLow: 0.7, dPreHigh: 0.9, dPostLow: 1.1, dPostHigh: 1.3, crossingSinceOnset: 10, crossingSinceOnsetLow: 0, crossingSinceOnsetHigh: 30, truncatedCount: 0, isBaseline: false };
  return aq.from([
    { ...base, choice: 'thresholdQuantile', value: '0.8', parameter: 0.8, dPre: 0.82, dPost: 1.18 },
    { ...base, choice: 'thresholdQuantile', value: '0.9', parameter: 0.9, dPre: 0.8, dPost: 1.2 },
    { ...base, choice: 'alpha', value: '0.95', parameter: 0.95, dPre: 0.8, dPost: 1.2 },
    { ...base, choice: 'alpha', value: '1', parameter: 1, dPre: 0.85, dPost: 1.25, truncatedCount: 7 },
    { ...base, choice: 'mapping', value: 'identity', parameter: NaN, dPre: 0.8, dPost: 1.2 },
    { ...base, choice: 'mapping', value: 'shuffled', parameter: NaN, dPre: 0.79, dPost: 1.1 },
  ]);
}

/** The notebook figures, at their notebook size and with the notebooks' titles. */
export async function notebookFigures(): Promise<GalleryFigure[]> {
  const curves = metricCurves(handMetrics());
  const gini = giniPeaksByScale(giniPeaks(curves, [trainRun(2, 0, { trainOnset: 1 }), trainRun(2, 1, { trainOnset: 3 }), trainRun(5, 0, { trainOnset: 2 }), trainRun(5, 1, { trainOnset: 2 })]));
  const a = avalanches();
  const { runs, rows } = threePhaseInputs();
  const onset = onsetSummary(runs);
  const trajectories = (['totalTopplings', 'sMax'] as const).map((o) => trajectoryAnalysis(rows, o, planWith(20)));
  const fits = phaseFits(rows, planWith(20));
  const paper = paperInputs();
  const replicates = [
    { topology: 'ba', kind: 'real' as const, observable: 'totalTopplings' as const, phase: 'pre' as const, replicates: Float64Array.from([0.8, 0.82, 0.79, 0.84]) },
    { topology: 'ba', kind: 'real' as const, observable: 'totalTopplings' as const, phase: 'post' as const, replicates: Float64Array.from([1.2, 1.1, 1.15, 1.18]) },
    { topology: 'ba', kind: 'gaussian' as const, observable: 'totalTopplings' as const, phase: 'all' as const, replicates: Float64Array.from([1.0, 0.99, 1.01]) },
  ];
  const cracklingResult = await cracklingAnalysis([crackling('obeys', 4000, 6)], planWith(0, 0, { avalancheBootstrap: 0 }), { minTail: 100 });
  const grok = grokkingDimension(grokRows(), grokRuns(), planWith(20));
  // The tracked coverage study (bench/results/coverage.json), as notebook 11 shows it.
  const coverage = readCoverageResults();
  if (!coverage) throw new Error('bench/results/coverage.json is missing: the coverage figures need it');
  const xor = coverage.experiments.find((e) => e.name === 'xor');
  if (!xor) throw new Error('bench/results/coverage.json has no xor experiment');
  // A collapse that holds, on synthetic sizes (the hand-made probe fixture has too few avalanches for one).
  const collapse = dataCollapse(syntheticCollapseSizes({ tau: 1.5, D: 1.0, avalanches: 3000, seed: 1 }), { sMin: 2, bootstrap: 10 });
  const collapseProfiles = (['tau', 'D'] as const).map((parameter) => collapseQualityProfile(collapse, { parameter, points: 11 }));
  return [
    { name: '01-accuracy', figure: trainingCurvesFigure(curves, { metric: 'trainAccuracy', title: 'XOR: training accuracy per scale' }) },
    { name: '01-loss', figure: trainingCurvesFigure(curves, { metric: 'trainLoss', seeds: 'band', logY: true, title: 'XOR: training loss per scale' }) },
    { name: '01-gini', figure: giniFigure(curves, gini, { title: 'XOR: Gini of |θ| (● median peak, ◇ median onset)' }) },
    { name: '02-ccdf', figure: ccdfFigure(a, { quantity: 'size', phase: 'both', title: 'Avalanche sizes: CCDF per scale' }) },
    { name: '02-s-max', figure: sTrajectoryFigure(a, 'sMax', { title: 's_max (largest avalanche) over training' }) },
    { name: '03-trajectory', figure: dimensionTrajectoryFigure(trajectories, onset, { title: 'D(t) of S_total and s_max with 95 % bootstrap bands' }) },
    { name: '03-scaling', figure: scalingFitFigure(fits, { title: 'Finite-size scaling before and after the onset' }) },
    { name: '03-collapse', figure: dataCollapseFigure(collapse, { title: 'Post-onset avalanche sizes: as measured (left) and collapsed (right)' }) },
    { name: '03-collapse-candidates', figure: collapseCandidatesFigure(collapse) },
    { name: '03-collapse-quality', figure: collapseProfileFigure(collapse, collapseProfiles) },
    { name: '04-topologies', figure: topologyBarChart(handTable(), 'totalTopplings') },
    { name: '04-histograms', figure: bootstrapHistograms({ replicates }, 'ba', 'totalTopplings') },
    { name: '05-accuracy', figure: trainTestAccuracyFigure(curves, { title: 'Modular addition: train (dashed) and test (solid) accuracy' }) },
    { name: '05-dimension', figure: grokkingDimensionFigure(grok, { title: 'Modular addition: D(t) against t / t_on' }) },
    { name: '06-robustness', figure: robustnessFigure(robustnessTable(), 'totalTopplings') },
    { name: '07-distributions', figure: cracklingDistributionFigure(cracklingResult) },
    { name: '07-mean-size', figure: cracklingScalingFigure(cracklingResult) },
    { name: '11-coverage', figure: coverageFigure(coverageComparison(coverage)) },
    { name: '11-crossing-intervals', figure: crossingIntervalsFigure(xor) },
    { name: '08-figure-1', figure: paperFigure1(paper.figure1, { style: 'double' }) },
    { name: '08-figure-2', figure: paperFigure2(paper.figure2, { style: 'double' }) },
    { name: '08-figure-3', figure: paperFigure3(TOPOLOGY_TABLE, 'totalTopplings', { style: 'double' }) },
  ];
}

/** The paper figures in every style, with the heights they are exported at. */
export function paperFigures(): Array<GalleryFigure & { style: PaperStyleName; heightIn: number }> {
  const paper = paperInputs();
  const styles: PaperStyleName[] = ['single', 'double'];
  return styles.flatMap((style) => [
    { name: `figure-1-${style}`, style, heightIn: PAPER_FIGURE_HEIGHTS.figure1[style], figure: paperFigure1(paper.figure1, { style }) },
    { name: `figure-2-${style}`, style, heightIn: PAPER_FIGURE_HEIGHTS.figure2[style], figure: paperFigure2(paper.figure2, { style }) },
    { name: `figure-3-${style}`, style, heightIn: PAPER_FIGURE_HEIGHTS.figure3[style], figure: paperFigure3(TOPOLOGY_TABLE, 'totalTopplings', { style }) },
  ]);
}
