export * from './display';
export * from './danfo';
