/**
 * grokking-fss: finite-size scaling of gradient avalanches during grokking.
 *
 * Public API, by pipeline stage. Notebooks import from here by package name
 * (`import { ... } from 'grokking-fss'`).
 */
export * from './util/errors';
export * from './util/hash';
export * from './util/random';
export * from './backend/index';
export * from './store/index';
