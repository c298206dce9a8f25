import { ConflictError, NotFoundError } from '@platform/core';
import type { CustomerEventEnvelope } from '../../customers/domain/customer.decider';
import type { AccessSessionEnded, AccessSessionStarted } from '../../partner-users/domain/partner-user.events';
import { deciderSpecification } from '../../partner-users/testing/decider-specification';
import {
  accessSessionExpiry,
  customerAccessDecider,
  decideEndCustomerSessions,
  evolveUserSessions,
  initialUserSessionsState,
  userSessionsDecider,
  type OpenCustomerAccessSession,
} from './access-session.decider';

const PARTNER = 'partner-a';
const USER = 'user-1';
const S1 = '0192e5f0-0000-7000-8000-0000000000a1';
const S2 = '0192e5f0-0000-7000-8000-0000000000a2';
const S3 = '0192e5f0-0000-7000-8000-0000000000a3';
const C1 = '0192e5f0-0000-7000-8000-0000000000c1';
const C2 = '0192e5f0-0000-7000-8000-0000000000c2';
const NOW = new Date('2026-01-01T10:00:00.000Z');
const IN_15_MIN = '2026-01-01T10:15:00.000Z';

const invited: CustomerEventEnvelope = {
  type: 'CustomerInvited',
  data: {
    organizationName: 'Contoso',
    primaryDomain: 'contoso.com',
    countryCode: 'IT',
    accountType: 'local-account',
    contactEmail: 'admin@contoso.com',
    tags: [],
    locale: 'it',
    invitation: { tokenId: 'tok', expiresAt: '2026-02-01T00:00:00.000Z', draftEmail: 'Hello' },
  },
  metadata: { partnerId: PARTNER, customerId: C1 },
};
const accepted: CustomerEventEnvelope = { type: 'InvitationAccepted', data: { registeredAccount: 'a@contoso.com', accountType: 'local-account' } };
const revoked: CustomerEventEnvelope = { type: 'InvitationRevoked', data: {} };
const customerManaged: CustomerEventEnvelope = { type: 'ManagementModeChanged', data: { from: 'partner', to: 'customer' } };
const disconnected: CustomerEventEnvelope = { type: 'CustomerDisconnected', data: {} };

describe('access sessions on the customer stream (F8)', () => {
  const spec = deciderSpecification(customerAccessDecider);
  const openSession = (data: Partial<OpenCustomerAccessSession['data']> = {}): OpenCustomerAccessSession => ({
    type: 'OpenCustomerAccessSession',
    data: { partnerId: PARTNER, userId: USER, sessionId: S1, expiresAt: IN_15_MIN, ...data },
  });
  const opened = (sessionId = S1, userId = USER) =>
    ({ type: 'CustomerAccessSessionOpened', data: { sessionId, userId, expiresAt: IN_15_MIN } }) as const;

  it('records an access to an active, partner-managed customer', () => {
    spec.given([invited, accepted]).when(openSession()).then([opened()]);
  });

  it('records every access, one event per session', () => {
    spec.given([invited, accepted, opened(S1)]).when(openSession({ sessionId: S2 })).then([opened(S2)]);
  });

  it('a retried request (same session id, same user) records nothing more', () => {
    spec.given([invited, accepted, opened(S1)]).when(openSession()).thenNothingHappens();
  });

  it('refuses a session id already recorded for another user', () => {
    spec.given([invited, accepted, opened(S1, 'user-2')]).when(openSession()).thenThrows('ACCESS_SESSION.ID_REUSED', ConflictError);
  });

  it('is refused in customer management mode', () => {
    spec.given([invited, accepted, customerManaged]).when(openSession()).thenThrows('CUSTOMER.CUSTOMER_MANAGED', ConflictError);
  });

  it('is refused for customers that are not active (invited, invitation revoked)', () => {
    spec.given([invited]).when(openSession()).thenThrows('CUSTOMER.NOT_ACTIVE', ConflictError);
    spec.given([invited, revoked]).when(openSession()).thenThrows('CUSTOMER.NOT_ACTIVE', ConflictError);
  });

  it("answers not found for unknown, disconnected and another partner's customers", () => {
    spec.given([]).when(openSession()).thenThrows('CUSTOMER.NOT_FOUND', NotFoundError);
    spec.given([invited, accepted, disconnected]).when(openSession()).thenThrows('CUSTOMER.NOT_FOUND', NotFoundError);
    spec.given([invited, accepted]).when(openSession({ partnerId: 'partner-b' })).thenThrows('CUSTOMER.NOT_FOUND', NotFoundError);
  });
});

