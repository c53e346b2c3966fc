/**
 * Report: tables, headline numbers and markdown built from the analysis layer's typed results.
 */
export { caveats } from './format';
export { groksMarkdown, onsetSummaryTable, planTable, trainingHeadline, trainingSummaryMarkdown } from './training';
export type { TrainingHeadline } from './training';
export { avalanchesHeadline, avalanchesSummaryMarkdown, powerLawComparisonTable, powerLawFindings, powerLawFitTable, powerLawVerdict } from './avalanches';
export type { AvalanchesHeadline, PowerLawFindings } from './avalanches';
export { crossingTable, leaveOneOutTable, PAPER_FSS, scalingFitTable, scalingHeadline, scalingSummaryMarkdown } from './scaling';
export type { ScalingHeadline } from './scaling';
export {
  dByTopology,
  PAPER_GAUSSIAN_D,
  topologyHeadline,
  topologySummaryMarkdown,
  topologyTableDisplay,
  topologyTableWide,
  writeTopologyCsv,
} from './topologies';
export type { TopologyHeadline } from './topologies';
export { robustnessHeadline, robustnessSpread, robustnessSummaryMarkdown, truncationTable } from './robustness';
export { avalancheSampleTable, cracklingCaveats, cracklingDisplayTable, cracklingFindings, cracklingSummaryMarkdown, cracklingVerdict } from './crackling';
export { grokkingCrossings, grokkingCrossingTable, grokkingDimensionHeadline, grokkingDimensionMarkdown, grokkingPrePostTable } from './grokkingDimension';
export type { GrokkingCrossing } from './grokkingDimension';
export { paperFiguresMarkdown } from './paper';
export { exchangeRunsTable, importedAnalysisJson, importedSummaryMarkdown, importedSummaryTable, roundTripTable } from './importedRuns';
export {
  COVERAGE_NOTE_KINDS,
  coverageHeadline,
  coverageNote,
  coverageOverview,
  coverageRules,
  coverageSummaryMarkdown,
  coverageTableDisplay,
} from './coverage';
export type { CoverageHeadlineItem, CoverageNoteKind, CoverageRules } from './coverage';
export type { CrossingJson, FitJson, ImportedAnalysisJson } from './importedRuns';
export { collapseCandidateRows, collapseResultRow, collapseUncertaintyTable, collapseVerdict } from './collapse';
export { collapseMethodTable, collapseVerificationMarkdown, coverageTable, recoveryTable, verdictTable } from './collapseVerification';
