export * from './test-database';
export * from './kafka/kafka-test-broker';
export * from './kafka/kafka-test-helpers';
export * from './csv';
export * from './integration-events';
