export * from './rows';
export * from './scalingExponent';
export * from './trajectory';
export * from './collapse';
export { SEED_BOOTSTRAPS } from './clusters';
export type { SeedBootstrap } from './clusters';
export * from './crossingBand';
