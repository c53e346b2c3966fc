export * from './taskData';
export * from './xor';
export * from './sparseParity';
export * from './modularAddition';
export * from './makeTask';
