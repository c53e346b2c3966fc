/**
 * grokking-fss: finite-size scaling of gradient avalanches during grokking.
 *
 * The public API, by pipeline stage. Notebooks import from here by package name
 * (`import { ... } from 'grokking-fss'`). Everything else is internal to its stage; import a
 * stage's own file for it (e.g. `grokking-fss/build/lib/stats/...`).
 */

// Profiles, errors and seeds: which budget a run uses, how bad input is reported, reproducible random streams.
export { activeProfile, PROFILE_NAMES } from './util/profile';
export type { ProfileName } from './util/profile';
export { InvalidOptionError } from './util/errors';
export { deriveSeed, Random } from './util/random';

// Backend: the TensorFlow.js backend (native, WASM or CPU) the training stage runs on.
export { initBackend, tf } from './backend/index';
export type { BackendName, BackendReport } from './backend/index';

// Store: checksummed, content-addressed cache of every stage's results under data/store.
export { cached, readEntry, readEntryByKey, storeRoot } from './store/index';
export type { StoredEntry } from './store/index';

// Tasks: the data sets (XOR, modular addition, sparse parity).
export { makeTask, TASK_NAMES } from './tasks/makeTask';
export type { TaskConfig, TaskName } from './tasks/makeTask';
export type { TaskData } from './tasks/taskData';

// Training: one run, a sweep over widths × seeds, the profiles' plans, and the stored runs' reader (no TensorFlow.js).
export { layerSizesOf, resolveTrainConfig } from './train/config';
export type { TrainConfig, TrainConfigInput } from './train/config';
export { parameterCount, parameterLayout } from './train/layout';
export type { ParameterLayout } from './train/layout';
export { onsetEpoch } from './train/onset';
export { earlyStopCheckPlan, MODULAR_EARLY_STOP, profileSweeps, trainingPlan } from './train/profiles';
export type { TrainingPlan } from './train/profiles';
export { findRun, trainRun } from './train/trainRun';
export type { TrainRunOptions, TrainRunResult } from './train/trainRun';
export { trainScales, trainSweeps } from './train/trainScales';
export type { SweepConfig, SweepProgress, TrainScalesOptions } from './train/trainScales';
export { METRIC_COLUMNS, openRun, readLayout, readRunMetrics, readRunSummary, readSnapshots, RUN_FILES, TRAIN_STAGE } from './train/runFiles';
export type { RunRow, RunSnapshots, RunSummary } from './train/runFiles';

// Exchange format: runs trained elsewhere (PyTorch, JAX) as one .npz / .safetensors file per run, and runs trained here written in it (docs/exchange-format.md; no TensorFlow.js).
export {
  EXCHANGE_ONSETS,
  ExchangeFileError,
  EXPORT_FORMATS,
  exportRuns,
  layoutJsonOf,
  networkLayoutOf,
  parseLayout,
  readRunDirectory,
  readRunFile,
} from './exchange/index';
export type { ExchangeLayout, ExchangeRun, ExchangeSweep, ExportRunsOptions, ExportRunsResult, ReadRunDirectoryOptions } from './exchange/index';

// Graphs: the topologies the probe runs on.
export { makeGraph, normaliseGraphSpec, TOPOLOGY_NAMES } from './graphs/makeGraph';
export type { GraphSpec, TopologyName } from './graphs/makeGraph';
export type { Graph } from './graphs/graph';

// Probe: the threshold avalanche cascade seeded by one snapshot, a batch of snapshots, and synthetic gradients.
export { runProbe } from './probe/runProbe';
export type { ProbeResult } from './probe/runProbe';
export { PROBE_MAPPINGS, PROBE_TRANSFORMS } from './probe/options';
export type { ProbeMapping, ProbeOptions, ProbeTransform } from './probe/options';
export { probeSnapshots } from './probe/probeSnapshots';
export type { ProbeSnapshotsConfig, ProbeSnapshotsResult, SnapshotInput } from './probe/probeSnapshots';
export { SYNTHETIC_KINDS, syntheticGradients } from './probe/syntheticGradients';
export type { SyntheticKind } from './probe/syntheticGradients';

// Statistics: power laws (Clauset–Shalizi–Newman), distribution comparisons, crackling noise, bootstrap.
export { BOOTSTRAP_REPLICATES, bootstrapStatistic, median, percentileInterval } from './stats/bootstrap';
export { binomialInterval } from './stats/binomial';
export type { BinomialInterval } from './stats/binomial';
export { ccdf, logBinnedDensity } from './stats/ccdf';
export { ALTERNATIVE_DISTRIBUTIONS, compareDistributions } from './stats/compareDistributions';
export type { AlternativeDistribution, DistributionComparison } from './stats/compareDistributions';
export { cracklingNoise } from './stats/crackling';
export type { CracklingNoise } from './stats/crackling';
export { fitPowerLaw } from './stats/powerLaw';
export type { PowerLawFit, PowerLawFitOptions } from './stats/powerLaw';
export { powerLawPValue } from './stats/powerLawPValue';

