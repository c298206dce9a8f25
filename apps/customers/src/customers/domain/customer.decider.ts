import { ConflictError, NotFoundError, err, ok, type Result } from '@platform/core';
import {
  LOGO_CONTENT_TYPES,
  type AccountType,
  type BillingReports,
  type CustomerChanges,
  type CustomerEvent,
  type CustomerSettingsChanges,
  type CustomerStatus,
  type LogoContentType,
  type ManagementMode,
  type ReportDelivery,
} from './customer.events';
import {
  CustomerErrorCode,
  CustomerValidationError,
  customerNotFound,
  invalidCustomerInput,
  type CustomerError,
  type FieldProblem,
} from './customer.errors';
import {
  DEFAULT_INVITATION_TTL_MS,
  DRAFT_EMAIL_MAX,
  MAX_LOGO_BYTES,
  REGISTERED_ACCOUNT_MAX,
  TAGS_MAX,
  checkCountry,
  checkEmail,
  checkLocale,
  checkOptionalUuid,
  checkOrganizationName,
  isAccountType,
  isDnsName,
  normalizeSettings,
  normalizeTags,
} from './customer.rules';
import { draftInvitationEmail } from './invitation-email';

// ---------------------------------------------------------------------------------------------
// State

export interface CustomerInvitationState {
  tokenId: string;
  /** ISO 8601 UTC. */
  expiresAt: string;
  draftEmail: string | null;
  used: boolean;
  revoked: boolean;
}

export interface CustomerLogoState {
  contentType: LogoContentType;
  sizeBytes: number;
  sha256: string;
}

export interface CustomerState {
  /** `none` until CustomerInvited. */
  status: 'none' | CustomerStatus;
  customerId: string | null;
  partnerId: string | null;
  managementMode: ManagementMode;
  organizationName: string | null;
  primaryDomain: string | null;
  countryCode: string | null;
  locale: string;
  accountType: AccountType | null;
  tags: string[];
  /** `null` when not given (authorization link) or erased (F6). */
  contactEmail: string | null;
  registeredAccount: string | null;
  indirectProviderId: string | null;
  logo: CustomerLogoState | null;
  billingReports: BillingReports;
  serviceReports: ReportDelivery;
  jobNotificationProfileId: string | null;
  invitation: CustomerInvitationState | null;
  /** Tokens replaced by a resend: still recognised so the answer can say why they fail. */
  supersededTokenIds: string[];
  openTicketIds: string[];
  closedTicketIds: string[];
  appliedTemplateIds: string[];
  /** ISO 8601 UTC of CustomerInvited / the last event (from metadata when folding recorded events). */
  createdAt: string | null;
  updatedAt: string | null;
}

export const initialState: CustomerState = Object.freeze({
  status: 'none',
  customerId: null,
  partnerId: null,
  managementMode: 'partner',
  organizationName: null,
  primaryDomain: null,
  countryCode: null,
  locale: 'en',
  accountType: null,
  tags: [],
  contactEmail: null,
  registeredAccount: null,
  indirectProviderId: null,
  logo: null,
  billingReports: { enabled: false, recipients: [] },
  serviceReports: { enabled: false, recipients: [] },
  jobNotificationProfileId: null,
  invitation: null,
  supersededTokenIds: [],
  openTicketIds: [],
  closedTicketIds: [],
  appliedTemplateIds: [],
  createdAt: null,
  updatedAt: null,
}) as CustomerState;

/** What evolve reads from a recorded event's metadata (the partner and customer ids are not in `data`). */
export interface CustomerEventMetadata {
  partnerId?: string;
  customerId?: string;
  occurredAt?: string;
}
export type CustomerEventEnvelope = CustomerEvent & { metadata?: CustomerEventMetadata };

