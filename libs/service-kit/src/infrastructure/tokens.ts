/** The service's own pg Pool. */
export const PG_POOL = Symbol('PG_POOL');
/** The service's event store (protected; PostgreSQL or EventStoreDB underneath). */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** The service's ProjectionRegistry (its runners: read models, relay). */
export const PROJECTION_REGISTRY = Symbol('PROJECTION_REGISTRY');
/** The process-wide MessageTransport (Kafka or in-process). */
export const MESSAGE_TRANSPORT = Symbol('MESSAGE_TRANSPORT');
