import type { PoolClient } from 'pg';
import type { Clock, IdGenerator } from '@platform/core';
import type { IntegrationEvent, IntegrationEventOf } from '@platform/contracts';
import type { CustomerFactsStore } from '../customer-facts/customer-facts.store';
import { invitationEmail, verificationEmail } from '../emails/domain/email-models';
import type { EmailOutbox } from '../emails/infrastructure/email-outbox';
import type { EmailQueue, EmailToQueue } from '../emails/infrastructure/email-queue';
import { applyRecipientList, type RecipientRecord, type ReportPurpose } from '../report-recipients/domain/report-recipients';
import type { ReportRecipientsStore } from '../report-recipients/infrastructure/report-recipients.store';
import type { VerificationTokenSigner } from '../report-recipients/infrastructure/verification-token';

/** The customers-service events `CustomerEventsHandler.handle` reacts to; its consumer ignores the rest. */
export const CUSTOMER_EMAIL_EVENT_TYPES = [
  'CustomerInvited',
  'InvitationResent',
  'InvitationAccepted',
  'InvitationRevoked',
  'CustomerUpdated',
  'CustomerDisconnected',
] as const;

export interface CustomerEventsDependencies {
  facts: CustomerFactsStore;
  recipients: ReportRecipientsStore;
  queue: EmailQueue;
  outbox: EmailOutbox;
  signer: VerificationTokenSigner;
  clock: Clock;
  ids: IdGenerator;
  /** Crypto-shreds what this service's own log holds of the customer (its ReportRecipientVerified events). */
  shred?: (customerId: string, tx: PoolClient) => Promise<void>;
}

/**
 * The reaction to customers.events.v1 (inbox consumer `notifications.customer-emails`), inside
 * the transaction that records the event in the inbox: the customer facts move, and the emails
 * the event causes are queued, exactly once per (event, recipient, kind).
 *
 * - CustomerInvited / InvitationResent → the invitation email (none without a contact address:
 *   `authorization-link` invitations are shared by the partner); a resent or revoked invitation
 *   drops the one still queued (its link no longer works);
 * - CustomerUpdated with report recipients → a verification email to each new address;
 * - CustomerDisconnected → queued and past emails, recipients and job results of the customer go.
 */
export class CustomerEventsHandler {
  constructor(private readonly deps: CustomerEventsDependencies) {}

  // Keep CUSTOMER_EMAIL_EVENT_TYPES in step with these cases.
  readonly handle = async (event: IntegrationEvent, tx: PoolClient): Promise<void> => {
    switch (event.type) {
      case 'CustomerInvited':
        return this.invited(event, tx);
      case 'InvitationResent':
        return this.resent(event, tx);
      case 'InvitationAccepted':
        return this.deps.facts.setStatus(tx, event.subject, 'active');
      case 'InvitationRevoked':
        // A queued invitation would carry a link that no longer works.
        await this.deps.outbox.dropPending(tx, event.subject, 'invitation');
        return this.deps.facts.setStatus(tx, event.subject, 'revoked');
      case 'CustomerUpdated':
        return this.updated(event, tx);
      case 'CustomerDisconnected':
        return this.disconnected(event, tx);
      default:
        return;
    }
  };

  private async invited(event: IntegrationEventOf<'CustomerInvited'>, tx: PoolClient): Promise<void> {
    const d = event.data;
    await this.deps.facts.invited(tx, {
      customerId: event.subject,
      partnerId: event.partnerId,
      organizationName: d.organizationName,
      locale: d.locale,
    });
    if (!d.contactEmail) return;
    await this.deps.queue.add(tx, [
      {
        eventId: event.id,
        recipient: d.contactEmail,
        partnerId: event.partnerId,
        customerId: event.subject,
        triggeredAt: event.time,
        content: invitationEmail({
          locale: d.locale,
          organizationName: d.organizationName,
          link: d.invitation.link,
          expiresAt: d.invitation.expiresAt,
          draftEmail: d.invitation.draftEmail,
          indirectProviderId: d.indirectProviderId,
        }),
      },
    ]);
  }

