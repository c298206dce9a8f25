import {
  integrationEventRegistry,
  sourceOf,
  Topics,
  validateJson,
  type IntegrationEventContract,
  type IntegrationEventEnvelope,
  type ProducerService,
} from '@platform/contracts';
import type { RecordedEvent } from '@platform/event-store';
import type { IntegrationEventMapper } from '@platform/messaging';

/** A domain event that should be announced cannot be: the relay retries, then parks it (visible in /health/ready). */
export class IntegrationEventMappingError extends Error {
  constructor(event: RecordedEvent, reason: string) {
    super(`event ${event.id} (${event.type}) on ${event.streamId} cannot be announced: ${reason}`);
    this.name = 'IntegrationEventMappingError';
  }
}

/**
 * The default relay mapping: a domain event whose type is an integration contract of the
 * producer's topic is announced under the contract's latest version, with the event's own
 * id (consumers deduplicate by it), metadata and data; the data must satisfy the contract's
 * schema, so nothing the contract does not list leaks onto Kafka. Other events stay internal.
 * A service whose domain events differ from its contracts passes its own mapper instead.
 */
export function contractEventMapper(producer: ProducerService): IntegrationEventMapper {
  const topic = Topics[producer];
  const published = new Map<string, IntegrationEventContract>();
  for (const c of integrationEventRegistry.onTopic(topic)) {
    if (c.version === integrationEventRegistry.latestVersion(c.type)) published.set(c.type, c);
  }
  const source = sourceOf(producer);
  return (event: RecordedEvent): IntegrationEventEnvelope | null => {
    const contract = published.get(event.type);
    if (!contract) return null;
    const m = event.metadata;
    if (!m.customerId) throw new IntegrationEventMappingError(event, 'metadata.customerId is missing (it is the message key)');
    const violations = validateJson(contract.schema, event.data, { closedObjects: true });
    if (violations.length > 0) {
      throw new IntegrationEventMappingError(
        event,
        `data does not match ${contract.type} v${contract.version}: ${violations.map((v) => `${v.path || '/'} ${v.message}`).join('; ')}`,
      );
    }
    return {
      id: event.id,
      type: contract.type,
      version: contract.version,
      source,
      time: m.occurredAt,
      subject: m.customerId,
      partnerId: m.partnerId,
      correlationId: m.correlationId,
      ...(m.causationId ? { causationId: m.causationId } : {}),
      actor: m.actor,
      data: event.data,
    };
  };
}
