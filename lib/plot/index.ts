// Plotting: notebook display (show), paper styles, palette, panel geometry, display names, static export through Chromium.
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
