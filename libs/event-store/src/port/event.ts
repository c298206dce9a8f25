/** Who caused a change: a partner user, an internal service, or the system itself (schedulers). */
export interface Actor {
  type: 'user' | 'service' | 'system' | 'customer';
  id: string;
}

/** Metadata every event carries (spec: partner id, customer id, occurred-at, correlation, causation, actor). */
export interface EventMetadata {
  partnerId: string;
  customerId?: string;
  /** ISO 8601 UTC. Comes from the injected clock, not from the database. */
  occurredAt: string;
  correlationId: string;
  causationId?: string;
  actor: Actor;
  /** Anything else a producer wants to keep with the event (request id, user agent, …). */
  [extra: string]: unknown;
}

/**
 * An event as the domain writes it: a discriminated union member by `type`
 * (emmett's `Event<'CustomerInvited', data, meta>`).
 */
export interface DomainEvent<
  TType extends string = string,
  TData extends Record<string, unknown> = Record<string, unknown>,
> {
  type: TType;
  data: TData;
}

/** An event ready to append: ids and versions are fixed by the writer, so a retry is the same event. */
export interface NewEvent<
  TType extends string = string,
  TData extends Record<string, unknown> = Record<string, unknown>,
> extends DomainEvent<TType, TData> {
  /** UUID; appending an id that is already stored is an idempotent no-op. */
  id: string;
  /** Schema version of `data` as written; readers see the current version through upcasters. */
  schemaVersion: number;
  metadata: EventMetadata;
}

export interface RecordedEvent<
  TType extends string = string,
  TData extends Record<string, unknown> = Record<string, unknown>,
> extends NewEvent<TType, TData> {
  streamId: string;
  /** 1-based position of the event inside its stream. */
  streamVersion: number;
  /** Position in the whole log; strictly increasing in the order a catch-up reader sees events. */
  globalPosition: bigint;
  /** When the store committed it (server time; `metadata.occurredAt` is the domain time). */
  recordedAt: Date;
}

/** Streams are named `<category>-<id>`; the category is what precedes the first `-`. */
export function streamCategory(streamId: string): string {
  const i = streamId.indexOf('-');
  return i < 0 ? streamId : streamId.slice(0, i);
}

export function streamName(category: string, id: string): string {
  if (category.includes('-')) throw new Error(`category must not contain '-': ${category}`);
  return `${category}-${id}`;
}
