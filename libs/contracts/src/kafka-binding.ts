import { CodedError } from '@platform/core';
import { schemaIdOf, type IntegrationEventEnvelope, type Topic } from './contract';
import { validateJson, type SchemaViolation } from './json-schema';
import { integrationEventRegistry, type IntegrationEvent, type IntegrationEventRegistry } from './registry';

/**
 * CloudEvents 1.0, Kafka protocol binding, binary content mode: every attribute is a `ce_`
 * header, `data` is the message value, `content-type` carries `datacontenttype`.
 */
export const CloudEventHeaders = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  subject: 'ce_subject',
  dataschema: 'ce_dataschema',
  contentType: 'content-type',
  // extensions (lower-case alphanumeric names, as CloudEvents requires)
  schemaversion: 'ce_schemaversion',
  partnerid: 'ce_partnerid',
  correlationid: 'ce_correlationid',
  causationid: 'ce_causationid',
  actortype: 'ce_actortype',
  actorid: 'ce_actorid',
} as const;

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const DATA_CONTENT_TYPE = 'application/json';

/** What a producer hands to kafkajs `send({ topic, messages: [{ key, value, headers }] })`. */
export interface OutgoingKafkaMessage {
  topic: Topic;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** What a kafkajs consumer receives (headers arrive as Buffers). */
export interface IncomingKafkaMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
}

/** The message is not a valid integration event: malformed envelope or data against the schema. */
export class IntegrationEventValidationError extends CodedError {
  constructor(
    message: string,
    readonly violations: SchemaViolation[],
  ) {
    super('CONTRACTS.INVALID_EVENT', message, { violations });
  }
}

