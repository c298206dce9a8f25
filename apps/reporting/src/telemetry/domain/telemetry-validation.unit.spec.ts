import { validateTelemetryRecord } from './telemetry-validation';
import { telemetryEventId } from './telemetry.events';

const NOW = new Date('2026-05-10T12:00:00Z');
const C = '0192e5f0-0000-7000-8000-00000000c001';
const job = { customerId: C, jobId: 'j1', product: 'cloud-backup-m365', workload: 'exchange', startedAt: '2026-05-10T01:00:00+02:00', endedAt: '2026-05-10T01:30:00Z', status: 'failed', items: 0, bytes: 0 };
const fields = (raw: unknown, kind: Parameters<typeof validateTelemetryRecord>[0] = 'backup-jobs') => {
  const v = validateTelemetryRecord(kind, raw, NOW);
  return v.ok ? [] : v.problems.map((p) => p.field).sort();
};

describe('telemetry record validation', () => {
  it('accepts a valid record and normalises times to UTC', () => {
    const v = validateTelemetryRecord('backup-jobs', job, NOW);
    expect(v).toEqual({ ok: true, customerId: C, record: { ...job, customerId: undefined, startedAt: '2026-05-09T23:00:00.000Z', endedAt: '2026-05-10T01:30:00.000Z' } });
  });

  it('names every failing field of a record', () => {
    expect(fields({ ...job, customerId: 'c1', status: 'ok', items: 1.5, bytes: -1, product: 'x' })).toEqual(['bytes', 'customerId', 'items', 'product', 'status']);
    expect(fields({ ...job, startedAt: '2026-05-10', endedAt: 'yesterday' })).toEqual(['endedAt', 'startedAt']);
    expect(fields({ ...job, startedAt: '2026-05-10T02:00:00Z', endedAt: '2026-05-10T01:00:00Z' })).toEqual(['endedAt']);
    expect(fields({ ...job, endedAt: '2026-05-12T12:00:01Z' })).toEqual(['endedAt']);
    expect(fields({ ...job, extra: 1 })).toEqual(['extra']);
    const { jobId: _jobId, ...missing } = job;
    expect(fields(missing)).toEqual(['jobId']);
    expect(fields(null)).toEqual(['']);
    expect(fields([job])).toEqual(['']);
  });

  it('checks nested suspicious files and defaults a finding to open', () => {
    const finding = {
      customerId: C, findingId: 'f1', detectedAt: '2026-05-09T00:00:00Z', workspaceType: 'sharepoint-site', workspace: 'https://x.sharepoint.com/sites/a',
      activity: 'Mass encryption', ransomwareSuspected: true, suspiciousFiles: [{ path: 'a.docx' }, { path: '', size: 3 }, 'b'],
    };
    expect(fields(finding, 'unusual-activities')).toEqual(['suspiciousFiles.1.path', 'suspiciousFiles.1.size', 'suspiciousFiles.2']);
    const ok = validateTelemetryRecord('unusual-activities', { ...finding, suspiciousFiles: [{ path: 'a.docx', reason: 'Encrypted' }] }, NOW);
    expect(ok.ok && ok.record.status).toBe('open');
  });

  it('validates every other kind', () => {
    expect(fields({ customerId: C, product: 'cloud-backup-google', sampledAt: '2026-05-01T00:00:00Z', usedBytes: 1 }, 'storage-usage')).toEqual([]);
    expect(fields({ customerId: C, ruleId: 'r', ruleName: 'n', scannedAt: '2026-05-01T00:00:00Z', compliant: 'yes', violationsFixed: 0, violationsUnfixed: 0 }, 'policy-scans')).toEqual(['compliant']);
    expect(fields({ customerId: C, sampledAt: '2026-05-01T00:00:00Z', highRiskItems: 1, mediumRiskItems: 1, sensitiveItems: 1, externalUsers: 1 }, 'risk-counts')).toEqual(['externalLinks']);
    expect(fields({ customerId: C, date: '2026-02-30', usedBytes: 1 }, 'sharepoint-storage')).toEqual(['date']);
    expect(fields({ customerId: C, date: '2026-05-09', usedBytes: 1, quotaBytes: 2 }, 'sharepoint-storage')).toEqual([]);
    expect(
      fields({ customerId: C, incidentId: 'i', service: 's', title: 't', severity: 'major', status: 'open', startedAt: '2026-05-01T00:00:00Z', updatedAt: '2026-05-01T00:00:00Z' }, 'service-health'),
    ).toEqual(['severity']);
  });
});

describe('telemetry event ids', () => {
  it('differ per record index, repeat for the same batch, and stay UUIDs', () => {
    const base = '0192e5f0-0000-8000-8000-00000000abcd';
    const ids = Array.from({ length: 1000 }, (_, i) => telemetryEventId(base, i));
    expect(new Set(ids).size).toBe(1000);
    expect(ids[0]).toBe(base);
    expect(telemetryEventId(base, 7)).toBe(ids[7]);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(() => telemetryEventId(base, 70_000)).toThrow(RangeError);
  });
});
