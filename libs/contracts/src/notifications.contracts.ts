import { defineContract } from './contract';
import { s } from './schema-builders';

/**
 * Contracts produced by the notifications service on `notifications.events.v1` (F15, F18): it
 * owns the verification of customer addresses that receive reports.
 */

export interface ReportRecipientVerificationRequestedV1 {
  email: string;
  verificationLink: string;
  expiresAt: string;
  locale?: string;
}

export const reportRecipientVerificationRequestedV1 = defineContract<
  'ReportRecipientVerificationRequested',
  1,
  ReportRecipientVerificationRequestedV1
>({
  type: 'ReportRecipientVerificationRequested',
  version: 1,
  producer: 'notifications',
  description:
    'A customer address that should receive reports must be verified first (F15). Reserved: the notifications service emails the link itself and does not announce it (the link is a bearer secret).',
  personalData: {
    carries: true,
    fields: ['email', 'verificationLink'],
    why: 'The address to verify and its personal link.',
  },
  schema: s.object(
    { email: s.email(), verificationLink: s.uri(), expiresAt: s.dateTime(), locale: s.locale() },
    ['email', 'verificationLink', 'expiresAt'],
  ),
  example: {
    email: 'reports@contoso.com',
    verificationLink: 'https://console.example.com/api/v1/email-verifications/eyJhbGciOiJIUzI1NiJ9.a.b:confirm',
    expiresAt: '2026-01-02T09:30:00.000Z',
  },
});

export interface ReportRecipientVerifiedV1 {
  email: string;
}

export const reportRecipientVerifiedV1 = defineContract<'ReportRecipientVerified', 1, ReportRecipientVerifiedV1>({
  type: 'ReportRecipientVerified',
  version: 1,
  producer: 'notifications',
  description:
    'The customer confirmed an address through the link the notifications service emailed it; reports may now be sent to it (F15).',
  personalData: { carries: true, fields: ['email'], why: 'Reporting checks a customer recipient is verified before sending.' },
  schema: s.object({ email: s.email() }),
  example: { email: 'reports@contoso.com' },
});

export const notificationsContracts = [reportRecipientVerificationRequestedV1, reportRecipientVerifiedV1] as const;