// Finite-size scaling: D from S ∝ N^D, D(t), its crossings, the data collapse.
export { SEED_BOOTSTRAPS } from './fss/clusters';
export type { SeedBootstrap } from './fss/clusters';
export { bandCrossingInterval, simultaneousBand } from './fss/crossingBand';
export type { DimensionBand } from './fss/crossingBand';
export { fitScalingExponent } from './fss/scalingExponent';
export type { ScalingExponentFit, ScalingExponentOptions } from './fss/scalingExponent';
export { CROSSING_INTERVALS, crossingTime, dimensionTrajectory, levelCrossings } from './fss/trajectory';
export type {
  CrossingInterval,
  CrossingTime,
  CrossingTimeOptions,
  DimensionTrajectory,
  LevelCrossing,
  TrajectoryOptions,
  TrajectoryPoint,
} from './fss/trajectory';
export type { AutoscaleResult } from './fss/collapse';
export { collapseEstimate, dataCollapse } from './fss/dataCollapse';
export type { CollapseCandidate, CollapsedCurve, CollapseEstimate, DataCollapseResult } from './fss/dataCollapse';
export { resolveCollapseOptions } from './fss/collapseOptions';
export type { DataCollapseOptions, ResolvedDataCollapseOptions } from './fss/collapseOptions';
export { collapseQualityProfile } from './fss/collapseProfile';
export type { CollapseQualityProfile } from './fss/collapseProfile';
export { collapseCoverage } from './fss/collapseCoverage';
export type { CollapseCoverage, CoverageReplication, Proportion } from './fss/collapseCoverage';
export { cutoffPowerLawMoment, sampleCutoffPowerLaw } from './fss/cutoffPowerLaw';
export { PAPER_SCALES_N, syntheticCollapseSizes } from './fss/syntheticCollapse';
export type { SyntheticCollapseOptions } from './fss/syntheticCollapse';

// Analysis: the pipeline from runs to typed results, every rule defined once (plan, phases, fits, crossings, probe sweeps).
export { analysisPlan, checkAnalysisPlan } from './analysis/plan';
export type { AnalysisPlan } from './analysis/plan';
export { OBSERVABLES } from './analysis/observables';
export type { Observable } from './analysis/observables';
export {
  completedRuns,
  excludeScales,
  failedRuns,
  groksTable,
  nonGrokkingScales,
  onsetsByScale,
  onsetSummary,
  onsetTable,
  runCacheHits,
  runOnsets,
  sweepMetrics,
  sweepSnapshots,
} from './analysis/runs';
export type { OnsetField, OnsetMap, OnsetSummary, RunsInput } from './analysis/runs';
export { PHASES, phaseOf, probeRows, splitByOnset } from './analysis/phase';
export type { Phase, PhaseCounts, ProbeRow, SnapshotPhase } from './analysis/phase';
export { fitPhase, phaseFits } from './analysis/dimension';
export type { FitPhase, PhaseFit } from './analysis/dimension';
export { crossingsOf, trajectoryAnalysis } from './analysis/trajectory';
export type { Crossings, TrajectoryAnalysis, TrajectoryAnalysisOptions } from './analysis/trajectory';
export { probeSweep } from './analysis/probeSweep';
export { nullSnapshots } from './analysis/nulls';
export { metricCurves, sweepCurves, giniPeaks, giniPeaksByScale } from './analysis/training';
export type { RunCurve, ScaleCurve, SweepCurves } from './analysis/training';
export { avalancheAnalysis, powerLawTable, sizeCcdfsByScale } from './analysis/avalanches';
export type { AvalancheAnalysis, CcdfCurve, PowerLawRow } from './analysis/avalanches';
export { collapseAnalysis } from './analysis/collapse';
export type { CollapseAnalysis, CollapseAnalysisOptions } from './analysis/collapse';
export { INPUT_KINDS, topologyComparison, topologyComparisonFromSnapshots, topologyLabel } from './analysis/topologies';
export type { InputKind, TopologyComparison } from './analysis/topologies';
export { robustnessChoices, robustnessSweep, robustnessSweepFromSnapshots } from './analysis/robustness';
export type { RobustnessChoices, RobustnessResult } from './analysis/robustness';
export { avalancheSamples, cracklingAnalysis } from './analysis/crackling';
export type { AvalancheSample, AvalancheSamples, CracklingAnalysis, CracklingRow } from './analysis/crackling';
export { earlyStopCheck } from './analysis/earlyStopCheck';
export type { EarlyStopCheck, EarlyStopComparison, ProbedRuns } from './analysis/earlyStopCheck';
export { grokkingDimension } from './analysis/grokkingDimension';
export type { GrokkingDimension } from './analysis/grokkingDimension';
export { importedRunsAnalysis, roundTripCheck, sweepScalingResults } from './analysis/importedRuns';
export type { ImportedRunsAnalysis, ImportedRunsOptions, RoundTripCheck } from './analysis/importedRuns';
export {
  collapseCoverageStudies,
  collapseMethodComparison,
  collapseRecovery,
  collapseVerificationPlan,
  runVerificationCase,
} from './analysis/collapseVerification';
export type { CollapseMethodComparison, CollapseVerificationCase, CollapseVerificationPlan, RecoveryRow } from './analysis/collapseVerification';
export { COVERAGE_DESIGNS, designRows } from './analysis/coverageDesigns';
export type { CoverageDesign, CoverageDesignOptions } from './analysis/coverageDesigns';
export { coverageStudy, coverageTruth, designCoverageStudy, designStudySize, replicationIntervals } from './analysis/coverage';
export type { CoverageRow, CoverageStudy, CoverageStudyOptions } from './analysis/coverage';
export { coverageComparison, coverageExperiment, coverageResultsPath, readCoverageResults } from './analysis/coverageResults';
export type { CoverageComparison, CoverageExperiment, CoverageResults } from './analysis/coverageResults';

