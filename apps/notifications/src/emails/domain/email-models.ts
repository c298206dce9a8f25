import { emailLanguage, formatDate, formatDateTime, type EmailLanguage } from './email-locale';
import type { TemplateModel } from './template-renderer';

/** The emails this service sends (F18); each has a template per language under ../templates. */
export const EMAIL_KINDS = ['invitation', 'email-verification', 'report-ready', 'scheduled-export', 'billing-report', 'job-digest'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** What a template is rendered with: its language and the values its placeholders name. */
export interface EmailContent {
  kind: EmailKind;
  language: EmailLanguage;
  model: TemplateModel;
}

/** The partner's (editable) draft text, one paragraph per block separated by an empty line. */
export function paragraphs(text: string): Array<{ text: string }> {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => ({ text: p }));
}

export function invitationEmail(input: {
  locale?: string | null;
  organizationName: string;
  link: string;
  expiresAt: string;
  draftEmail: string;
  indirectProviderId?: string | null;
}): EmailContent {
  const language = emailLanguage(input.locale);
  return {
    kind: 'invitation',
    language,
    model: {
      organizationName: input.organizationName,
      link: input.link,
      expiresAt: formatDate(input.expiresAt, language),
      draftParagraphs: paragraphs(input.draftEmail),
      indirectProviderId: input.indirectProviderId ?? null,
    },
  };
}

export type ReportPurpose = 'service' | 'billing';

export function verificationEmail(input: {
  locale?: string | null;
  organizationName: string;
  link: string;
  expiresAt: string;
  purposes: readonly ReportPurpose[];
}): EmailContent {
  const language = emailLanguage(input.locale);
  const serviceReports = input.purposes.includes('service');
  const billingReports = input.purposes.includes('billing');
  return {
    kind: 'email-verification',
    language,
    model: {
      organizationName: input.organizationName,
      link: input.link,
      expiresAt: formatDateTime(input.expiresAt, language),
      serviceReports,
      billingReports,
      both: serviceReports && billingReports,
    },
  };
}

export function reportReadyEmail(input: {
  locale?: string | null;
  organizationName?: string | null;
  reportName: string;
  format: string;
  link: string;
}): EmailContent {
  const language = emailLanguage(input.locale);
  return {
    kind: 'report-ready',
    language,
    model: {
      organizationName: input.organizationName ?? null,
      reportName: input.reportName,
      format: input.format.toUpperCase(),
      link: input.link,
    },
  };
}

/** F17: a scheduled export over all the partner's customers (its recipients are partner users). */
export function scheduledExportEmail(input: {
  locale?: string | null;
  reportName: string;
  format: string;
  period: string;
  link: string;
  expiresAt: string;
}): EmailContent {
  const language = emailLanguage(input.locale);
  return {
    kind: 'scheduled-export',
    language,
    model: {
      reportName: input.reportName,
      format: input.format.toUpperCase(),
      period: input.period,
      link: input.link,
      expiresAt: formatDateTime(input.expiresAt, language),
    },
  };
}

export function billingReportEmail(input: {
  locale?: string | null;
  organizationName: string;
  profileName: string;
  frequency: 'monthly' | 'yearly';
  /** `2026-03` or `2026`. */
  period: string;
  services: Array<{ name: string; quantity: string }>;
}): EmailContent {
  const language = emailLanguage(input.locale);
  const periodLabel =
    input.frequency === 'monthly'
      ? new Intl.DateTimeFormat({ en: 'en-GB', it: 'it-IT', fr: 'fr-FR' }[language], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
          new Date(`${input.period}-01T00:00:00.000Z`),
        )
      : input.period;
  return {
    kind: 'billing-report',
    language,
    model: {
      organizationName: input.organizationName,
      profileName: input.profileName,
      periodLabel,
      monthly: input.frequency === 'monthly',
      services: input.services,
      hasServices: input.services.length > 0,
    },
  };
}

const INTERVAL_LABELS: Record<EmailLanguage, { hour: string; hours: (n: number) => string; day: string; days: (n: number) => string }> = {
  en: { hour: 'hour', hours: (n) => `${n} hours`, day: 'day', days: (n) => `${n} days` },
  it: { hour: 'ora', hours: (n) => `${n} ore`, day: 'giorno', days: (n) => `${n} giorni` },
  fr: { hour: 'heure', hours: (n) => `${n} heures`, day: 'jour', days: (n) => `${n} jours` },
};

export function intervalLabel(minutes: number, language: EmailLanguage): string {
  const l = INTERVAL_LABELS[language];
  if (minutes % 1440 === 0) return minutes === 1440 ? l.day : l.days(minutes / 1440);
  if (minutes % 60 === 0) return minutes === 60 ? l.hour : l.hours(minutes / 60);
  return `${minutes} min`;
}

export function jobDigestEmail(input: {
  locale?: string | null;
  organizationName: string;
  profileName: string;
  intervalMinutes: number;
  windowStart: string;
  windowEnd: string;
  jobs: Array<{ finishedAt: string; product: string; outcome: string; jobName?: string | null }>;
}): EmailContent {
  const language = emailLanguage(input.locale);
  return {
    kind: 'job-digest',
    language,
    model: {
      organizationName: input.organizationName,
      profileName: input.profileName,
      count: input.jobs.length,
      windowStart: formatDateTime(input.windowStart, language),
      windowEnd: formatDateTime(input.windowEnd, language),
      intervalLabel: intervalLabel(input.intervalMinutes, language),
      jobs: input.jobs.map((j) => ({
        finishedAt: formatDateTime(j.finishedAt, language),
        product: j.product,
        outcome: j.outcome,
        jobName: j.jobName ?? null,
      })),
    },
  };
}
