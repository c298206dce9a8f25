import { ConflictError, NotFoundError, ValidationError } from '@platform/core';
import { deciderSpecification } from '../testing/decider-specification';
import { initialState, type CustomerState } from '../../customers/domain/customer.decider';
import { MAX_PINNED_CUSTOMERS, partnerUserDecider, type PinTarget } from './partner-user.decider';
import type { PartnerUserEvent } from './partner-user.events';

const spec = deciderSpecification(partnerUserDecider);
const PARTNER = 'partner-a';
const OTHER_PARTNER = 'partner-b';
const C1 = '0192e5f0-0000-7000-8000-000000000c01';
const C2 = '0192e5f0-0000-7000-8000-000000000c02';
const customer = (partnerId: string, status: CustomerState['status']): PinTarget => ({ ...initialState, partnerId, status });
const active = customer(PARTNER, 'active');
const unknown = initialState;

const pin = (customerId: string, target: PinTarget = active) =>
  ({ type: 'PinCustomer', data: { customerId, actorPartnerId: PARTNER, customer: target } }) as const;
const unpin = (customerId: string, target: PinTarget = active) =>
  ({ type: 'UnpinCustomer', data: { customerId, actorPartnerId: PARTNER, customer: target } }) as const;
const pinned = (customerId: string): PartnerUserEvent => ({ type: 'CustomerPinned', data: { customerId } });
const unpinned = (customerId: string): PartnerUserEvent => ({ type: 'CustomerUnpinned', data: { customerId } });

describe('partner user decider: pins (F4)', () => {
  it('pins a customer of the partner', () => {
    spec.given([]).when(pin(C1)).then([pinned(C1)]);
  });

  it('pins invited customers too (they are in the list)', () => {
    spec.given([]).when(pin(C1, customer(PARTNER, 'invited'))).then([pinned(C1)]);
  });

  it('pinning an already pinned customer decides nothing', () => {
    spec.given([pinned(C1)]).when(pin(C1)).thenNothingHappens();
  });

  it('pins again after an unpin', () => {
    spec.given([pinned(C1), unpinned(C1)]).when(pin(C1)).then([pinned(C1)]);
  });

  it.each<[string, PinTarget]>([
    ['an unknown customer', unknown],
    ["another partner's customer", customer(OTHER_PARTNER, 'active')],
    ['a disconnected customer', customer(PARTNER, 'disconnected')],
  ])('refuses to pin %s as not found', (_, target) => {
    spec.given([]).when(pin(C1, target)).thenThrows('CUSTOMER.NOT_FOUND', NotFoundError);
  });

  it(`refuses a pin beyond ${MAX_PINNED_CUSTOMERS}`, () => {
    const many = Array.from({ length: MAX_PINNED_CUSTOMERS }, (_, i) => pinned(`c-${i}`));
    spec.given(many).when(pin(C1)).thenThrows('PIN.LIMIT_REACHED', ConflictError);
    spec.given([...many, unpinned('c-3')]).when(pin(C1)).then([pinned(C1)]);
  });

  it('unpins a pinned customer', () => {
    spec.given([pinned(C1), pinned(C2)]).when(unpin(C1)).then([unpinned(C1)]);
  });

  it('unpinning a customer that is not pinned decides nothing', () => {
    spec.given([pinned(C2)]).when(unpin(C1)).thenNothingHappens();
    spec.given([pinned(C1), unpinned(C1)]).when(unpin(C1)).thenNothingHappens();
  });

  it('unpins a pinned customer that was disconnected since', () => {
    spec.given([pinned(C1)]).when(unpin(C1, customer(PARTNER, 'disconnected'))).then([unpinned(C1)]);
  });

  it.each<[string, PinTarget]>([
    ['an unknown customer', unknown],
    ["another partner's customer", customer(OTHER_PARTNER, 'active')],
  ])('answers not found when unpinning %s', (_, target) => {
    spec.given([]).when(unpin(C1, target)).thenThrows('CUSTOMER.NOT_FOUND', NotFoundError);
  });
});

describe('partner user decider: column preferences (F9)', () => {
  const save = (columns: string[]) => ({ type: 'SaveColumnPreferences', data: { columns } }) as const;

  it('saves a choice of list columns in the given order', () => {
    spec
      .given([])
      .when(save(['name', 'status', 'openTickets', 'health']))
      .then([{ type: 'ColumnPreferencesSaved', data: { columns: ['name', 'status', 'openTickets', 'health'] } }]);
  });

  it('saving the same choice again decides nothing; a new order is a new choice', () => {
    const saved: PartnerUserEvent = { type: 'ColumnPreferencesSaved', data: { columns: ['name', 'status'] } };
    spec.given([saved]).when(save(['name', 'status'])).thenNothingHappens();
    spec
      .given([saved])
      .when(save(['status', 'name']))
      .then([{ type: 'ColumnPreferencesSaved', data: { columns: ['status', 'name'] } }]);
  });

  it('refuses unknown, duplicated or no columns with the failing fields', () => {
    const e = spec.given([]).when(save(['name', 'password', 'name'])).thenThrows('PREFERENCES.INVALID', ValidationError);
    expect((e as ValidationError).fields).toEqual([
      { field: 'columns[1]', message: expect.stringContaining('must be one of') },
      { field: 'columns[2]', message: 'name is listed twice' },
    ]);
    spec.given([]).when(save([])).thenThrows('PREFERENCES.INVALID', ValidationError);
  });

  it('access-session events on the same stream leave pins and columns alone', () => {
    spec
      .given([
        pinned(C1),
        { type: 'AccessSessionStarted', data: { sessionId: 's1', customerId: C1, expiresAt: '2026-01-01T00:15:00.000Z' } },
      ])
      .when(pin(C1))
      .thenNothingHappens();
  });
});
