// Plotting: notebook display (show), paper styles and palette, static export through Chromium.
export * from './figure';
export * from './palette';
export * from './styles';
export * from './plotlyBundle';
export * from './show';
export * from './png';
export * from './svg';
export * from './export';
