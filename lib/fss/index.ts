export * from './rows';
export * from './scalingExponent';
export * from './trajectory';
export * from './collapse';
