// Figure builders and pipeline steps of the analysis notebooks (one file per topic).
export {};
export * from './plan';
export * from './training';
export * from './avalanches';
export * from './topologies';
export * from './robustness';
export * from './crackling';
export * from './scaling';
export * from './grokkingDimension';
export * from './paperFigures';
