import { uuidv7 } from '@platform/core';
import { sourceOf, type IntegrationEvent, type ProducerService } from '@platform/contracts';

export interface TestIntegrationEventFields {
  type: string;
  subject: string;
  partnerId: string;
  data: object;
  /** Default: the customers service. */
  producer?: ProducerService;
  /** Default: now. */
  time?: string;
  id?: string;
  actor?: { type: string; id: string };
}

/** An integration event envelope as a producer's relay would publish it (version 1, fresh ids), for tests. */
export function testIntegrationEvent(f: TestIntegrationEventFields): IntegrationEvent {
  return {
    id: f.id ?? uuidv7(),
    type: f.type,
    version: 1,
    source: sourceOf(f.producer ?? 'customers'),
    time: f.time ?? new Date().toISOString(),
    subject: f.subject,
    partnerId: f.partnerId,
    correlationId: uuidv7(),
    actor: f.actor ?? { type: 'user', id: 'u1' },
    data: f.data,
  } as unknown as IntegrationEvent;
}
