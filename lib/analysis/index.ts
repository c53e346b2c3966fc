export * from './sweep';
export * from './nulls';
