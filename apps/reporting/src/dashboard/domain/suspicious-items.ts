import type { FindingFact } from './dashboard-view';

export const SUSPICIOUS_ITEM_COLUMNS = [
  'Workspace type',
  'Workspace',
  'Activity',
  'Detected at',
  'Ransomware suspected',
  'Status',
  'Suspicious file',
  'Reason',
  'Modified at',
] as const;

export type SuspiciousItemRow = [string, string, string, string, 'Yes' | 'No', string, string, string, string];

const WORKSPACE_LABEL: Record<FindingFact['workspaceType'], string> = { onedrive: 'OneDrive', 'sharepoint-site': 'SharePoint site' };

/** The export's rows: one per suspicious file (a finding without files still gets one row), newest finding first. */
export function suspiciousItemRows(findings: readonly FindingFact[]): SuspiciousItemRow[] {
  const rows: SuspiciousItemRow[] = [];
  for (const f of findings) {
    const base = [WORKSPACE_LABEL[f.workspaceType], f.workspace, f.activity, f.detectedAt, f.ransomwareSuspected ? 'Yes' : 'No', f.status] as const;
    if (f.suspiciousFiles.length === 0) rows.push([...base, '', '', '']);
    for (const file of f.suspiciousFiles) rows.push([...base, file.path, file.reason ?? '', file.modifiedAt ?? '']);
  }
  return rows;
}
