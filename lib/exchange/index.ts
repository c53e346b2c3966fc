/**
 * The exchange format (docs/exchange-format.md): runs trained elsewhere (PyTorch, JAX) as one
 * `.npz` or `.safetensors` file per run, read with clear errors and streamed by snapshot, and
 * runs trained here written in the same format. No TensorFlow.js, no new dependency.
 */
export { ExchangeFileError, readRows } from './arrays';
export type { RunArrays, StoredArray } from './arrays';
export { EXCHANGE_ONSETS, readRunDirectory } from './directory';
export type { ExchangeOnset, ExchangeSweep, ReadRunDirectoryOptions } from './directory';
export { EXPORT_FORMATS, exportFileName, exportRuns, runExchangeBytes } from './export';
export type { ExchangeExportFormat, ExportRunsOptions, ExportRunsResult } from './export';
export { LAYOUT_ORIENTATIONS, layoutJsonOf, layoutParameterCount, networkLayoutOf, parseLayout } from './layout';
export type { ExchangeLayout, LayoutOrientation, LayoutTensor } from './layout';
export { encodeNpy, parseNpyHeader } from './npy';
export type { NpyContent } from './npy';
export { encodeNpz, openNpz } from './npz';
export { encodeSafetensors, openSafetensors } from './safetensors';
export { checkRunValues, EXCHANGE_ARRAYS, EXCHANGE_EXTENSIONS, openRunArrays, readRunFile, runSnapshotInputs } from './runFile';
export type { ExchangeQuantity, ExchangeRun } from './runFile';
