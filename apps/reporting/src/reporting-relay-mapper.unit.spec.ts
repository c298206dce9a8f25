import type { IntegrationEventEnvelope } from '@platform/contracts';
import type { RecordedEvent } from '@platform/event-store';
import { reportingRelayMapper } from './reporting-relay-mapper';

const CUSTOMER = '0192e5f0-0000-7000-8000-0000000000c1';
const PARTNER = '0192e5f0-0000-7000-8000-0000000000a1';

const recorded = (type: string, data: Record<string, unknown>, id = '0192e5f0-0000-7000-8000-000000000e01'): RecordedEvent => ({
  id,
  type,
  schemaVersion: 1,
  data,
  metadata: { partnerId: PARTNER, customerId: CUSTOMER, occurredAt: '2026-05-01T03:00:00.000Z', correlationId: 'corr', actor: { type: 'service', id: 'api-key:k' } },
  streamId: `telemetry-${CUSTOMER}`,
  streamVersion: 1,
  globalPosition: 1n,
  recordedAt: new Date('2026-05-01T03:00:00.000Z'),
});

const job = {
  jobId: 'job-1',
  product: 'cloud-backup-m365',
  workload: 'Exchange',
  startedAt: '2026-05-01T02:00:00.000Z',
  endedAt: '2026-05-01T02:30:00.000Z',
  status: 'failed',
  items: 10,
  bytes: 2048,
};

describe('reporting relay mapper', () => {
  it('announces a backup job result as BackupJobCompleted, with one id per job however often it is reported', () => {
    const first = reportingRelayMapper(recorded('BackupJobReported', job)) as IntegrationEventEnvelope;
    const again = reportingRelayMapper(recorded('BackupJobReported', job, '0192e5f0-0000-7000-8000-000000000e02')) as IntegrationEventEnvelope;
    expect(first).toMatchObject({ type: 'BackupJobCompleted', version: 1, subject: CUSTOMER, partnerId: PARTNER, data: job });
    expect(again.id).toBe(first.id);
    expect(first.id).not.toBe('0192e5f0-0000-7000-8000-000000000e01');
  });

  it('keeps the rest of the telemetry internal and announces its contract events as they are', () => {
    expect(reportingRelayMapper(recorded('StorageUsageReported', { product: 'cloud-backup-m365', sampledAt: '2026-05-01', bytes: 1 }))).toBeNull();
    expect(reportingRelayMapper(recorded('CustomerHealthChanged', { health: 'warning', previousHealth: 'healthy' }))).toMatchObject({
      type: 'CustomerHealthChanged',
      data: { health: 'warning', previousHealth: 'healthy' },
    });
  });
});
