export * from './ids';
export * from './deterministic-id';
export * from './clock';
export * from './result';
export * from './errors';
export * from './retry';
