import type { JsonSchema } from './json-schema';

/** One topic per producing service; message key = customer id. */
export const Topics = {
  customers: 'customers.events.v1',
  subscriptions: 'subscriptions.events.v1',
  reporting: 'reporting.events.v1',
  notifications: 'notifications.events.v1',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];
export type ProducerService = keyof typeof Topics;

/** CloudEvents `source` of each producer (a URI-reference). */
export const sourceOf = (producer: ProducerService): string => `/msp-platform/${producer}`;

/** `$id` of a data schema, and the envelope's `dataschema`. URNs: they name, they are not fetched. */
export const schemaIdOf = (type: string, version: number): string =>
  `urn:msp-platform:integration-events:${type}:v${version}`;

/** The JSON Schema dialect every contract's schema declares. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export interface Actor {
  type: 'user' | 'service' | 'system' | 'customer';
  id: string;
}

/**
 * An integration event as producers build it and consumers receive it. All attributes but
 * `data` travel as CloudEvents headers; `data` is the message value (JSON).
 */
export interface IntegrationEventEnvelope<TType extends string = string, TVersion extends number = number, TData = unknown> {
  /** Event id (UUIDv7); consumers deduplicate by it. The domain event id is a good choice. */
  id: string;
  type: TType;
  /** Schema version of `data`; a breaking change makes a new version (and schema). */
  version: TVersion;
  /** Producing service, `/msp-platform/<service>`. */
  source: string;
  /** When it happened (ISO 8601 UTC). */
  time: string;
  /** The customer id: CloudEvents `subject` and the Kafka message key. */
  subject: string;
  partnerId: string;
  correlationId: string;
  causationId?: string;
  actor: Actor;
  data: TData;
}

/** What a consumer and the schema docs know about one (type, version). */
export interface IntegrationEventContract<TType extends string = string, TVersion extends number = number, TData = unknown> {
  type: TType;
  version: TVersion;
  producer: ProducerService;
  topic: Topic;
  description: string;
  /**
   * Whether `data` carries personal data, and which. Kafka keeps messages for the topic's
   * retention: consumers keep personal data only as long as they need it and delete it on
   * CustomerDisconnected.
   */
  personalData: { carries: false } | { carries: true; fields: string[]; why: string };
  /** Schema of `data` (draft 2020-12). */
  schema: JsonSchema;
  /** A valid `data`, checked against the schema by the tests and shown in the docs. */
  example: TData;
}

export function defineContract<TType extends string, TVersion extends number, TData>(
  contract: Omit<IntegrationEventContract<TType, TVersion, TData>, 'topic' | 'schema'> & { schema: JsonSchema },
): IntegrationEventContract<TType, TVersion, TData> {
  return {
    ...contract,
    topic: Topics[contract.producer],
    schema: {
      $schema: JSON_SCHEMA_DIALECT,
      $id: schemaIdOf(contract.type, contract.version),
      title: `${contract.type} v${contract.version}`,
      description: contract.description,
      ...contract.schema,
      examples: [contract.example],
    },
  };
}

/** The envelope type of a contract. */
export type EnvelopeOf<C> =
  C extends IntegrationEventContract<infer T, infer V, infer D> ? IntegrationEventEnvelope<T, V, D> : never;
