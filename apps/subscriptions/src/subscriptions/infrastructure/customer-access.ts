import { ConflictError, NotFoundError, isUuid } from '@platform/core';
import type { CustomerDirectory, DirectoryCustomer, Queryable } from '@platform/customer-directory';
import { CustomerRefusal } from '../domain/subscription.errors';

/** The answer for an unknown id, a disconnected customer and another partner's customer: the same, on purpose. */
export const customerNotFound = (): NotFoundError => new NotFoundError(CustomerRefusal.NOT_FOUND, 'Customer not found.');

/** Ids are UUIDs: anything else names no customer. */
export function requireCustomerId(id: string): string {
  if (!isUuid(id)) throw customerNotFound();
  return id.toLowerCase();
}

export const notActive = (status: string): ConflictError =>
  new ConflictError(CustomerRefusal.NOT_ACTIVE, `The customer is ${status}, not active: services cannot be started for it.`, { status });

export const customerManaged = (): ConflictError =>
  new ConflictError(
    CustomerRefusal.CUSTOMER_MANAGED,
    'The customer manages its own tenant (customer management mode): the partner may only read products & subscriptions.',
  );

/** What the partner may do with a customer, from the customer directory (customers' integration events). */
export class CustomerAccess {
  constructor(private readonly directory: CustomerDirectory) {}

  /** The partner's customer, not disconnected; 404 otherwise. */
  async visible(partnerId: string, customerId: string, db?: Queryable): Promise<DirectoryCustomer> {
    const c = await this.directory.getForPartner(partnerId, customerId, db);
    if (!c || c.status === 'disconnected') throw customerNotFound();
    return c;
  }

  /** Subscriptions may be added or edited: not revoked, partner management mode. */
  async writable(partnerId: string, customerId: string): Promise<DirectoryCustomer> {
    const c = await this.visible(partnerId, customerId);
    if (c.status === 'revoked') throw notActive(c.status);
    if (c.managementMode === 'customer') throw customerManaged();
    return c;
  }

  /** Services may be started (F12): active and in partner management mode. */
  async startable(partnerId: string, customerId: string): Promise<DirectoryCustomer> {
    const c = await this.visible(partnerId, customerId);
    if (c.managementMode === 'customer') throw customerManaged();
    if (c.status !== 'active') throw notActive(c.status);
    return c;
  }
}