const applySettings = (state: CustomerState, s: CustomerChanges): CustomerState => ({
  ...state,
  ...(s.organizationName !== undefined ? { organizationName: s.organizationName } : {}),
  ...(s.countryCode !== undefined ? { countryCode: s.countryCode } : {}),
  ...(s.locale !== undefined ? { locale: s.locale } : {}),
  ...(s.billingReports !== undefined ? { billingReports: s.billingReports } : {}),
  ...(s.serviceReports !== undefined ? { serviceReports: s.serviceReports } : {}),
  ...(s.jobNotificationProfileId !== undefined ? { jobNotificationProfileId: s.jobNotificationProfileId } : {}),
});

export function evolve(state: CustomerState, event: CustomerEventEnvelope): CustomerState {
  const at = event.metadata?.occurredAt ?? state.updatedAt;
  const next = evolveData(state, event);
  return next === state ? state : { ...next, updatedAt: at };
}

function evolveData(state: CustomerState, event: CustomerEventEnvelope): CustomerState {
  switch (event.type) {
    case 'CustomerInvited': {
      const d = event.data;
      return {
        ...state,
        status: 'invited',
        customerId: event.metadata?.customerId ?? state.customerId,
        partnerId: event.metadata?.partnerId ?? state.partnerId,
        organizationName: d.organizationName,
        primaryDomain: d.primaryDomain,
        countryCode: d.countryCode,
        accountType: d.accountType,
        contactEmail: d.contactEmail ?? null,
        tags: [...d.tags],
        locale: d.locale,
        indirectProviderId: d.indirectProviderId ?? null,
        invitation: { ...d.invitation, used: false, revoked: false },
        createdAt: event.metadata?.occurredAt ?? state.createdAt,
      };
    }
    case 'InvitationResent':
      return {
        ...state,
        status: 'invited',
        contactEmail: event.data.contactEmail === undefined ? state.contactEmail : event.data.contactEmail,
        supersededTokenIds: state.invitation
          ? [...state.supersededTokenIds, state.invitation.tokenId]
          : state.supersededTokenIds,
        invitation: { ...event.data.invitation, used: false, revoked: false },
      };
    case 'InvitationRevoked':
      return {
        ...state,
        status: 'revoked',
        invitation: state.invitation ? { ...state.invitation, revoked: true } : null,
      };
    case 'InvitationAccepted':
      return {
        ...state,
        status: 'active',
        registeredAccount: event.data.registeredAccount,
        indirectProviderId: event.data.indirectProviderId ?? state.indirectProviderId,
        invitation: state.invitation ? { ...state.invitation, used: true } : null,
      };
    case 'CustomerUpdated':
      return applySettings(state, event.data.changes);
    case 'CustomerLogoChanged':
      return { ...state, logo: { ...event.data } };
    case 'CustomerLogoRemoved':
      return { ...state, logo: null };
    case 'ManagementModeChanged':
      return { ...state, managementMode: event.data.to };
    case 'CustomerTagsChanged':
      return { ...state, tags: [...event.data.tags] };
    case 'SettingTemplateApplied':
      return {
        ...applySettings(state, event.data.settings),
        ...(event.data.tags !== undefined ? { tags: [...event.data.tags] } : {}),
        appliedTemplateIds: state.appliedTemplateIds.includes(event.data.templateId)
          ? state.appliedTemplateIds
          : [...state.appliedTemplateIds, event.data.templateId],
      };
    case 'CustomerDisconnected':
      return { ...state, status: 'disconnected', logo: null, invitation: state.invitation ? { ...state.invitation, revoked: true } : null };
    case 'SupportTicketOpened':
      return state.openTicketIds.includes(event.data.ticketId)
        ? state
        : { ...state, openTicketIds: [...state.openTicketIds, event.data.ticketId] };
    case 'SupportTicketClosed':
      return {
        ...state,
        openTicketIds: state.openTicketIds.filter((id) => id !== event.data.ticketId),
        closedTicketIds: state.closedTicketIds.includes(event.data.ticketId)
          ? state.closedTicketIds
          : [...state.closedTicketIds, event.data.ticketId],
      };
    case 'SupportTicketNoteAdded':
    case 'CustomerAccessSessionOpened':
      return state;
    default: {
      // Unknown types (a newer writer) leave the state as it is.
      return state;
    }
  }
}

