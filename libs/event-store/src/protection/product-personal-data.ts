import type { PersonalDataMap } from './personal-data-policy';

/**
 * The product's personal fields by domain event type (docs/personal-data.md explains each).
 * A path that an event does not have is skipped, so a list may name both a flat and a nested
 * shape. A service whose events are not here adds them with `policy.with({...})`; never remove
 * a type once events were written with it (reading does not need it, but re-appends would).
 *
 * Whole values (`recipients`, `address`, `registeredAccount`) are encrypted as one envelope:
 * that also hides how many recipients there are. `[]` is for lists whose items mix personal
 * and business data (`notes[].text`).
 */
export const productPersonalData: PersonalDataMap = {
  // F1 invitation
  CustomerInvited: [
    'contactEmail',
    'contactName',
    'contactPhone',
    'contact',
    'address',
    'draftEmail',
    'invitation.draftEmail',
    'indirectProvider.contactEmail',
    'indirectProvider.contactName',
  ],
  InvitationResent: ['contactEmail', 'draftEmail', 'invitation.draftEmail'],
  InvitationDraftEmailEdited: ['draftEmail'],
  InvitationAccepted: ['registeredAccount', 'acceptedBy'],
  // F2 customer information and report delivery
  CustomerUpdated: [
    'contactEmail',
    'contactName',
    'contactPhone',
    'contact',
    'address',
    'billingReports.recipients',
    'serviceReports.recipients',
    'changes.contactEmail',
    'changes.contactName',
    'changes.address',
    'changes.billingReports.recipients',
    'changes.serviceReports.recipients',
  ],
  CustomerInformationUpdated: ['contactEmail', 'contactName', 'contactPhone', 'contact', 'address'],
  CustomerContactChanged: ['contactEmail', 'contactName', 'contactPhone', 'contact'],
  CustomerAddressChanged: ['address'],
  BillingReportsConfigured: ['recipients'],
  ServiceReportsConfigured: ['recipients'],
  ReportRecipientVerificationRequested: ['email'],
  ReportRecipientVerified: ['email'],
  IndirectProviderAssigned: [
    'contactEmail',
    'contactName',
    'indirectProvider.contactEmail',
    'indirectProvider.contactName',
  ],
  // F5 a template can carry report recipients
  SettingTemplateApplied: ['settings.billingReports.recipients', 'settings.serviceReports.recipients'],
  // F7 support tickets: free text and who to call back
  SupportTicketOpened: ['title', 'description', 'contactEmail', 'contactName', 'contactPhone'],
  SupportTicketNoteAdded: ['note', 'text', 'notes[].text'],
  SupportTicketClosed: ['resolution', 'comment'],
  // F8 access sessions: the partner user's network identity
  CustomerAccessSessionOpened: ['ipAddress', 'userAgent'],
  // F15 reports sent to people
  ReportGenerated: ['recipients'],
  ReportRequested: ['recipients'],
  // F17 scheduled exports (subject: the partner)
  ScheduledReportExported: ['recipients'],
};