// Figures: pure functions from typed results to plotly figures.
export { giniFigure, trainingCurvesFigure, trainTestAccuracyFigure } from './figures/training';
export { ccdfFigure, sTrajectoryFigure } from './figures/avalanches';
export { dimensionTrajectoryFigure, scalingFitFigure } from './figures/scaling';
export { bootstrapHistograms, topologyBarChart } from './figures/topologies';
export { robustnessFigure } from './figures/robustness';
export { cracklingDistributionFigure, cracklingScalingFigure } from './figures/crackling';
export { grokkingDimensionFigure } from './figures/grokkingDimension';
export { PAPER_FIGURE_HEIGHTS, paperFigure1, paperFigure2, paperFigure3, paperFigureItems } from './figures/paper';
export { collapseCandidatesFigure, collapseProfileFigure, collapseRecoveryFigure, dataCollapseFigure } from './figures/dataCollapse';
export type { PaperFigureInputs } from './figures/paper';
export { coverageFigure, crossingIntervalsFigure } from './figures/coverage';

// Report: tables, headline numbers and markdown from typed results, and the paper's reference values.
export { groksMarkdown, onsetSummaryTable, planTable, trainingHeadline, trainingSummaryMarkdown } from './report/training';
export { avalanchesHeadline, avalanchesSummaryMarkdown, powerLawFitTable } from './report/avalanches';
export { crossingTable, leaveOneOutTable, PAPER_FSS, scalingFitTable, scalingHeadline, scalingSummaryMarkdown } from './report/scaling';
export { PAPER_GAUSSIAN_D, topologyHeadline, topologySummaryMarkdown, topologyTableDisplay, writeTopologyCsv } from './report/topologies';
export { robustnessHeadline, robustnessSpread, robustnessSummaryMarkdown, truncationTable } from './report/robustness';
export { avalancheSampleTable, cracklingDisplayTable, cracklingFindings, cracklingSummaryMarkdown } from './report/crackling';
export { grokkingCrossingTable, grokkingDimensionHeadline, grokkingDimensionMarkdown, grokkingPrePostTable } from './report/grokkingDimension';
export { paperFiguresMarkdown } from './report/paper';
export { earlyStopCheckHeadline, earlyStopCheckMarkdown, earlyStopCheckTable, earlyStopRuleText } from './report/earlyStopCheck';
export { exchangeRunsTable, importedAnalysisJson, importedSummaryMarkdown, importedSummaryTable, roundTripTable } from './report/importedRuns';
export type { ImportedAnalysisJson } from './report/importedRuns';
export { collapseCandidateRows, collapseResultRow, collapseUncertaintyTable, collapseVerdict } from './report/collapse';
export { collapseMethodTable, collapseVerificationMarkdown, coverageTable, recoveryTable, verdictTable } from './report/collapseVerification';
export { coverageHeadline, coverageNote, coverageOverview, coverageRules, coverageSummaryMarkdown, coverageTableDisplay } from './report/coverage';

// Plotting: display in a notebook, paper layouts and colours, names of quantities, static export (SVG/PDF/PNG).
export { displayFigure, show } from './plot/show';
export type { ShowOptions, ShowResult } from './plot/show';
export { closeStaticRenderer, staticImage, STATIC_IMAGE_FORMATS } from './plot/staticImage';
export type { StaticImage, StaticImageFormat } from './plot/staticImage';
export { finishLayout } from './plot/finish';
export { mergeLayout, paperLayout, PAPER_STYLES } from './plot/styles';
export type { PaperStyleName } from './plot/styles';
export type { PlotlyFigure, PlotlyLayout, PlotlyTrace } from './plot/figure';
export { OKABE_ITO, OKABE_ITO_NAMED } from './plot/palette';
export { OBSERVABLE_LABELS, OBSERVABLE_SYMBOLS } from './plot/names';
export { exportFigure, exportFigures } from './plot/export';
export type { ExportItem, ExportOptions, ExportResult } from './plot/export';
export { plotlyVersion } from './plot/plotlyBundle';

// Notebook: tables, markdown and progress in a cell, results bookkeeping for `npm run reproduce`.
export { progressDisplay, showMarkdown, showTable } from './notebook/display';
export { toDataFrame } from './notebook/danfo';
export { recordResults, timedStage } from './notebook/results';
export { showGrokkingDimension } from './notebook/showResult';