/** Folds a stream (recorded events carry their metadata). */
export const foldCustomer = (events: readonly CustomerEventEnvelope[]): CustomerState => events.reduce(evolve, initialState);

// ---------------------------------------------------------------------------------------------
// Guards shared with the other deciders of the customer stream (tickets F7, access sessions F8)

/**
 * The customer exists, is not disconnected, and belongs to `partnerId`. Another partner's
 * customer is answered exactly like an unknown id (tenant isolation).
 */
export function checkCustomerOf(state: CustomerState, partnerId: string): CustomerError | undefined {
  if (state.status === 'none' || state.status === 'disconnected' || state.partnerId !== partnerId) {
    return customerNotFound();
  }
  return undefined;
}

/** In customer management mode the partner only reads products & subscriptions (F3). */
export function checkPartnerManaged(state: CustomerState): CustomerError | undefined {
  return state.managementMode === 'customer'
    ? new ConflictError(
        CustomerErrorCode.CUSTOMER_MANAGED,
        'The customer manages its own tenant (customer management mode): the partner may only read products & subscriptions.',
      )
    : undefined;
}

// ---------------------------------------------------------------------------------------------
// Commands

export interface InviteCustomer {
  type: 'InviteCustomer';
  data: {
    customerId: string;
    partnerId: string;
    organizationName: string;
    primaryDomain: string;
    countryCode: string;
    accountType: string;
    contactEmail?: string;
    tags?: string[];
    locale?: string;
    indirectProviderId?: string;
    /** The partner's own text; a localised default otherwise. */
    draftEmail?: string;
    /** Names used in the default draft text. */
    partnerName?: string;
    indirectProviderName?: string;
  };
}

export interface ResendInvitation {
  type: 'ResendInvitation';
  data: { partnerId: string; contactEmail?: string; draftEmail?: string; partnerName?: string; indirectProviderName?: string };
}

export interface RevokeInvitation {
  type: 'RevokeInvitation';
  data: { partnerId: string };
}

/** Public: the verified token identifies the customer; the signed-in admin becomes its registered account. */
export interface AcceptInvitation {
  type: 'AcceptInvitation';
  data: { tokenId: string; registeredAccount: string };
}

export interface EditCustomer {
  type: 'EditCustomer';
  data: { partnerId: string; changes: CustomerChanges };
}

export interface ChangeLogo {
  type: 'ChangeLogo';
  data: { partnerId: string; contentType: string; sizeBytes: number; sha256: string };
}

export interface RemoveLogo {
  type: 'RemoveLogo';
  data: { partnerId: string };
}

export interface ChangeManagementMode {
  type: 'ChangeManagementMode';
  data: { partnerId: string; mode: ManagementMode };
}

export interface ChangeTags {
  type: 'ChangeTags';
  data: { partnerId: string; tags: string[] };
}

/** F5: one customer's part of applying a setting template (the template service calls it per customer). */
export interface ApplySettingTemplate {
  type: 'ApplySettingTemplate';
  data: {
    partnerId: string;
    templateId: string;
    templateName: string;
    settings: CustomerSettingsChanges;
    /** Tags the template adds to the customer's tags. */
    tags?: string[];
  };
}

export interface DisconnectCustomer {
  type: 'DisconnectCustomer';
  data: { partnerId: string; confirmation: unknown };
}

export type CustomerCommand =
  | InviteCustomer
  | ResendInvitation
  | RevokeInvitation
  | AcceptInvitation
  | EditCustomer
  | ChangeLogo
  | RemoveLogo
  | ChangeManagementMode
  | ChangeTags
  | ApplySettingTemplate
  | DisconnectCustomer;

