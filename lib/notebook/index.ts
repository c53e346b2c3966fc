export * from './display';
export * from './danfo';
export * from './results';
export * from './showResult';
