/**
 * The analysis layer: the pipeline from a sweep's runs to typed results, each rule defined once —
 * the plan, the phase split at each run's onset, the fit of D before / after it, D(t) and its
 * crossings of D = 1, the probe sweeps and their caching, and the computations of notebooks
 * 01–08. No figures, no prose, no TensorFlow.js.
 */
export { analysisPlan, checkAnalysisPlan } from './plan';
export type { AnalysisPlan } from './plan';
export { OBSERVABLES } from './observables';
export type { Observable } from './observables';
export {
  completedRuns,
  excludeScales,
  failedRuns,
  groksTable,
  nonGrokkingScales,
  ONSET_FIELDS,
  onsetsByScale,
  onsetSummary,
  onsetTable,
  runCacheHits,
  runKey,
  runOnsets,
  runRows,
  sweepMetrics,
  sweepSnapshots,
} from './runs';
export type { GroksOptions, GrokVerdict, OnsetField, OnsetMap, OnsetSummary, RunsInput, SnapshotQuantity } from './runs';
export { onsetMapOf, PHASES, phaseCounts, phaseOf, probeRows, splitByOnset, tablePhaseCounts, usableRows } from './phase';
export type { Phase, PhaseCounts, PhaseOptions, ProbeRow, SnapshotPhase, UsableRows } from './phase';
export { FIT_PHASES, fitPhase, phaseFits } from './dimension';
export type { FitPhase, FitPhaseOptions, PhaseFit } from './dimension';
export { crossingsOf, trajectoryAnalysis } from './trajectory';
export type { Crossings, TrajectoryAnalysis, TrajectoryAnalysisOptions } from './trajectory';
export { probeSweep } from './probeSweep';
export type { ProbeSweepOverrides } from './probeSweep';
export { nullSnapshots } from './nulls';
export { collapseAnalysis } from './collapse';
export type { CollapseAnalysis, CollapseAnalysisOptions } from './collapse';
export { giniPeaks, giniPeaksByScale, metricCurves, runMetricCurves, scaleMetricCurves, sweepCurves } from './training';
export type { GiniPeakKind, MetricsTableLike, RunCurve, ScaleCurve, SweepCurves } from './training';
export { avalancheAnalysis, AVALANCHE_QUANTITIES, meanTrajectory, POWER_LAW_TABLE_ALTERNATIVES, powerLawTable, sizeCcdfsByScale } from './avalanches';
export type { AvalancheAnalysis, AvalancheQuantity, CcdfCurve, MeanTrajectoryPoint, PowerLawRow, PowerLawTableOptions } from './avalanches';
export { INPUT_KINDS, topologyComparison, topologyComparisonFromSnapshots, topologyKey, topologyLabel } from './topologies';
export type { InputKind, ReplicateSet, TopologyComparison, TopologyComparisonOptions } from './topologies';
export { ROBUSTNESS_CHOICES, robustnessChoices, robustnessSweep, robustnessSweepFromSnapshots } from './robustness';
export type { RobustnessChoice, RobustnessChoices, RobustnessOptions, RobustnessResult, TimeBinning } from './robustness';
export { avalancheSamples, cracklingAnalysis } from './crackling';
export type { AvalancheSample, AvalancheSamples, CracklingAnalysis, CracklingCurves, CracklingOptions, CracklingRow } from './crackling';
export { alignedBinEdges, grokkingDimension } from './grokkingDimension';
export type { GrokkingDimension, GrokkingDimensionOptions, ObservableDimension } from './grokkingDimension';
export { importedRunsAnalysis, roundTripCheck, sweepScalingResults } from './importedRuns';
export { COVERAGE_DESIGNS, designRows } from './coverageDesigns';
export type { CoverageDesign, CoverageDesignOptions } from './coverageDesigns';
export { CROSSING_RULES, coverageStudy, coverageTable, coverageTruth, designCoverageStudy, designStudySize, replicationIntervals } from './coverage';
export type {
  CoveragePlan,
  CoverageRow,
  DesignStudySize,
  CoverageStudy,
  CoverageStudyOptions,
  CoverageTruth,
  CoveredInterval,
  CrossingRule,
  ReplicationIntervals,
  ReplicationResult,
} from './coverage';
export {
  COVERAGE_KINDS,
  COVERAGE_RESULTS_VERSION,
  coverageComparison,
  coverageExperiment,
  coverageResultsJson,
  coverageRowOf,
  isRowOfRule,
  RULE_BEFORE_STUDY,
  coverageResultsPath,
  parseCoverageResults,
  readCoverageResults,
  replicationSummaries,
  writeCoverageResults,
} from './coverageResults';
export type { CoverageComparison, CoverageExperiment, CoverageResults, IntervalRule, ReplicationSummary } from './coverageResults';
export type { ImportedNull, ImportedRunsAnalysis, ImportedRunsOptions, RoundTripCheck, RoundTripItem, SweepScalingResults } from './importedRuns';
export { collapseCoverageStudies, collapseMethodComparison, collapseRecovery, collapseVerificationPlan, runVerificationCase } from './collapseVerification';
export type { CollapseMethodComparison, CollapseVerificationCase, CollapseVerificationPlan, RecoveryRow } from './collapseVerification';
