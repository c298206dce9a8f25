import type { HEALTH_STATES } from '@platform/contracts';

/**
 * The customer's overall service health, from telemetry: `critical` when a product's last backup
 * job failed, an incident is open or ransomware is suspected; `warning` when a last job only
 * partly succeeded or was canceled, an advisory is open or unusual activity is unresolved;
 * `healthy` with telemetry and none of that; `unknown` before any telemetry.
 */
export type CustomerHealth = (typeof HEALTH_STATES)[number];

/** `CustomerHealthChanged` events live in `health-<customerId>` (published by the relay). */
export const HEALTH_CATEGORY = 'health';
export const healthStreamId = (customerId: string): string => `${HEALTH_CATEGORY}-${customerId}`;

export interface HealthInputs {
  hasTelemetry: boolean;
  lastJobStatuses: string[];
  openIncidentSeverities: string[];
  openFindings: Array<{ ransomwareSuspected: boolean }>;
}

export interface HealthAssessment {
  health: CustomerHealth;
  reasons: string[];
}

export function assessHealth(input: HealthInputs): HealthAssessment {
  if (!input.hasTelemetry) return { health: 'unknown', reasons: ['No telemetry has been received yet'] };
  const critical: string[] = [];
  const warning: string[] = [];
  const failed = input.lastJobStatuses.filter((s) => s === 'failed').length;
  if (failed > 0) critical.push(`${failed} product(s) whose last backup job failed`);
  const incidents = input.openIncidentSeverities.filter((s) => s === 'incident').length;
  if (incidents > 0) critical.push(`${incidents} open service incident(s)`);
  const ransomware = input.openFindings.filter((f) => f.ransomwareSuspected).length;
  if (ransomware > 0) critical.push(`${ransomware} workspace(s) with suspected ransomware`);
  const partial = input.lastJobStatuses.filter((s) => s === 'partially-succeeded' || s === 'canceled').length;
  if (partial > 0) warning.push(`${partial} product(s) whose last backup job did not fully succeed`);
  const advisories = input.openIncidentSeverities.filter((s) => s === 'advisory').length;
  if (advisories > 0) warning.push(`${advisories} open service advisory(ies)`);
  const unusual = input.openFindings.length - ransomware;
  if (unusual > 0) warning.push(`${unusual} workspace(s) with unresolved unusual activity`);
  if (critical.length > 0) return { health: 'critical', reasons: [...critical, ...warning] };
  if (warning.length > 0) return { health: 'warning', reasons: warning };
  return { health: 'healthy', reasons: [] };
}
