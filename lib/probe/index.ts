export * from './options';
export * from './quantile';
export * from './orderStatistics';
export * from './runProbe';
export * from './syntheticGradients';
export * from './slope';
export * from './probeSnapshots';
