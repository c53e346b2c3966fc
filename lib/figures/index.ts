/**
 * Figures: pure functions from the analysis layer's typed results to plotly figures (nothing is
 * computed or displayed here; `show` and `exportFigures` of lib/plot do that).
 */
export { giniFigure, trainingCurvesFigure, trainTestAccuracyFigure } from './training';
export type { GiniFigureOptions, TrainingCurvesOptions, TrainTestAccuracyOptions } from './training';
export { ccdfFigure, sTrajectoryFigure } from './avalanches';
export type { CcdfFigureOptions, TrajectoryFigureOptions } from './avalanches';
export { collapseTraces, dimensionTrajectoryFigure, dimensionTrajectoryTraces, scalingFitFigure, scalingFitTraces } from './scaling';
export type { TrajectoryTraceOptions } from './scaling';
export { bootstrapHistograms, topologyBarChart } from './topologies';
export { robustnessFigure } from './robustness';
export { cracklingDistributionFigure, cracklingScalingFigure } from './crackling';
export { grokkingDimensionFigure } from './grokkingDimension';
export type { GrokkingDimensionFigureOptions } from './grokkingDimension';
export { PAPER_FIGURE_HEIGHTS, paperFigure1, paperFigure2, paperFigure3, paperFigureItems } from './paper';
export { coverageFigure, crossingIntervalsFigure } from './coverage';
export type { Figure1Inputs, Figure2Inputs, PaperFigureInputs } from './paper';
export { collapseCandidatesFigure, collapseProfileFigure, collapseRecoveryFigure, dataCollapseFigure } from './dataCollapse';
export type { RecoveryPoint } from './dataCollapse';
