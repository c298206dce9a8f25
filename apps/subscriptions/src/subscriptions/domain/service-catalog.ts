/**
 * The service catalogue (F10): what a partner can add to a customer, how each service is
 * licensed, whether a subscription of it may be pooled, and what starting it provisions (F12).
 * Data the subscriptions service owns; served at `GET /api/v1/service-catalog`.
 */

export type QuantityUnit = 'seats' | 'storage-gb';
export type LicenceModel = 'seats' | 'storage' | 'seats-and-storage';

export interface ProvisioningStepDefinition {
  /** Stable step code (`connect-tenant`, …). */
  code: string;
  title: string;
  /** A failed required step fails the service; a failed optional one leaves it partially completed. */
  required: boolean;
}

export interface CatalogService {
  code: string;
  name: string;
  product: 'cloud-backup' | 'policies' | 'risk-insights';
  description: string;
  licenceModel: LicenceModel;
  /** Units a subscription may be counted in; the first is the default. */
  units: readonly QuantityUnit[];
  /** A pooled subscription shares the partner's pool of licences (batch edits F13 apply to pooled ones). */
  poolable: boolean;
  /** Longest trial, in days. */
  maxTrialDays: number;
  provisioning: readonly ProvisioningStepDefinition[];
}

const step = (code: string, title: string, required = true): ProvisioningStepDefinition => ({ code, title, required });

export const SERVICE_CATALOG: readonly CatalogService[] = Object.freeze([
  {
    code: 'cloud-backup-m365',
    name: 'Cloud Backup for Microsoft 365',
    product: 'cloud-backup',
    description: 'Backs up Exchange Online mailboxes, OneDrive, SharePoint sites and Teams.',
    licenceModel: 'seats',
    units: ['seats'],
    poolable: true,
    maxTrialDays: 30,
    provisioning: [
      step('connect-tenant', 'Grant the backup application consent in the Microsoft 365 tenant'),
      step('create-backup-storage', 'Create the backup storage in the data centre region'),
      step('discover-mailboxes', 'Discover Exchange Online mailboxes', false),
      step('discover-onedrive', 'Discover OneDrive accounts', false),
      step('discover-sharepoint', 'Discover SharePoint sites', false),
      step('discover-teams', 'Discover Teams and groups', false),
      step('apply-default-backup-plan', 'Apply the default daily backup plan'),
    ],
  },
  {
    code: 'cloud-backup-google',
    name: 'Cloud Backup for Google Workspace',
    product: 'cloud-backup',
    description: 'Backs up Gmail, Google Drive, shared drives and Calendar.',
    licenceModel: 'seats',
    units: ['seats'],
    poolable: true,
    maxTrialDays: 30,
    provisioning: [
      step('connect-tenant', 'Authorise domain-wide delegation in Google Workspace'),
      step('create-backup-storage', 'Create the backup storage in the data centre region'),
      step('discover-gmail', 'Discover Gmail accounts', false),
      step('discover-drive', 'Discover Google Drive and shared drives', false),
      step('apply-default-backup-plan', 'Apply the default daily backup plan'),
    ],
  },
  {
    code: 'cloud-backup-dynamics365',
    name: 'Cloud Backup for Dynamics 365',
    product: 'cloud-backup',
    description: 'Backs up Dynamics 365 and Power Platform environments.',
    licenceModel: 'seats-and-storage',
    units: ['seats', 'storage-gb'],
    poolable: false,
    maxTrialDays: 30,
    provisioning: [
      step('connect-tenant', 'Register the backup application in the Dynamics 365 tenant'),
      step('create-backup-storage', 'Create the backup storage in the data centre region'),
      step('discover-environments', 'Discover Dynamics 365 environments', false),
      step('apply-default-backup-plan', 'Apply the default daily backup plan'),
    ],
  },
  {
    code: 'cloud-backup-salesforce',
    name: 'Cloud Backup for Salesforce',
    product: 'cloud-backup',
    description: 'Backs up Salesforce organisations: data, metadata and files.',
    licenceModel: 'seats-and-storage',
    units: ['seats', 'storage-gb'],
    poolable: false,
    maxTrialDays: 30,
    provisioning: [
      step('connect-tenant', 'Connect the Salesforce organisation (OAuth)'),
      step('create-backup-storage', 'Create the backup storage in the data centre region'),
      step('discover-objects', 'Discover objects and metadata', false),
      step('apply-default-backup-plan', 'Apply the default daily backup plan'),
    ],
  },
  {
    code: 'cloud-backup-iaas-paas',
    name: 'Cloud Backup for IaaS + PaaS',
    product: 'cloud-backup',
    description: 'Backs up Azure virtual machines, SQL databases and storage accounts.',
    licenceModel: 'storage',
    units: ['storage-gb'],
    poolable: true,
    maxTrialDays: 30,
    provisioning: [
      step('connect-tenant', 'Connect the Azure subscriptions'),
      step('create-backup-storage', 'Create the backup storage in the data centre region'),
      step('discover-resources', 'Discover virtual machines, databases and storage accounts', false),
      step('apply-default-backup-plan', 'Apply the default daily backup plan'),
    ],
  },
  {
    code: 'policies-m365',
    name: 'Policies for Microsoft 365',
    product: 'policies',
    description: 'Monitors Microsoft 365 configuration against policy rules and fixes violations.',
    licenceModel: 'seats',
    units: ['seats'],
    poolable: true,
    maxTrialDays: 30,
    provisioning: [
      step('connect-tenant', 'Grant the policy application consent in the Microsoft 365 tenant'),
      step('enable-default-policies', 'Enable the default policy rule set'),
      step('run-first-scan', 'Run the first policy scan', false),
    ],
  },
  {
    code: 'risk-insights',
    name: 'Risk insights',
    product: 'risk-insights',
    description: 'Finds risky sharing, inactive accounts and external access across the tenant.',
    licenceModel: 'seats',
    units: ['seats'],
    poolable: false,
    maxTrialDays: 14,
    provisioning: [
      step('connect-tenant', 'Grant the risk insights application consent'),
      step('run-first-assessment', 'Run the first risk assessment', false),
    ],
  },
]);

export const SERVICE_CODES: readonly string[] = SERVICE_CATALOG.map((s) => s.code);

export function catalogService(code: string): CatalogService | undefined {
  return SERVICE_CATALOG.find((s) => s.code === code);
}
