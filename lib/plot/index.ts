// Plotting: notebook display (show, with static images), paper styles, palette, panel geometry, display names,
// the last layout pass and its check, static export through Chromium.
export * from './figure';
export * from './palette';
export * from './styles';
export * from './panels';
export * from './names';
export * from './plotlyBundle';
export * from './show';
export * from './png';
export * from './svg';
export * from './export';
export * from './finish';
export * from './layoutCheck';
export * from './plotPage';
export * from './staticImage';
// Not staticImageWorker: it is the worker thread's entry point, never imported.