/** Time and ids come in from outside so decide stays pure and tests deterministic. */
export interface CustomerDecideContext {
  now: Date;
  /** A fresh id (UUIDv7 in production) for invitation tokens. */
  nextId: () => string;
  invitationTtlMs?: number;
}

export type Decision = Result<CustomerEvent[], CustomerError>;

const rejectIfInvalid = (problems: FieldProblem[]): CustomerError | undefined =>
  problems.length > 0 ? invalidCustomerInput(problems) : undefined;

export function decide(command: CustomerCommand, state: CustomerState, context: CustomerDecideContext): Decision {
  switch (command.type) {
    case 'InviteCustomer':
      return invite(command, state, context);
    case 'ResendInvitation':
      return resend(command, state, context);
    case 'RevokeInvitation':
      return revoke(command, state);
    case 'AcceptInvitation':
      return accept(command, state, context);
    case 'EditCustomer':
      return edit(command, state);
    case 'ChangeLogo':
      return changeLogo(command, state);
    case 'RemoveLogo':
      return removeLogo(command, state);
    case 'ChangeManagementMode':
      return changeManagementMode(command, state);
    case 'ChangeTags':
      return changeTags(command, state);
    case 'ApplySettingTemplate':
      return applySettingTemplate(command, state);
    case 'DisconnectCustomer':
      return disconnect(command, state);
  }
}

/** Whole seconds: the signed link carries the expiry in seconds and must name the same instant. */
const expiry = (context: CustomerDecideContext): string => {
  const ms = context.now.getTime() + (context.invitationTtlMs ?? DEFAULT_INVITATION_TTL_MS);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
};

function checkDraftEmail(value: string | undefined): FieldProblem[] {
  return value !== undefined && (value.trim().length === 0 || value.length > DRAFT_EMAIL_MAX)
    ? [{ field: 'draftEmail', message: `must be 1–${DRAFT_EMAIL_MAX} characters` }]
    : [];
}

function invite(command: InviteCustomer, state: CustomerState, context: CustomerDecideContext): Decision {
  if (state.status !== 'none') {
    return err(new ConflictError(CustomerErrorCode.ALREADY_EXISTS, 'A customer with this id already exists.'));
  }
  const c = command.data;
  const problems: FieldProblem[] = [];
  problems.push(...checkOrganizationName(c.organizationName));
  if (!isDnsName(c.primaryDomain)) problems.push({ field: 'primaryDomain', message: 'must be a DNS domain name (e.g. contoso.com)' });
  problems.push(...checkCountry(c.countryCode));
  if (!isAccountType(c.accountType)) problems.push({ field: 'accountType', message: 'must be one of the six account types' });
  // An authorization link is handed over as a link, so the contact address is optional there.
  if (c.contactEmail !== undefined) problems.push(...checkEmail(c.contactEmail, 'contactEmail'));
  else if (c.accountType !== 'authorization-link') problems.push({ field: 'contactEmail', message: 'is required for this account type' });
  const tags = normalizeTags(c.tags ?? []);
  problems.push(...tags.problems);
  const locale = c.locale ?? 'en';
  problems.push(...checkLocale(locale));
  problems.push(...checkOptionalUuid(c.indirectProviderId, 'indirectProviderId'));
  problems.push(...checkDraftEmail(c.draftEmail));
  const invalid = rejectIfInvalid(problems);
  if (invalid) return err(invalid);

  const accountType = c.accountType as AccountType;
  const expiresAt = expiry(context);
  const organizationName = c.organizationName.trim();
  const draftEmail =
    c.draftEmail ??
    draftInvitationEmail({
      locale,
      organizationName,
      accountType,
      expiresAt,
      partnerName: c.partnerName,
      indirectProviderName: c.indirectProviderName,
    });
  return ok([
    {
      type: 'CustomerInvited',
      data: {
        organizationName,
        primaryDomain: c.primaryDomain.toLowerCase(),
        countryCode: c.countryCode,
        accountType,
        ...(c.contactEmail !== undefined ? { contactEmail: c.contactEmail } : {}),
        tags: tags.tags,
        locale,
        ...(c.indirectProviderId !== undefined ? { indirectProviderId: c.indirectProviderId } : {}),
        invitation: { tokenId: context.nextId(), expiresAt, draftEmail },
      },
    },
  ]);
}

