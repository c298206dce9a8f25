export * from './ids';
export * from './clock';
export * from './result';
export * from './errors';
export * from './retry';
