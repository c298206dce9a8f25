import { telemetryEvent, telemetryStreamId } from '../telemetry/domain/telemetry.events';
import { validateTelemetryRecord } from '../telemetry/domain/telemetry-validation';
import { TELEMETRY_KINDS } from '../telemetry/domain/telemetry-records';
import { evolveDashboard, initialDashboardState } from '../dashboard/domain/dashboard-state';
import { sampleTelemetry, SAMPLE_DAYS } from './sample-telemetry';

const C = '0192e5f0-1234-7000-8000-00000000c0de';

describe('sample customer telemetry (demo)', () => {
  const records = sampleTelemetry(C, '2026-05-10');

  it('is deterministic, covers every kind over months, and every record passes ingestion validation', () => {
    expect(sampleTelemetry(C, '2026-05-10')).toEqual(records);
    expect(new Set(records.map((r) => r.kind))).toEqual(new Set(TELEMETRY_KINDS));
    expect(records.filter((r) => r.kind === 'sharepoint-storage')).toHaveLength(SAMPLE_DAYS);
    for (const r of records) {
      const v = validateTelemetryRecord(r.kind, r.record, new Date('2026-05-10T23:59:59Z'));
      if (!v.ok) throw new Error(`${r.kind}: ${JSON.stringify(v.problems)}`);
    }
  });

  it('folds into a dashboard that needs a look: warning health, an open advisory, unresolved unusual activity', () => {
    let state = initialDashboardState('p');
    records.forEach((r, i) => {
      const { customerId: _c, ...record } = r.record;
      const e = telemetryEvent(r.kind, record as never);
      state = evolveDashboard(state, { id: `e${i}`, type: e.type, data: e.data, streamId: telemetryStreamId(C), streamVersion: i + 1, metadata: { occurredAt: '2026-05-10T12:00:00.000Z', partnerId: 'p' } }, telemetryStreamId(C)).state;
    });
    expect(state.health).toBe('warning');
    expect(Object.keys(state.openFindings)).toEqual(['ua-hr-site-downloads']);
    expect(Object.keys(state.backup).sort()).toEqual(['cloud-backup-dynamics365', 'cloud-backup-m365']);
  });
});
