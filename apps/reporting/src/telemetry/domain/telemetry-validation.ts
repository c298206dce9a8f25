import {
  BACKUP_PRODUCTS,
  FINDING_STATUSES,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  JOB_STATUSES,
  WORKSPACE_TYPES,
  type SuspiciousFile,
  type TelemetryKind,
  type TelemetryRecordByKind,
} from './telemetry-records';

export interface FieldProblem {
  field: string;
  message: string;
}

export type RecordValidation<K extends TelemetryKind = TelemetryKind> =
  | { ok: true; customerId: string; record: TelemetryRecordByKind[K] }
  | { ok: false; problems: FieldProblem[] };

/** Telemetry may be stamped a little ahead of our clock, not more. */
export const MAX_CLOCK_SKEW_MS = 24 * 3600_000;
export const MAX_SUSPICIOUS_FILES = 500;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Collects problems of one object, field by field; `done` answers the normalised value or the problems. */
class Fields {
  readonly problems: FieldProblem[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly o: Record<string, unknown>,
    private readonly now: Date,
    private readonly prefix = '',
  ) {}

  private problem(field: string, message: string): undefined {
    this.problems.push({ field: this.prefix + field, message });
    return undefined;
  }

  private get(field: string, optional: boolean): unknown {
    this.seen.add(field);
    const v = this.o[field];
    if (v === undefined || v === null) {
      if (!optional) this.problem(field, `${field} is required`);
      return undefined;
    }
    return v;
  }

