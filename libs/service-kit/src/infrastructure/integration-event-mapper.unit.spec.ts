import type { RecordedEvent } from '@platform/event-store';
import { contractEventMapper, IntegrationEventMappingError } from './integration-event-mapper';

const customerId = '01936b2e-8a4c-7d3e-9f10-2b3c4d5e6f70';
const partnerId = '01936b2e-8a4c-7d3e-9f10-2b3c4d5e6f71';

function recorded(type: string, data: Record<string, unknown>, metadata: Partial<RecordedEvent['metadata']> = {}): RecordedEvent {
  return {
    id: '01936b2e-8a4c-7d3e-9f10-2b3c4d5e6f72',
    type,
    schemaVersion: 1,
    data,
    metadata: {
      partnerId,
      customerId,
      occurredAt: '2026-11-21T10:00:00.000Z',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor: { type: 'user', id: 'user-1' },
      ...metadata,
    },
    streamId: `customer-${customerId}`,
    streamVersion: 3,
    globalPosition: 42n,
    recordedAt: new Date('2026-11-21T10:00:00.010Z'),
  };
}

describe('contractEventMapper', () => {
  const map = contractEventMapper('customers');

  it('announces a domain event named after a contract of the producer, under the event id', () => {
    expect(map(recorded('CustomerTagsChanged', { tags: ['gold'] }))).toEqual({
      id: '01936b2e-8a4c-7d3e-9f10-2b3c4d5e6f72',
      type: 'CustomerTagsChanged',
      version: 1,
      source: '/msp-platform/customers',
      time: '2026-11-21T10:00:00.000Z',
      subject: customerId,
      partnerId,
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor: { type: 'user', id: 'user-1' },
      data: { tags: ['gold'] },
    });
  });

  it('keeps internal events and other producers\' contracts internal', () => {
    expect(map(recorded('CustomerPinned', { userId: 'u' }))).toBeNull();
    expect(map(recorded('ServicesStarted', {}))).toBeNull();
  });

  it('refuses data the contract does not allow, so no unlisted field reaches Kafka', () => {
    expect(() => map(recorded('CustomerTagsChanged', { tags: ['gold'], contactEmail: 'a@example.com' }))).toThrow(
      IntegrationEventMappingError,
    );
    expect(() => map(recorded('CustomerTagsChanged', { tags: 'gold' }))).toThrow(/does not match CustomerTagsChanged v1/);
  });

  it('refuses an event without the customer id that keys the message', () => {
    expect(() => map(recorded('CustomerTagsChanged', { tags: [] }, { customerId: undefined }))).toThrow(/customerId is missing/);
  });
});
