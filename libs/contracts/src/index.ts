export * from './contract';
export * from './json-schema';
export { ACCOUNT_TYPES, type AccountType } from './schema-builders';
export * from './customers.contracts';
export * from './subscriptions.contracts';
export * from './reporting.contracts';
export * from './registry';
export * from './kafka-binding';
export * from './schema-docs';
