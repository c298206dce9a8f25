import type { PoolClient } from 'pg';
import type { IntegrationEvent } from '@platform/contracts';

export const DASHBOARD_DISCONNECTIONS_GROUP = 'reporting.dashboard-disconnections';

/** F6: a disconnected customer's dashboard data leaves the partner portal (the log keeps its history). */
export async function forgetDisconnectedCustomer(event: IntegrationEvent, tx: PoolClient): Promise<void> {
  if (event.type !== 'CustomerDisconnected') return;
  for (const table of ['reporting_dashboard', 'reporting_dashboard_findings', 'reporting_dashboard_subscriptions', 'reporting_dashboard_services']) {
    await tx.query(`DELETE FROM ${table} WHERE customer_id = $1`, [event.subject]);
  }
}