function resend(command: ResendInvitation, state: CustomerState, context: CustomerDecideContext): Decision {
  const c = command.data;
  const gone = checkCustomerOf(state, c.partnerId);
  if (gone) return err(gone);
  // A revoked invitation may be sent again (that re-opens it); an accepted one may not.
  if (state.status !== 'invited' && state.status !== 'revoked') {
    return err(new ConflictError(CustomerErrorCode.NOT_INVITED, 'The customer already accepted its invitation.'));
  }
  const problems: FieldProblem[] = [];
  if (c.contactEmail !== undefined) problems.push(...checkEmail(c.contactEmail, 'contactEmail'));
  else if (state.contactEmail === null && state.accountType !== 'authorization-link') {
    problems.push({ field: 'contactEmail', message: 'is required for this account type' });
  }
  problems.push(...checkDraftEmail(c.draftEmail));
  const invalid = rejectIfInvalid(problems);
  if (invalid) return err(invalid);

  const expiresAt = expiry(context);
  const contactEmail = c.contactEmail ?? state.contactEmail ?? undefined;
  const draftEmail =
    c.draftEmail ??
    draftInvitationEmail({
      locale: state.locale,
      organizationName: state.organizationName ?? '',
      accountType: state.accountType ?? 'authorization-link',
      expiresAt,
      partnerName: c.partnerName,
      indirectProviderName: c.indirectProviderName,
    });
  return ok([
    {
      type: 'InvitationResent',
      data: {
        ...(contactEmail !== undefined ? { contactEmail } : {}),
        invitation: { tokenId: context.nextId(), expiresAt, draftEmail },
      },
    },
  ]);
}

function revoke(command: RevokeInvitation, state: CustomerState): Decision {
  const gone = checkCustomerOf(state, command.data.partnerId);
  if (gone) return err(gone);
  if (state.status === 'revoked') {
    return err(new ConflictError(CustomerErrorCode.INVITATION_REVOKED, 'The invitation is already revoked.'));
  }
  if (state.status !== 'invited') {
    return err(new ConflictError(CustomerErrorCode.NOT_INVITED, 'The customer already accepted its invitation.'));
  }
  return ok([{ type: 'InvitationRevoked', data: {} }]);
}

function accept(command: AcceptInvitation, state: CustomerState, context: CustomerDecideContext): Decision {
  const c = command.data;
  const invitation = state.invitation;
  if (state.status === 'none' || state.status === 'disconnected' || invitation === null) {
    return err(new NotFoundError(CustomerErrorCode.INVITATION_NOT_FOUND, 'Invitation not found.'));
  }
  if (invitation.tokenId !== c.tokenId) {
    return err(
      state.supersededTokenIds.includes(c.tokenId)
        ? new ConflictError(CustomerErrorCode.INVITATION_SUPERSEDED, 'This link was replaced by a newer invitation.')
        : new NotFoundError(CustomerErrorCode.INVITATION_NOT_FOUND, 'Invitation not found.'),
    );
  }
  if (invitation.used) {
    return err(new ConflictError(CustomerErrorCode.INVITATION_ALREADY_USED, 'This invitation was already accepted.'));
  }
  if (invitation.revoked || state.status === 'revoked') {
    return err(new ConflictError(CustomerErrorCode.INVITATION_REVOKED, 'This invitation was revoked.'));
  }
  if (context.now.getTime() >= Date.parse(invitation.expiresAt)) {
    return err(new ConflictError(CustomerErrorCode.INVITATION_EXPIRED, 'This invitation has expired.'));
  }
  const account = c.registeredAccount.trim();
  if (account.length === 0 || account.length > REGISTERED_ACCOUNT_MAX) {
    return err(invalidCustomerInput([{ field: 'registeredAccount', message: `must be 1–${REGISTERED_ACCOUNT_MAX} characters` }]));
  }
  return ok([
    {
      type: 'InvitationAccepted',
      data: {
        registeredAccount: account,
        accountType: state.accountType ?? 'authorization-link',
        ...(state.indirectProviderId !== null ? { indirectProviderId: state.indirectProviderId } : {}),
      },
    },
  ]);
}

