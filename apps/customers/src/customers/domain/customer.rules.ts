import { isUuid } from '@platform/core';
import { ACCOUNT_TYPES, type AccountType, type CustomerSettingsChanges, type ReportDelivery } from './customer.events';
import type { FieldProblem } from './customer.errors';
import { ISO_COUNTRY_CODES } from './iso-countries';

/** Limits of F1/F2/F5 input (the HTTP DTOs check the same, the decider is the authority). */
export const ORGANIZATION_NAME_MAX = 256;
export const PRIMARY_DOMAIN_MAX = 253;
export const EMAIL_MAX = 254;
export const TAGS_MAX = 50;
export const TAG_MAX = 64;
export const RECIPIENTS_MAX = 50;
export const PROFILE_ID_MAX = 128;
export const DRAFT_EMAIL_MAX = 20_000;
export const REGISTERED_ACCOUNT_MAX = 320;
export const MAX_LOGO_BYTES = 512 * 1024;
/** F1: an invitation link works for 7 days unless configured otherwise. */
export const DEFAULT_INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
// Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is the mail server's job.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BCP47 = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export const isDnsName = (value: string): boolean => {
  if (value.length === 0 || value.length > PRIMARY_DOMAIN_MAX) return false;
  const labels = value.toLowerCase().split('.');
  if (labels.length < 2) return false;
  if (!labels.every((l) => DNS_LABEL.test(l))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1]); // a numeric TLD is an IP address, not a domain
};

export const isEmail = (value: string): boolean => value.length <= EMAIL_MAX && EMAIL.test(value);
export const isCountryCode = (value: string): boolean => ISO_COUNTRY_CODES.has(value);
export const isLocale = (value: string): boolean => value.length <= 35 && BCP47.test(value);
export const isAccountType = (value: string): value is AccountType =>
  (ACCOUNT_TYPES as readonly string[]).includes(value);

const isBlankOrTooLong = (value: string, max: number): boolean => value.trim().length === 0 || value.length > max;

export function checkOrganizationName(value: string, field = 'organizationName'): FieldProblem[] {
  return isBlankOrTooLong(value, ORGANIZATION_NAME_MAX)
    ? [{ field, message: `must be 1–${ORGANIZATION_NAME_MAX} characters` }]
    : [];
}

export function checkCountry(value: string, field = 'countryCode'): FieldProblem[] {
  return isCountryCode(value) ? [] : [{ field, message: 'must be an ISO 3166-1 alpha-2 country code (e.g. IT)' }];
}

export function checkLocale(value: string, field = 'locale'): FieldProblem[] {
  return isLocale(value) ? [] : [{ field, message: 'must be a BCP 47 language tag (en, it, fr, …)' }];
}

export function checkEmail(value: string, field: string): FieldProblem[] {
  return isEmail(value) ? [] : [{ field, message: 'must be an email address' }];
}

/** Tags are trimmed and de-duplicated; at most 50 of 1–64 characters. */
export function normalizeTags(tags: readonly string[], field = 'tags'): { tags: string[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const out: string[] = [];
  tags.forEach((raw, i) => {
    const tag = raw.trim();
    if (tag.length === 0 || tag.length > TAG_MAX) problems.push({ field: `${field}[${i}]`, message: `must be 1–${TAG_MAX} characters` });
    else if (!out.includes(tag)) out.push(tag);
  });
  if (out.length > TAGS_MAX) problems.push({ field, message: `at most ${TAGS_MAX} tags` });
  return { tags: out, problems };
}

function checkRecipients(delivery: ReportDelivery, field: string): { value: string[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const recipients = delivery.recipients ?? [];
  if (!delivery.enabled) return { value: [], problems }; // disabled delivery keeps no addresses
  if (recipients.length === 0) problems.push({ field: `${field}.recipients`, message: 'at least one recipient when enabled' });
  if (recipients.length > RECIPIENTS_MAX) problems.push({ field: `${field}.recipients`, message: `at most ${RECIPIENTS_MAX} recipients` });
  recipients.forEach((r, i) => problems.push(...checkEmail(r, `${field}.recipients[${i}]`)));
  const unique = [...new Set(recipients.map((r) => r.trim()))];
  return { value: unique, problems };
}

/** Validates and normalises F2 settings (also what a setting template carries). */
export function normalizeSettings(
  settings: CustomerSettingsChanges,
  prefix = '',
): { settings: CustomerSettingsChanges; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const out: CustomerSettingsChanges = {};
  if (settings.countryCode !== undefined) {
    problems.push(...checkCountry(settings.countryCode, `${prefix}countryCode`));
    out.countryCode = settings.countryCode;
  }
  if (settings.locale !== undefined) {
    problems.push(...checkLocale(settings.locale, `${prefix}locale`));
    out.locale = settings.locale;
  }
  if (settings.billingReports !== undefined) {
    const b = settings.billingReports;
    const r = checkRecipients(b, `${prefix}billingReports`);
    problems.push(...r.problems);
    if (b.enabled && (b.billingProfileId === undefined || isBlankOrTooLong(b.billingProfileId, PROFILE_ID_MAX))) {
      problems.push({ field: `${prefix}billingReports.billingProfileId`, message: 'a billing profile is required when enabled' });
    }
    out.billingReports = {
      enabled: b.enabled,
      recipients: r.value,
      ...(b.enabled && b.billingProfileId !== undefined ? { billingProfileId: b.billingProfileId } : {}),
    };
  }
  if (settings.serviceReports !== undefined) {
    const r = checkRecipients(settings.serviceReports, `${prefix}serviceReports`);
    problems.push(...r.problems);
    out.serviceReports = { enabled: settings.serviceReports.enabled, recipients: r.value };
  }
  if (settings.jobNotificationProfileId !== undefined) {
    const id = settings.jobNotificationProfileId;
    if (id !== null && isBlankOrTooLong(id, PROFILE_ID_MAX)) {
      problems.push({ field: `${prefix}jobNotificationProfileId`, message: `must be 1–${PROFILE_ID_MAX} characters or null` });
    }
    out.jobNotificationProfileId = id;
  }
  return { settings: out, problems };
}

export function checkOptionalUuid(value: string | undefined, field: string): FieldProblem[] {
  return value === undefined || isUuid(value) ? [] : [{ field, message: 'must be a UUID' }];
}
