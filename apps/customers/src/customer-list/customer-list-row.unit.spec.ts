import { evolve, initialState, type CustomerEventEnvelope } from '../customers/domain/customer.decider';
import type { CustomerEvent } from '../customers/domain/customer.events';
import { customerViewOf } from './customer-history.queries';
import { applyCustomerEvent, foldCustomer, type CustomerListRow } from './customer-list-row';
import { toCustomerView } from './customer-list.queries';
import { normalizeSearchText } from './search-text';
import { EventFixtures, invited } from './testing/customer-list-fixtures';

const P = 'partner-a';
const C = '0192e5f0-0000-7000-8000-00000000c001';

const journey: CustomerEvent[] = [
  invited('Société Générale Démo', { countryCode: 'FR', tags: ['gold'], indirectProviderId: 'provider-1' }),
  { type: 'InvitationResent', data: { contactEmail: 'new@sg.example', invitation: { tokenId: 't2', expiresAt: '2026-03-01T00:00:00.000Z', draftEmail: 'Hi' } } },
  { type: 'InvitationAccepted', data: { registeredAccount: 'it@sg.example', accountType: 'microsoft365-global-admin' } },
  { type: 'CustomerUpdated', data: { changes: { organizationName: 'Société Générale', locale: 'fr', serviceReports: { enabled: true, recipients: ['r@sg.example'] } } } },
  { type: 'SettingTemplateApplied', data: { templateId: 'tpl', templateName: 'Gold', settings: { jobNotificationProfileId: 'jn-1', billingReports: { enabled: true, recipients: ['b@sg.example'], billingProfileId: 'bp' } }, tags: ['gold', 'vip'] } },
  { type: 'SupportTicketOpened', data: { ticketId: 't1', title: 'x', description: 'y', severity: 'high' } },
  { type: 'SupportTicketOpened', data: { ticketId: 't2', title: 'x', description: 'y', severity: 'low' } },
  { type: 'SupportTicketNoteAdded', data: { ticketId: 't1', noteId: 'n1', text: 'note' } },
  { type: 'SupportTicketClosed', data: { ticketId: 't2' } },
  { type: 'CustomerLogoChanged', data: { contentType: 'image/png', sizeBytes: 10, sha256: 'ab' } },
  { type: 'ManagementModeChanged', data: { from: 'partner', to: 'customer' } },
];

describe('customer list row', () => {
  it('agrees with the write side’s evolve after every event of a customer’s life', () => {
    const events = new EventFixtures().customer(P, C, ...journey);
    for (let n = 1; n <= events.length; n++) {
      const prefix = events.slice(0, n);
      const row = foldCustomer(prefix)!;
      const state = prefix.reduce((s, e) => evolve(s, e as unknown as CustomerEventEnvelope), initialState);
      expect(toCustomerView(row, false)).toEqual(customerViewOf(C, state, n, false));
    }
  });

  it('ignores events it has already applied, and events of customers it does not hold', () => {
    const events = new EventFixtures().customer(P, C, ...journey);
    const row = foldCustomer(events)!;
    expect(events.reduce<CustomerListRow | undefined>((r, e) => applyCustomerEvent(r, e), row)).toBe(row);
    expect(applyCustomerEvent(undefined, events[3])).toBeUndefined();
    const gone = new EventFixtures().customer(P, C, journey[0], { type: 'CustomerDisconnected', data: {} });
    expect(foldCustomer(gone)).toBeUndefined();
  });

  it('normalises search text: case and accents', () => {
    expect(normalizeSearchText('Société Générale')).toBe('societe generale');
    expect(normalizeSearchText('  ÖLWERKE Müller ')).toBe('olwerke muller');
    expect(normalizeSearchText('Caffè')).toBe(normalizeSearchText('CAFFE'));
  });
});