  string(field: string, max: number, optional = false): string | undefined {
    const v = this.get(field, optional);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > max) return this.problem(field, `${field} must be a non-empty string of at most ${max} characters`);
    return v.trim();
  }

  uuid(field: string): string | undefined {
    const v = this.get(field, false);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !UUID_RE.test(v)) return this.problem(field, `${field} must be a UUID`);
    return v.toLowerCase();
  }

  oneOf<T extends string>(field: string, values: readonly T[], fallback?: T): T | undefined {
    const v = this.get(field, fallback !== undefined);
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) return this.problem(field, `${field} must be one of ${values.join(', ')}`);
    return v as T;
  }

  count(field: string, optional = false): number | undefined {
    const v = this.get(field, optional);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return this.problem(field, `${field} must be a non-negative integer`);
    return v;
  }

  boolean(field: string): boolean | undefined {
    const v = this.get(field, false);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') return this.problem(field, `${field} must be true or false`);
    return v;
  }

  time(field: string, optional = false): string | undefined {
    const v = this.get(field, optional);
    if (v === undefined) return undefined;
    const ms = typeof v === 'string' && ISO_RE.test(v) ? Date.parse(v) : NaN;
    if (Number.isNaN(ms)) return this.problem(field, `${field} must be an ISO 8601 date-time with a time zone`);
    if (ms > this.now.getTime() + MAX_CLOCK_SKEW_MS) return this.problem(field, `${field} is in the future`);
    return new Date(ms).toISOString();
  }

  date(field: string): string | undefined {
    const v = this.get(field, false);
    if (v === undefined) return undefined;
    const ms = typeof v === 'string' && DATE_RE.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== v) return this.problem(field, `${field} must be a date (YYYY-MM-DD)`);
    if (ms > this.now.getTime() + MAX_CLOCK_SKEW_MS) return this.problem(field, `${field} is in the future`);
    return v;
  }

  array(field: string, max: number): unknown[] | undefined {
    const v = this.get(field, false);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length > max) return this.problem(field, `${field} must be an array of at most ${max} entries`);
    return v;
  }

  check(condition: boolean, field: string, message: string): void {
    if (!condition) this.problem(field, message);
  }

  /** Fields the record may not carry (the schema is closed, like request bodies). */
  rejectUnknown(): void {
    for (const k of Object.keys(this.o)) if (!this.seen.has(k)) this.problem(k, `${k} is not allowed`);
  }

  adopt(problems: FieldProblem[]): void {
    this.problems.push(...problems);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Builder<K extends TelemetryKind> = (f: Fields, now: Date) => TelemetryRecordByKind[K] | undefined;

const builders: { [K in TelemetryKind]: Builder<K> } = {
  'backup-jobs': (f) => {
    const r = {
      jobId: f.string('jobId', 128),
      product: f.oneOf('product', BACKUP_PRODUCTS),
      workload: f.string('workload', 64),
      startedAt: f.time('startedAt'),
      endedAt: f.time('endedAt'),
      status: f.oneOf('status', JOB_STATUSES),
      items: f.count('items'),
      bytes: f.count('bytes'),
    };
    if (r.startedAt && r.endedAt) f.check(r.endedAt >= r.startedAt, 'endedAt', 'endedAt must not be before startedAt');
    return r as TelemetryRecordByKind['backup-jobs'];
  },
  'storage-usage': (f) => {
    const quotaBytes = f.count('quotaBytes', true);
    return {
      product: f.oneOf('product', BACKUP_PRODUCTS)!,
      sampledAt: f.time('sampledAt')!,
      usedBytes: f.count('usedBytes')!,
      ...(quotaBytes !== undefined ? { quotaBytes } : {}),
    };
  },
  'unusual-activities': (f, now) => {
    const files: SuspiciousFile[] = [];
    const list = f.array('suspiciousFiles', MAX_SUSPICIOUS_FILES) ?? [];
    list.forEach((entry, i) => {
      if (!isObject(entry)) {
        f.check(false, `suspiciousFiles.${i}`, 'must be an object');
        return;
      }
      const g = new Fields(entry, now, `suspiciousFiles.${i}.`);
      const path = g.string('path', 1024);
      const reason = g.string('reason', 200, true);
      const modifiedAt = g.time('modifiedAt', true);
      g.rejectUnknown();
      f.adopt(g.problems);
      if (path) files.push({ path, ...(reason ? { reason } : {}), ...(modifiedAt ? { modifiedAt } : {}) });
    });
    return {
      findingId: f.string('findingId', 128)!,
      detectedAt: f.time('detectedAt')!,
      workspaceType: f.oneOf('workspaceType', WORKSPACE_TYPES)!,
      workspace: f.string('workspace', 512)!,
      activity: f.string('activity', 500)!,
      ransomwareSuspected: f.boolean('ransomwareSuspected')!,
      status: f.oneOf('status', FINDING_STATUSES, 'open')!,
      suspiciousFiles: files,
    };
  },
  'policy-scans': (f) => ({
    ruleId: f.string('ruleId', 128)!,
    ruleName: f.string('ruleName', 256)!,
    scannedAt: f.time('scannedAt')!,
    compliant: f.boolean('compliant')!,
    violationsFixed: f.count('violationsFixed')!,
    violationsUnfixed: f.count('violationsUnfixed')!,
  }),
  'risk-counts': (f) => ({
    sampledAt: f.time('sampledAt')!,
    highRiskItems: f.count('highRiskItems')!,
    mediumRiskItems: f.count('mediumRiskItems')!,
    sensitiveItems: f.count('sensitiveItems')!,
    externalUsers: f.count('externalUsers')!,
    externalLinks: f.count('externalLinks')!,
  }),
  'sharepoint-storage': (f) => {
    const quotaBytes = f.count('quotaBytes', true);
    return { date: f.date('date')!, usedBytes: f.count('usedBytes')!, ...(quotaBytes !== undefined ? { quotaBytes } : {}) };
  },
  'service-health': (f) => {
    const r = {
      incidentId: f.string('incidentId', 128)!,
      service: f.string('service', 128)!,
      title: f.string('title', 500)!,
      severity: f.oneOf('severity', INCIDENT_SEVERITIES)!,
      status: f.oneOf('status', INCIDENT_STATUSES)!,
      startedAt: f.time('startedAt')!,
      updatedAt: f.time('updatedAt')!,
    };
    if (r.startedAt && r.updatedAt) f.check(r.updatedAt >= r.startedAt, 'updatedAt', 'updatedAt must not be before startedAt');
    return r;
  },
};

/**
 * Validates and normalises one telemetry record of `kind` (closed schema: unknown fields are
 * problems too). Pure: `now` only bounds how far in the future a time may be.
 */
export function validateTelemetryRecord<K extends TelemetryKind>(kind: K, raw: unknown, now: Date): RecordValidation<K> {
  if (!isObject(raw)) return { ok: false, problems: [{ field: '', message: 'a record must be a JSON object' }] };
  const f = new Fields(raw, now);
  const customerId = f.uuid('customerId');
  const record = (builders[kind] as Builder<K>)(f, now);
  f.rejectUnknown();
  if (f.problems.length > 0 || !customerId || !record) return { ok: false, problems: f.problems };
  return { ok: true, customerId, record };
}
