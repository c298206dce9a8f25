import { createHash } from 'node:crypto';
import type { TelemetryKind, TelemetryRecordByKind } from '../telemetry/domain/telemetry-records';
import { addDays } from '../dashboard/domain/storage-forecast';

/**
 * Months of realistic telemetry for the demo partner's sample customer (the seeds' "sample
 * customer detailed dashboard"): nightly Microsoft 365 and Dynamics 365 backups with the odd
 * partial or failed run, growing backup and SharePoint storage, weekly policy scans, daily risk
 * counts, a few unusual-activity findings (one suspected ransomware attack, resolved) and
 * service incidents (one advisory still open). Deterministic for a given customer and end day.
 */
export const SAMPLE_CUSTOMER_DOMAIN = 'contoso-health.com';
export const SAMPLE_DAYS = 180;

export type SampleRecord = { [K in TelemetryKind]: { kind: K; record: TelemetryRecordByKind[K] & { customerId: string } } }[TelemetryKind];

const GB = 1024 ** 3;

/** mulberry32, seeded from the customer id: the same customer always gets the same history. */
function random(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const at = (date: string, hh: number, mm = 0): string => `${date}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00.000Z`;

const POLICY_RULES = [
  { ruleId: 'ext-sharing-anyone-links', ruleName: 'No “Anyone” sharing links on sensitive sites' },
  { ruleId: 'guest-access-review', ruleName: 'Guest access reviewed every 90 days' },
  { ruleId: 'mfa-admins', ruleName: 'MFA required for administrators' },
  { ruleId: 'teams-external-chat', ruleName: 'External chat limited to allowed domains' },
  { ruleId: 'site-owner-count', ruleName: 'Every site has at least two owners' },
  { ruleId: 'retention-labels', ruleName: 'Retention labels on HR libraries' },
  { ruleId: 'onedrive-sync-domains', ruleName: 'OneDrive sync only on domain-joined devices' },
  { ruleId: 'mailbox-auditing', ruleName: 'Mailbox auditing enabled' },
];

const M365_WORKLOADS = ['exchange', 'onedrive', 'sharepoint', 'teams'];

/** Every record of the sample history, oldest first, for the `days` days up to and including `endDay`. */
export function sampleTelemetry(customerId: string, endDay: string, days = SAMPLE_DAYS): SampleRecord[] {
  const rnd = random(`sample-telemetry:${customerId}`);
  const out: SampleRecord[] = [];
  const start = addDays(endDay, -(days - 1));
  let sharePointUsed = 410 * GB;
  let m365Backup = 1_350 * GB;
  let dynamicsBackup = 38 * GB;
  let risk = { highRiskItems: 46, mediumRiskItems: 310, sensitiveItems: 1_240, externalUsers: 58, externalLinks: 420 };

  for (let i = 0; i < days; i++) {
    const date = addDays(start, i);
    const last = i === days - 1;
    for (const [w, workload] of M365_WORKLOADS.entries()) {
      const roll = rnd();
      // The newest Teams run only partly succeeded: the sample shows a warning to look into.
      const status = last && workload === 'teams' ? 'partially-succeeded' : roll < 0.9 ? 'succeeded' : roll < 0.96 ? 'partially-succeeded' : roll < 0.99 ? 'failed' : 'canceled';
      const items = Math.round(2_000 + rnd() * 18_000);
      out.push({
        kind: 'backup-jobs',
        record: {
          customerId,
          jobId: `m365-${workload}-${date}`,
          product: 'cloud-backup-m365',
          workload,
          startedAt: at(date, 1 + w),
          endedAt: at(date, 1 + w, 20 + Math.floor(rnd() * 35)),
          status,
          items: status === 'failed' ? 0 : items,
          bytes: status === 'failed' ? 0 : Math.round(items * (40_000 + rnd() * 60_000)),
        },
      });
    }
    const dynRoll = rnd();
    out.push({
      kind: 'backup-jobs',
      record: {
        customerId,
        jobId: `d365-${date}`,
        product: 'cloud-backup-dynamics365',
        workload: 'dataverse',
        startedAt: at(date, 3),
        endedAt: at(date, 3, 45),
        status: dynRoll < 0.95 || last ? 'succeeded' : 'failed',
        items: Math.round(30_000 + rnd() * 5_000),
        bytes: Math.round(0.4 * GB + rnd() * 0.2 * GB),
      },
    });

    m365Backup += (2 + rnd() * 4) * GB;
    dynamicsBackup += rnd() * 0.3 * GB;
    out.push({ kind: 'storage-usage', record: { customerId, product: 'cloud-backup-m365', sampledAt: at(date, 6), usedBytes: Math.round(m365Backup), quotaBytes: 5_120 * GB } });
    out.push({ kind: 'storage-usage', record: { customerId, product: 'cloud-backup-dynamics365', sampledAt: at(date, 6), usedBytes: Math.round(dynamicsBackup), quotaBytes: 200 * GB } });

    sharePointUsed += (0.9 + rnd() * 1.4 - (i % 30 === 17 ? 6 : 0)) * GB;
    out.push({ kind: 'sharepoint-storage', record: { customerId, date, usedBytes: Math.round(sharePointUsed), quotaBytes: 1_024 * GB } });

    const drift = (n: number, spread: number) => Math.max(0, Math.round(n + (rnd() - 0.48) * spread));
    risk = {
      highRiskItems: drift(risk.highRiskItems, 6),
      mediumRiskItems: drift(risk.mediumRiskItems, 20),
      sensitiveItems: drift(risk.sensitiveItems + 3, 30),
      externalUsers: drift(risk.externalUsers, 3),
      externalLinks: drift(risk.externalLinks + 1, 15),
    };
    out.push({ kind: 'risk-counts', record: { customerId, sampledAt: at(date, 7), ...risk } });

    if (i % 7 === 6 || last) {
      for (const [r, rule] of POLICY_RULES.entries()) {
        // The first two rules fail now and then; the latest scan always has the first one failing,
        // so the sample dashboard shows a policy violation whatever the customer id draws.
        const compliant = r >= 2 || (rnd() < 0.3 && !(last && r === 0));
        out.push({
          kind: 'policy-scans',
          record: {
            customerId,
            ...rule,
            scannedAt: at(date, 8, r),
            compliant,
            violationsFixed: Math.floor(rnd() * 6),
            violationsUnfixed: compliant ? 0 : 1 + Math.floor(rnd() * 9),
          },
        });
      }
    }
  }

  const dayAt = (back: number, hh: number) => at(addDays(endDay, -back), hh);
  const files = (site: string, n: number, reason: string, back: number) =>
    Array.from({ length: n }, (_, k) => ({ path: `${site}/Shared Documents/Finance/report-${String(k + 1).padStart(3, '0')}.xlsx.locked`, reason, modifiedAt: dayAt(back, 2) }));
  out.push(
    {
      kind: 'unusual-activities',
      record: {
        customerId, findingId: 'ua-finance-site-ransomware', detectedAt: dayAt(40, 4), workspaceType: 'sharepoint-site',
        workspace: 'https://contosohealth.sharepoint.com/sites/Finance', activity: 'Mass encryption of files and renamed extensions',
        ransomwareSuspected: true, status: 'open', suspiciousFiles: files('https://contosohealth.sharepoint.com/sites/Finance', 36, 'Encrypted content, extension changed to .locked', 40),
      },
    },
    {
      kind: 'unusual-activities',
      record: {
        customerId, findingId: 'ua-finance-site-ransomware', detectedAt: dayAt(40, 4), workspaceType: 'sharepoint-site',
        workspace: 'https://contosohealth.sharepoint.com/sites/Finance', activity: 'Mass encryption of files and renamed extensions (restored from backup)',
        ransomwareSuspected: true, status: 'resolved', suspiciousFiles: files('https://contosohealth.sharepoint.com/sites/Finance', 36, 'Encrypted content, extension changed to .locked', 40),
      },
    },
    {
      kind: 'unusual-activities',
      record: {
        customerId, findingId: 'ua-onedrive-jdoe-deletions', detectedAt: dayAt(12, 15), workspaceType: 'onedrive',
        workspace: 'j.doe@contoso-health.com', activity: 'Unusually many deletions in a short time', ransomwareSuspected: false, status: 'resolved',
        suspiciousFiles: [{ path: 'Documents/Patients/2026-intake.docx', reason: 'Deleted' }, { path: 'Documents/Patients/2026-discharge.docx', reason: 'Deleted' }],
      },
    },
    {
      kind: 'unusual-activities',
      record: {
        customerId, findingId: 'ua-hr-site-downloads', detectedAt: dayAt(3, 22), workspaceType: 'sharepoint-site',
        workspace: 'https://contosohealth.sharepoint.com/sites/HR', activity: 'Bulk download outside working hours', ransomwareSuspected: false, status: 'open',
        suspiciousFiles: files('https://contosohealth.sharepoint.com/sites/HR', 8, 'Downloaded by an external guest', 3).map((f) => ({ ...f, path: f.path.replace('.xlsx.locked', '.pdf') })),
      },
    },
    {
      kind: 'service-health',
      record: { customerId, incidentId: 'EX-551204', service: 'Exchange Online', title: 'Delayed mail delivery for some users', severity: 'incident', status: 'open', startedAt: dayAt(20, 9), updatedAt: dayAt(20, 9) },
    },
    {
      kind: 'service-health',
      record: { customerId, incidentId: 'EX-551204', service: 'Exchange Online', title: 'Delayed mail delivery for some users', severity: 'incident', status: 'resolved', startedAt: dayAt(20, 9), updatedAt: dayAt(19, 13) },
    },
    {
      kind: 'service-health',
      record: { customerId, incidentId: 'SP-77310', service: 'SharePoint Online', title: 'Search results may be incomplete', severity: 'advisory', status: 'open', startedAt: dayAt(2, 10), updatedAt: dayAt(1, 16) },
    },
  );
  return out;
}