/** A well-formed event of a (type, version) this code has no contract for: consumers may skip it. */
export class UnknownIntegrationEventError extends CodedError {
  constructor(
    readonly eventType: string,
    readonly version: number,
  ) {
    super('CONTRACTS.UNKNOWN_EVENT', `no contract for ${eventType} v${version}`, { eventType, version });
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTOR_TYPES = new Set(['user', 'service', 'system', 'customer']);

function checkEnvelope(e: Omit<IntegrationEventEnvelope, 'data'>): SchemaViolation[] {
  const v: SchemaViolation[] = [];
  const need = (ok: boolean, attribute: string, message: string) => ok || v.push({ path: `@${attribute}`, message });
  need(typeof e.id === 'string' && UUID_RE.test(e.id), 'id', 'must be a UUID');
  need(typeof e.type === 'string' && /^[A-Z][A-Za-z0-9]*$/.test(e.type), 'type', 'must be a PascalCase event type');
  need(Number.isInteger(e.version) && e.version >= 1, 'version', 'must be an integer >= 1');
  need(typeof e.source === 'string' && e.source.length > 0, 'source', 'must be a non-empty URI-reference');
  need(
    typeof e.time === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(e.time) && !Number.isNaN(Date.parse(e.time)),
    'time',
    'must be an ISO 8601 UTC time',
  );
  need(typeof e.subject === 'string' && UUID_RE.test(e.subject), 'subject', 'must be the customer id (UUID)');
  need(typeof e.partnerId === 'string' && UUID_RE.test(e.partnerId), 'partnerId', 'must be a UUID');
  need(typeof e.correlationId === 'string' && e.correlationId.length > 0, 'correlationId', 'is required');
  need(e.causationId === undefined || (typeof e.causationId === 'string' && e.causationId.length > 0), 'causationId', 'must be non-empty');
  need(typeof e.actor === 'object' && e.actor !== null && ACTOR_TYPES.has(e.actor.type), 'actor.type', 'must be user, service, system or customer');
  need(typeof e.actor?.id === 'string' && e.actor.id.length > 0, 'actor.id', 'is required');
  return v;
}

function invalid(what: string, violations: SchemaViolation[]): IntegrationEventValidationError {
  const detail = violations.map((x) => `${x.path || '/'} ${x.message}`).join('; ');
  return new IntegrationEventValidationError(`${what}: ${detail}`, violations);
}

/**
 * Envelope → Kafka message. Validates the envelope and `data` against the contract with closed
 * objects, so a field the contract does not name (often personal data) is never published.
 */
export function toKafkaMessage(
  envelope: IntegrationEvent | IntegrationEventEnvelope,
  registry: IntegrationEventRegistry = integrationEventRegistry,
): OutgoingKafkaMessage {
  const contract = registry.lookup(envelope.type, envelope.version);
  if (!contract) throw new UnknownIntegrationEventError(envelope.type, envelope.version);
  const violations = [
    ...checkEnvelope(envelope),
    ...validateJson(contract.schema, envelope.data, { closedObjects: true }),
  ];
  if (violations.length > 0) throw invalid(`${envelope.type} v${envelope.version} ${envelope.id}`, violations);
  const h = CloudEventHeaders;
  const headers: Record<string, string> = {
    [h.specversion]: CLOUDEVENTS_SPEC_VERSION,
    [h.id]: envelope.id,
    [h.type]: envelope.type,
    [h.source]: envelope.source,
    [h.time]: envelope.time,
    [h.subject]: envelope.subject,
    [h.dataschema]: schemaIdOf(envelope.type, envelope.version),
    [h.contentType]: DATA_CONTENT_TYPE,
    [h.schemaversion]: String(envelope.version),
    [h.partnerid]: envelope.partnerId,
    [h.correlationid]: envelope.correlationId,
    [h.actortype]: envelope.actor.type,
    [h.actorid]: envelope.actor.id,
  };
  if (envelope.causationId !== undefined) headers[h.causationid] = envelope.causationId;
  return { topic: contract.topic, key: envelope.subject, value: JSON.stringify(envelope.data), headers };
}

function text(value: Buffer | string | Array<Buffer | string> | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length === 1 ? text(value[0]) : undefined; // repeated header: ambiguous
  return typeof value === 'string' ? value : value.toString('utf8');
}

/**
 * Kafka message → typed envelope. Throws UnknownIntegrationEventError for a (type, version)
 * without a contract (consumers usually skip those) and IntegrationEventValidationError for
 * anything malformed. `data` is validated as consumers should: unknown extra fields are allowed.
 */
export function fromKafkaMessage(
  message: IncomingKafkaMessage,
  registry: IntegrationEventRegistry = integrationEventRegistry,
): IntegrationEvent {
  const headers = message.headers ?? {};
  const h = CloudEventHeaders;
  const get = (name: string) => text(headers[name]);
  const violations: SchemaViolation[] = [];

  if (get(h.specversion) !== CLOUDEVENTS_SPEC_VERSION) {
    violations.push({ path: `@${h.specversion}`, message: `must be ${CLOUDEVENTS_SPEC_VERSION}` });
  }
  const contentType = get(h.contentType);
  if (!contentType || contentType.split(';')[0].trim().toLowerCase() !== DATA_CONTENT_TYPE) {
    violations.push({ path: `@${h.contentType}`, message: `must be ${DATA_CONTENT_TYPE}` });
  }
  const versionText = get(h.schemaversion) ?? '';
  const actorType = get(h.actortype);
  const envelope = {
    id: get(h.id) as string,
    type: get(h.type) as string,
    version: /^[1-9]\d*$/.test(versionText) ? Number(versionText) : NaN,
    source: get(h.source) as string,
    time: get(h.time) as string,
    subject: get(h.subject) as string,
    partnerId: get(h.partnerid) as string,
    correlationId: get(h.correlationid) as string,
    ...(get(h.causationid) !== undefined ? { causationId: get(h.causationid) } : {}),
    actor: { type: actorType as IntegrationEventEnvelope['actor']['type'], id: get(h.actorid) as string },
  };
  violations.push(...checkEnvelope(envelope));
  const key = text(message.key);
  if (key !== envelope.subject) violations.push({ path: '@key', message: 'message key must equal ce_subject (the customer id)' });
  if (violations.length > 0) throw invalid('malformed integration event', violations);

  const contract = registry.lookup(envelope.type, envelope.version);
  if (!contract) throw new UnknownIntegrationEventError(envelope.type, envelope.version);
  const dataschema = get(h.dataschema);
  if (dataschema !== undefined && dataschema !== schemaIdOf(envelope.type, envelope.version)) {
    throw invalid(`${envelope.type} v${envelope.version} ${envelope.id}`, [
      { path: `@${h.dataschema}`, message: `must be ${schemaIdOf(envelope.type, envelope.version)}` },
    ]);
  }

  const raw = text(message.value);
  let data: unknown;
  try {
    data = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    throw invalid(`${envelope.type} v${envelope.version} ${envelope.id}`, [{ path: '', message: 'value is not JSON' }]);
  }
  const dataViolations = validateJson(contract.schema, data);
  if (dataViolations.length > 0) throw invalid(`${envelope.type} v${envelope.version} ${envelope.id}`, dataViolations);
  return { ...envelope, data } as IntegrationEvent;
}
