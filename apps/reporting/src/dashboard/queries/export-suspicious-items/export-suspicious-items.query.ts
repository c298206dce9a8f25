import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { ConflictError, type Clock } from '@platform/core';
import { CustomerDirectory } from '@platform/customer-directory';
import { PG_POOL } from '@platform/service-kit';
import { REPORTING_CLOCK } from '../../../api-keys/infrastructure/api-keys.tokens';
import type { FindingFact } from '../../domain/dashboard-view';
import { customerOfPartner } from '../get-dashboard/get-dashboard.query';

const DAY_MS = 86_400_000;

export interface SuspiciousItems {
  customerId: string;
  organizationName: string | null;
  rangeDays: number;
  findings: FindingFact[];
}

/** Every finding of the range with all its suspicious files (the dashboard's "Suspicious items" panel, for export). */
@Injectable()
export class ExportSuspiciousItemsQuery {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
    private readonly directory: CustomerDirectory,
  ) {}

  async execute(partnerId: string, customerId: string, rangeDays: number): Promise<SuspiciousItems> {
    const customer = await customerOfPartner(this.directory, partnerId, customerId);
    if (customer.managementMode === 'customer') {
      throw new ConflictError('CUSTOMER.CUSTOMER_MANAGED', 'The customer manages its tenant: only products & subscriptions are visible.');
    }
    const since = new Date(this.clock.now().getTime() - rangeDays * DAY_MS);
    const { rows } = await this.pool.query<{
      finding_id: string;
      detected_at: Date;
      workspace_type: FindingFact['workspaceType'];
      workspace: string;
      activity: string;
      ransomware_suspected: boolean;
      status: FindingFact['status'];
      suspicious_files: FindingFact['suspiciousFiles'];
    }>(
      `SELECT finding_id, detected_at, workspace_type, workspace, activity, ransomware_suspected, status, suspicious_files
       FROM reporting_dashboard_findings WHERE customer_id = $1 AND detected_at >= $2 ORDER BY detected_at DESC, finding_id`,
      [customer.customerId, since.toISOString()],
    );
    return {
      customerId: customer.customerId,
      organizationName: customer.organizationName,
      rangeDays,
      findings: rows.map((r) => ({
        findingId: r.finding_id,
        detectedAt: r.detected_at.toISOString(),
        workspaceType: r.workspace_type,
        workspace: r.workspace,
        activity: r.activity,
        ransomwareSuspected: r.ransomware_suspected,
        status: r.status,
        suspiciousFiles: r.suspicious_files,
      })),
    };
  }
}
