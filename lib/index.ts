/**
 * grokking-fss: finite-size scaling of gradient avalanches during grokking.
 *
 * Public API, by pipeline stage. Notebooks import from here by package name
 * (`import { ... } from 'grokking-fss'`).
 */
export * from './util/errors';
export * from './util/hash';
export * from './util/random';
export * from './util/profile';
export * from './backend/index';
export * from './store/index';
export * from './tasks/index';
export * from './train/index';
export * from './graphs/index';
export * from './probe/index';
export * from './stats/index';
export * from './fss/index';
export * from './plot/index';
export * from './analysis/index';
export * from './notebook/index';
export * from './report/index';
