import type { AuthenticatedActor } from '@platform/service-kit';
import type { InviteCustomer } from '../../domain/customer.decider';

/** F1: invite a customer (the customer id is minted by the handler). */
export interface InviteCustomerCommand {
  actor: AuthenticatedActor;
  invitation: Omit<InviteCustomer['data'], 'customerId' | 'partnerId'>;
}