  private async resent(event: IntegrationEventOf<'InvitationResent'>, tx: PoolClient): Promise<void> {
    const facts = await this.deps.facts.get(tx, event.subject);
    if (facts?.status === 'disconnected') return;
    const d = event.data;
    // The previous link stopped working: an invitation still queued with it is replaced.
    await this.deps.outbox.dropPending(tx, event.subject, 'invitation');
    await this.deps.queue.add(tx, [
      {
        eventId: event.id,
        recipient: d.contactEmail,
        partnerId: event.partnerId,
        customerId: event.subject,
        triggeredAt: event.time,
        content: invitationEmail({
          locale: d.locale ?? facts?.locale,
          organizationName: facts?.organizationName ?? '',
          link: d.invitation.link,
          expiresAt: d.invitation.expiresAt,
          draftEmail: d.invitation.draftEmail,
        }),
      },
    ]);
  }

  private async updated(event: IntegrationEventOf<'CustomerUpdated'>, tx: PoolClient): Promise<void> {
    const customerId = event.subject;
    const facts = await this.deps.facts.get(tx, customerId);
    if (!facts || facts.status === 'disconnected') return;
    const c = event.data.changes;
    await this.deps.facts.update(tx, customerId, {
      organizationName: c.organizationName,
      locale: c.locale,
      billingEnabled: c.billingReports?.enabled,
      billingProfileId: c.billingReports ? (c.billingReports.billingProfileId ?? null) : undefined,
      jobNotificationProfileId: c.jobNotificationProfileId,
    });
    const lists: Array<[ReportPurpose, string[]]> = [];
    if (c.serviceReports) lists.push(['service', c.serviceReports.enabled ? c.serviceReports.recipients : []]);
    if (c.billingReports) lists.push(['billing', c.billingReports.enabled ? c.billingReports.recipients : []]);
    if (lists.length === 0) return;

    let current: RecipientRecord[] = await this.deps.recipients.forCustomer(tx, customerId);
    const now = this.deps.clock.now();
    const toVerify = new Map<string, RecipientRecord>();
    for (const [purpose, list] of lists) {
      const changes = applyRecipientList(current, purpose, list, { now, nextTokenId: () => this.deps.ids.next() });
      await this.deps.recipients.remove(tx, customerId, changes.removed);
      await this.deps.recipients.upsert(tx, customerId, event.partnerId, changes.upserts);
      for (const r of changes.toVerify) toVerify.set(r.email, r);
      for (const email of changes.removed) toVerify.delete(email);
      const upserted = new Map(changes.upserts.map((r) => [r.email, r]));
      current = [...current.filter((r) => !changes.removed.includes(r.email) && !upserted.has(r.email)), ...upserted.values()];
      // A record emailed for the first list and extended by the second: email the final purposes.
      for (const r of changes.upserts) if (toVerify.has(r.email)) toVerify.set(r.email, r);
    }
    const locale = c.locale ?? facts.locale;
    const organizationName = c.organizationName ?? facts.organizationName ?? '';
    const emails: EmailToQueue[] = [...toVerify.values()].map((r) => ({
      eventId: event.id,
      recipient: r.email,
      partnerId: event.partnerId,
      customerId,
      triggeredAt: event.time,
      content: verificationEmail({
        locale,
        organizationName,
        link: this.deps.signer.link({ customerId, tokenId: r.tokenId, expiresAt: r.expiresAt }),
        expiresAt: r.expiresAt,
        purposes: r.purposes,
      }),
    }));
    await this.deps.queue.add(tx, emails);
  }

  private async disconnected(event: IntegrationEventOf<'CustomerDisconnected'>, tx: PoolClient): Promise<void> {
    const customerId = event.subject;
    await this.deps.outbox.dropCustomer(tx, customerId);
    await this.deps.recipients.removeCustomer(tx, customerId);
    await tx.query('DELETE FROM notifications_job_results WHERE customer_id = $1', [customerId]);
    await tx.query('DELETE FROM notifications_job_digests WHERE customer_id = $1', [customerId]);
    await tx.query('DELETE FROM notifications_customer_subscriptions WHERE customer_id = $1', [customerId]);
    await this.deps.facts.disconnected(tx, customerId, event.partnerId);
    await this.deps.shred?.(customerId, tx);
  }
}