/** Partner-side writes of F2/F5 on a customer that is the partner's and partner-managed. */
function checkWritable(state: CustomerState, partnerId: string): CustomerError | undefined {
  return checkCustomerOf(state, partnerId) ?? checkPartnerManaged(state);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Only the settings that differ from the current state. */
function diff(state: CustomerState, changes: CustomerChanges): CustomerChanges {
  const out: CustomerChanges = {};
  if (changes.organizationName !== undefined && changes.organizationName !== state.organizationName) out.organizationName = changes.organizationName;
  if (changes.countryCode !== undefined && changes.countryCode !== state.countryCode) out.countryCode = changes.countryCode;
  if (changes.locale !== undefined && changes.locale !== state.locale) out.locale = changes.locale;
  if (changes.billingReports !== undefined && !same(changes.billingReports, state.billingReports)) out.billingReports = changes.billingReports;
  if (changes.serviceReports !== undefined && !same(changes.serviceReports, state.serviceReports)) out.serviceReports = changes.serviceReports;
  if (changes.jobNotificationProfileId !== undefined && changes.jobNotificationProfileId !== state.jobNotificationProfileId) {
    out.jobNotificationProfileId = changes.jobNotificationProfileId;
  }
  return out;
}

function edit(command: EditCustomer, state: CustomerState): Decision {
  const c = command.data;
  const refused = checkWritable(state, c.partnerId);
  if (refused) return err(refused);
  const { organizationName, ...rest } = c.changes;
  const problems: FieldProblem[] = [];
  if (organizationName !== undefined) problems.push(...checkOrganizationName(organizationName, 'organizationName'));
  const settings = normalizeSettings(rest);
  problems.push(...settings.problems);
  if (organizationName === undefined && Object.keys(settings.settings).length === 0) {
    problems.push({ field: 'changes', message: 'at least one setting to change' });
  }
  const invalid = rejectIfInvalid(problems);
  if (invalid) return err(invalid);
  const changes = diff(state, {
    ...(organizationName !== undefined ? { organizationName: organizationName.trim() } : {}),
    ...settings.settings,
  });
  // Saving what is already there changes nothing and records nothing.
  return ok(Object.keys(changes).length === 0 ? [] : [{ type: 'CustomerUpdated', data: { changes } }]);
}

function changeLogo(command: ChangeLogo, state: CustomerState): Decision {
  const c = command.data;
  const refused = checkWritable(state, c.partnerId);
  if (refused) return err(refused);
  const problems: FieldProblem[] = [];
  if (!(LOGO_CONTENT_TYPES as readonly string[]).includes(c.contentType)) {
    problems.push({ field: 'contentType', message: 'must be image/png, image/jpeg or image/webp' });
  }
  if (!Number.isInteger(c.sizeBytes) || c.sizeBytes <= 0 || c.sizeBytes > MAX_LOGO_BYTES) {
    problems.push({ field: 'sizeBytes', message: `must be 1–${MAX_LOGO_BYTES} bytes` });
  }
  if (!/^[0-9a-f]{64}$/.test(c.sha256)) problems.push({ field: 'sha256', message: 'must be a hex SHA-256' });
  const invalid = rejectIfInvalid(problems);
  if (invalid) return err(invalid);
  if (state.logo?.sha256 === c.sha256 && state.logo.contentType === c.contentType) return ok([]);
  return ok([
    { type: 'CustomerLogoChanged', data: { contentType: c.contentType as LogoContentType, sizeBytes: c.sizeBytes, sha256: c.sha256 } },
  ]);
}

function removeLogo(command: RemoveLogo, state: CustomerState): Decision {
  const refused = checkWritable(state, command.data.partnerId);
  if (refused) return err(refused);
  return ok(state.logo === null ? [] : [{ type: 'CustomerLogoRemoved', data: {} }]);
}

function changeManagementMode(command: ChangeManagementMode, state: CustomerState): Decision {
  const c = command.data;
  const gone = checkCustomerOf(state, c.partnerId);
  if (gone) return err(gone);
  if (c.mode !== 'customer' && c.mode !== 'partner') {
    return err(invalidCustomerInput([{ field: 'mode', message: "must be 'customer'" }]));
  }
  if (c.mode === state.managementMode) return ok([]);
  if (c.mode === 'partner') {
    return err(
      new ConflictError(
        CustomerErrorCode.MANAGEMENT_MODE_IRREVERSIBLE,
        'Management mode goes from partner to customer only; it never goes back to partner.',
      ),
    );
  }
  return ok([{ type: 'ManagementModeChanged', data: { from: 'partner', to: 'customer' } }]);
}

function changeTags(command: ChangeTags, state: CustomerState): Decision {
  const c = command.data;
  const refused = checkWritable(state, c.partnerId);
  if (refused) return err(refused);
  const tags = normalizeTags(c.tags);
  const invalid = rejectIfInvalid(tags.problems);
  if (invalid) return err(invalid);
  return ok(same(tags.tags, state.tags) ? [] : [{ type: 'CustomerTagsChanged', data: { tags: tags.tags } }]);
}

function applySettingTemplate(command: ApplySettingTemplate, state: CustomerState): Decision {
  const c = command.data;
  const refused = checkWritable(state, c.partnerId);
  if (refused) return err(refused);
  const problems: FieldProblem[] = [];
  if (c.templateName.trim().length === 0) problems.push({ field: 'templateName', message: 'must not be empty' });
  const settings = normalizeSettings(c.settings, 'settings.');
  problems.push(...settings.problems);
  const templateTags = c.tags === undefined ? undefined : normalizeTags(c.tags, 'tags');
  if (templateTags) problems.push(...templateTags.problems);
  const invalid = rejectIfInvalid(problems);
  if (invalid) return err(invalid);

  let tags: string[] | undefined;
  if (templateTags && templateTags.tags.length > 0) {
    tags = [...state.tags, ...templateTags.tags.filter((t) => !state.tags.includes(t))];
    if (tags.length > TAGS_MAX) {
      return err(
        new ConflictError(
          CustomerErrorCode.TOO_MANY_TAGS,
          `The template's tags would give the customer more than ${TAGS_MAX} tags.`,
          { tags: tags.length },
        ),
      );
    }
  }
  // Recorded even when nothing differs: that the template was applied is itself history.
  return ok([
    {
      type: 'SettingTemplateApplied',
      data: {
        templateId: c.templateId,
        templateName: c.templateName,
        settings: settings.settings,
        ...(tags !== undefined ? { tags } : {}),
      },
    },
  ]);
}

function disconnect(command: DisconnectCustomer, state: CustomerState): Decision {
  const c = command.data;
  if (state.status === 'disconnected' && state.partnerId === c.partnerId) {
    return err(new NotFoundError(CustomerErrorCode.ALREADY_DISCONNECTED, 'The customer is already disconnected.'));
  }
  const gone = checkCustomerOf(state, c.partnerId);
  if (gone) return err(gone);
  // The literal word, case and all: the seeds' "Enter Yes in the text box".
  if (c.confirmation !== 'Yes') {
    return err(
      new CustomerValidationError(CustomerErrorCode.CONFIRMATION_REQUIRED, 'Type the confirmation "Yes" to disconnect.', [
        { field: 'confirmation', message: 'must be exactly "Yes"' },
      ]),
    );
  }
  return ok([{ type: 'CustomerDisconnected', data: {} }]);
}
