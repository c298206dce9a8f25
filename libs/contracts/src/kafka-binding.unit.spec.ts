import { sourceOf, Topics, type IntegrationEventContract } from './contract';
import { customerInvitedV1, type CustomerInvitedV1 } from './customers.contracts';
import { validateJson } from './json-schema';
import {
  fromKafkaMessage,
  IntegrationEventValidationError,
  toKafkaMessage,
  UnknownIntegrationEventError,
  type IncomingKafkaMessage,
} from './kafka-binding';
import { integrationEventRegistry, type IntegrationEvent } from './registry';

const customerId = '01936a2e-0000-7000-8000-0000000000c1';
const partnerId = '01936a2e-0000-7000-8000-0000000000a1';

function envelopeFor(c: IntegrationEventContract, id = '01936a2e-0000-7000-8000-000000000001'): IntegrationEvent {
  return {
    id,
    type: c.type,
    version: c.version,
    source: sourceOf(c.producer),
    time: '2026-01-01T09:30:00.000Z',
    subject: customerId,
    partnerId,
    correlationId: 'corr-1',
    causationId: 'cause-1',
    actor: { type: 'user', id: 'user-1' },
    data: structuredClone(c.example),
  } as IntegrationEvent;
}

/** What a kafkajs consumer hands over: the same bytes, headers as Buffers. */
function asReceived(m: { key: string; value: string; headers: Record<string, string> }): IncomingKafkaMessage {
  return {
    key: Buffer.from(m.key),
    value: Buffer.from(m.value),
    headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

const invited = () => envelopeFor(customerInvitedV1) as Extract<IntegrationEvent, { type: 'CustomerInvited' }>;

describe('CloudEvents Kafka binding', () => {
  it('maps the envelope to binary-mode headers, key and JSON value', () => {
    const m = toKafkaMessage(invited());
    expect(m.topic).toBe('customers.events.v1');
    expect(m.key).toBe(customerId);
    expect(JSON.parse(m.value)).toEqual(customerInvitedV1.example);
    expect(m.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: '01936a2e-0000-7000-8000-000000000001',
      ce_type: 'CustomerInvited',
      ce_source: '/msp-platform/customers',
      ce_time: '2026-01-01T09:30:00.000Z',
      ce_subject: customerId,
      ce_dataschema: 'urn:msp-platform:integration-events:CustomerInvited:v1',
      'content-type': 'application/json',
      ce_schemaversion: '1',
      ce_partnerid: partnerId,
      ce_correlationid: 'corr-1',
      ce_causationid: 'cause-1',
      ce_actortype: 'user',
      ce_actorid: 'user-1',
    });
  });

  it.each(integrationEventRegistry.all().map((c) => [`${c.type} v${c.version}`, c] as const))(
    '%s: example is valid and round-trips through a Kafka message',
    (_name, contract) => {
      expect(validateJson(contract.schema, contract.example, { closedObjects: true })).toEqual([]);
      const envelope = envelopeFor(contract);
      const message = toKafkaMessage(envelope);
      expect(message.topic).toBe(contract.topic);
      expect(fromKafkaMessage(asReceived(message))).toEqual(envelope);
    },
  );

  it('round-trips without the optional causation id and with string headers', () => {
    const { causationId: _drop, ...rest } = invited();
    const m = toKafkaMessage(rest as IntegrationEvent);
    expect(m.headers.ce_causationid).toBeUndefined();
    const back = fromKafkaMessage({ key: m.key, value: m.value, headers: m.headers });
    expect(back).toEqual(rest);
    if (back.type === 'CustomerInvited') {
      const data: CustomerInvitedV1 = back.data; // narrowed by the discriminant
      expect(data.contactEmail).toBe('it-admin@contoso.com');
    }
  });

  it('refuses to publish data that breaks the schema or carries fields outside the contract', () => {
    const noName = invited();
    delete (noName.data as Partial<CustomerInvitedV1>).organizationName;
    expect(() => toKafkaMessage(noName)).toThrow(IntegrationEventValidationError);

    const leaky = invited();
    (leaky.data as unknown as Record<string, unknown>).contactName = 'Alice Smith';
    expect(() => toKafkaMessage(leaky)).toThrow(/\/contactName is not allowed/);

    const badEnvelope = { ...invited(), subject: 'not-a-customer-id', time: '2026-01-01 09:30' };
    expect(() => toKafkaMessage(badEnvelope)).toThrow(/@time must be an ISO 8601 UTC time; @subject must be the customer id/);
  });

  it('rejects incoming data that breaks the schema, with the failing paths', () => {
    const m = toKafkaMessage(invited());
    const data = JSON.parse(m.value);
    data.contactEmail = 'not an email';
    data.invitation.expiresAt = 'tomorrow';
    delete data.organizationName;
    let error: unknown;
    try {
      fromKafkaMessage({ ...m, value: JSON.stringify(data) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IntegrationEventValidationError);
    expect((error as IntegrationEventValidationError).violations).toEqual([
      { path: '/organizationName', message: 'is required' },
      { path: '/contactEmail', message: 'must be a valid email' },
      { path: '/invitation/expiresAt', message: 'must be a valid date-time' },
    ]);
    expect(() => fromKafkaMessage({ ...m, value: '{not json' })).toThrow(/value is not JSON/);
    expect(() => fromKafkaMessage({ ...m, value: null })).toThrow(IntegrationEventValidationError);
  });

  it('tolerates fields a newer producer added within the same version', () => {
    const m = toKafkaMessage(invited());
    const value = JSON.stringify({ ...JSON.parse(m.value), newOptionalField: 1 });
    expect(fromKafkaMessage({ ...m, value }).data).toMatchObject({ newOptionalField: 1 });
  });

  it('rejects malformed envelopes', () => {
    const m = toKafkaMessage(invited());
    const without = (name: string) => {
      const headers = { ...m.headers };
      delete headers[name];
      return { ...m, headers };
    };
    expect(() => fromKafkaMessage(without('ce_id'))).toThrow(/@id must be a UUID/);
    expect(() => fromKafkaMessage(without('ce_partnerid'))).toThrow(/@partnerId must be a UUID/);
    expect(() => fromKafkaMessage(without('ce_actorid'))).toThrow(/@actor.id is required/);
    expect(() => fromKafkaMessage({ ...m, headers: { ...m.headers, ce_specversion: '0.3' } })).toThrow(/ce_specversion must be 1.0/);
    expect(() => fromKafkaMessage({ ...m, headers: { ...m.headers, 'content-type': 'text/plain' } })).toThrow(/content-type/);
    expect(() => fromKafkaMessage({ ...m, key: '01936a2e-0000-7000-8000-0000000000c2' })).toThrow(/message key must equal ce_subject/);
    expect(() =>
      fromKafkaMessage({ ...m, headers: { ...m.headers, ce_dataschema: 'urn:msp-platform:integration-events:CustomerInvited:v9' } }),
    ).toThrow(/ce_dataschema/);
    // content-type parameters are fine
    expect(fromKafkaMessage({ ...m, headers: { ...m.headers, 'content-type': 'application/json; charset=utf-8' } }).id).toBe(
      m.headers.ce_id,
    );
  });

  it('tells unknown types and versions apart from malformed messages', () => {
    const m = toKafkaMessage(invited());
    expect(() => fromKafkaMessage({ ...m, headers: { ...m.headers, ce_schemaversion: '2', ce_dataschema: 'x' } })).toThrow(
      UnknownIntegrationEventError,
    );
    expect(() => fromKafkaMessage({ ...m, headers: { ...m.headers, ce_type: 'CustomerTeleported' } })).toThrow(
      UnknownIntegrationEventError,
    );
    expect(() => toKafkaMessage({ ...invited(), version: 2 } as unknown as IntegrationEvent)).toThrow(UnknownIntegrationEventError);
  });

  it('puts every contract on its producer’s topic and rejects duplicate registrations', () => {
    expect(integrationEventRegistry.onTopic(Topics.customers).map((c) => c.type)).toContain('CustomerInvited');
    expect(integrationEventRegistry.onTopic(Topics.subscriptions).map((c) => c.type)).toContain('ServicesStarted');
    expect(integrationEventRegistry.onTopic(Topics.reporting).map((c) => c.type)).toContain('ReportGenerated');
    expect(integrationEventRegistry.latestVersion('CustomerInvited')).toBe(1);
    const { IntegrationEventRegistry } = jest.requireActual('./registry') as typeof import('./registry');
    expect(() => new IntegrationEventRegistry([customerInvitedV1, customerInvitedV1])).toThrow(/registered twice/);
  });
});