describe("access sessions on the user's stream (F8)", () => {
  const spec = deciderSpecification(userSessionsDecider);
  const start = (sessionId: string, customerId = C1, now = NOW, expiresAt = accessSessionExpiry(now)) =>
    ({ type: 'StartAccessSession', data: { sessionId, customerId, expiresAt, now } }) as const;
  const started = (sessionId: string, customerId = C1, expiresAt = IN_15_MIN): AccessSessionStarted => ({
    type: 'AccessSessionStarted',
    data: { sessionId, customerId, expiresAt },
  });
  const ended = (sessionId: string, customerId: string, reason: AccessSessionEnded['data']['reason']): AccessSessionEnded => ({
    type: 'AccessSessionEnded',
    data: { sessionId, customerId, reason },
  });

  it('starts the first session, ending at the 15-minute expiry (whole seconds, like the token)', () => {
    spec.given([]).when(start(S1)).then([started(S1, C1, IN_15_MIN)]);
    expect(accessSessionExpiry(new Date('2026-01-01T10:00:00.750Z'))).toBe(IN_15_MIN);
  });

  it("ends the user's other open session (another customer's or the same one's) when a new one starts", () => {
    spec.given([started(S1, C1)]).when(start(S2, C2)).then([ended(S1, C1, 'superseded'), started(S2, C2)]);
    spec.given([started(S1, C1)]).when(start(S2, C1)).then([ended(S1, C1, 'superseded'), started(S2, C1)]);
  });

  it('records a session that ran out by itself as expired, and leaves ended ones alone', () => {
    const later = new Date('2026-01-01T10:20:00.000Z');
    spec
      .given([started(S1, C1), ended(S1, C1, 'superseded'), started(S2, C2)])
      .when(start(S3, C1, later))
      .then([ended(S2, C2, 'expired'), started(S3, C1, accessSessionExpiry(later))]);
  });

  it('a retried start of the same session decides nothing, even after it ended', () => {
    spec.given([started(S1)]).when(start(S1)).thenNothingHappens();
    spec.given([started(S1), ended(S1, C1, 'superseded'), started(S2)]).when(start(S1)).thenNothingHappens();
  });

  it('pins and preferences on the same stream do not count as sessions', () => {
    spec
      .given([
        { type: 'CustomerPinned', data: { customerId: C1 } },
        { type: 'ColumnPreferencesSaved', data: { columns: ['name'] } },
      ])
      .when(start(S1))
      .then([started(S1)]);
  });

  describe('when the customer is closed to the partner (F3 customer mode, F6 disconnect)', () => {
    const closing = (reason: 'customer-managed' | 'customer-disconnected', now = NOW) =>
      ({ type: 'EndCustomerAccessSessions', data: { customerId: C1, reason, now } }) as const;
    const given = (...events: Array<AccessSessionStarted | AccessSessionEnded>) => events.reduce(evolveUserSessions, initialUserSessionsState());

    it("ends the user's open session on that customer with the reason", () => {
      expect(decideEndCustomerSessions(closing('customer-managed'), given(started(S1, C1)))).toEqual([ended(S1, C1, 'customer-managed')]);
      expect(decideEndCustomerSessions(closing('customer-disconnected'), given(started(S1, C1)))).toEqual([
        ended(S1, C1, 'customer-disconnected'),
      ]);
    });

    it("leaves other customers' sessions open and decides nothing for ended ones", () => {
      expect(decideEndCustomerSessions(closing('customer-managed'), given(started(S1, C2)))).toEqual([]);
      expect(decideEndCustomerSessions(closing('customer-managed'), given(started(S1, C1), ended(S1, C1, 'superseded')))).toEqual([]);
    });

    it('records a session that had already run out as expired', () => {
      const later = new Date('2026-01-01T10:20:00.000Z');
      expect(decideEndCustomerSessions(closing('customer-managed', later), given(started(S1, C1)))).toEqual([ended(S1, C1, 'expired')]);
    });
  });
});
