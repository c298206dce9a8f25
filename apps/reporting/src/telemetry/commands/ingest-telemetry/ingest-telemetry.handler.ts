import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { ConflictError, deterministicUuid, uuidv7, type Clock } from '@platform/core';
import { CustomerDirectory } from '@platform/customer-directory';
import { IdempotencyConflictError, type EventMetadata, type EventStore, type NewEvent } from '@platform/event-store';
import { EVENT_STORE, PG_POOL } from '@platform/service-kit';
import { REPORTING_CLOCK } from '../../../api-keys/infrastructure/api-keys.tokens';
import { MAX_BATCH_RECORDS } from '../../domain/telemetry-records';
import { telemetryEvent, telemetryEventId, telemetryStreamId } from '../../domain/telemetry.events';
import { validateTelemetryRecord } from '../../domain/telemetry-validation';
import type { IngestTelemetryCommand } from './ingest-telemetry.command';
import type { RejectedRecordDto, TelemetryBatchAnswerDto } from './ingest-telemetry.request';

/** Appends to different customer streams of one batch run side by side, this many at a time. */
const APPEND_CONCURRENCY = 4;

/**
 * Validates a batch record by record, keeps the records of the key's partner's active
 * customers and appends them as telemetry events: one append per customer stream per batch.
 * Event ids derive from (partner, kind, batch id, record index), so a retried batch appends
 * nothing new; the first answer is stored and given again.
 */
@Injectable()
export class IngestTelemetryHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
    private readonly directory: CustomerDirectory,
  ) {}

  async execute(command: IngestTelemetryCommand): Promise<TelemetryBatchAnswerDto> {
    const { partnerId, kind, batchId, records } = command;
    if (records.length > MAX_BATCH_RECORDS) {
      throw new HttpException(
        { code: 'TELEMETRY.BATCH_TOO_LARGE', message: `A batch holds at most ${MAX_BATCH_RECORDS} records, this one has ${records.length}: split it` },
        HttpStatus.PAYLOAD_TOO_LARGE,
      );
    }
    const previous = await this.pool.query<{ answer: TelemetryBatchAnswerDto }>(
      'SELECT answer FROM reporting_telemetry_batches WHERE partner_id = $1 AND kind = $2 AND batch_id = $3',
      [partnerId, kind, batchId],
    );
    if (previous.rows.length > 0) return previous.rows[0].answer;

    const now = this.clock.now();
    const rejected: RejectedRecordDto[] = [];
    const valid: Array<{ index: number; customerId: string; event: ReturnType<typeof telemetryEvent> }> = [];
    records.forEach((raw, index) => {
      const v = validateTelemetryRecord(kind, raw, now);
      if (v.ok) valid.push({ index, customerId: v.customerId, event: telemetryEvent(kind, v.record) });
      else rejected.push({ index, code: 'TELEMETRY.INVALID_RECORD', reason: 'The record is invalid', errors: v.problems });
    });

    const customerIds = [...new Set(valid.map((v) => v.customerId))];
    const customers = customerIds.length === 0 ? [] : await this.directory.listForPartner(partnerId, { customerIds });
    const status = new Map(customers.map((c) => [c.customerId.toLowerCase(), c.status]));

    const byCustomer = new Map<string, NewEvent[]>();
    const idBase = deterministicUuid('telemetry', partnerId, kind, batchId);
    const base = {
      partnerId,
      occurredAt: now.toISOString(),
      correlationId: command.correlationId ?? uuidv7(),
      actor: { type: 'service' as const, id: `api-key:${command.keyId}` },
      batchId,
    };
    for (const v of valid) {
      const s = status.get(v.customerId);
      if (s === undefined || s === 'disconnected') {
        // Another partner's customer reads exactly like one that does not exist.
        rejected.push({ index: v.index, code: 'TELEMETRY.UNKNOWN_CUSTOMER', reason: 'No such customer' });
        continue;
      }
      if (s !== 'active') {
        rejected.push({ index: v.index, code: 'TELEMETRY.CUSTOMER_NOT_ACTIVE', reason: `The customer is ${s}, not active` });
        continue;
      }
      const metadata: EventMetadata = { ...base, customerId: v.customerId };
      const id = telemetryEventId(idBase, v.index);
      const list = byCustomer.get(v.customerId) ?? [];
      list.push({ id, type: v.event.type, schemaVersion: 1, data: v.event.data, metadata });
      byCustomer.set(v.customerId, list);
    }

    await this.appendAll([...byCustomer.entries()]);
    rejected.sort((a, b) => a.index - b.index);
    const accepted = [...byCustomer.values()].reduce((n, l) => n + l.length, 0);
    const answer: TelemetryBatchAnswerDto = { batchId, kind, accepted, rejected };
    await this.pool.query(
      `INSERT INTO reporting_telemetry_batches (partner_id, kind, batch_id, answer) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [partnerId, kind, batchId, JSON.stringify(answer)],
    );
    return answer;
  }

  private async appendAll(groups: Array<[string, NewEvent[]]>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < groups.length) {
        const [customerId, events] = groups[next++];
        try {
          await this.store.append(telemetryStreamId(customerId), events, { expectedVersion: 'any' });
        } catch (e) {
          if (e instanceof IdempotencyConflictError) {
            throw new ConflictError('TELEMETRY.BATCH_ID_REUSED', 'This batch id was used before for other records: use a new batch id for new records.');
          }
          throw e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(APPEND_CONCURRENCY, groups.length) }, worker));
  }
}
