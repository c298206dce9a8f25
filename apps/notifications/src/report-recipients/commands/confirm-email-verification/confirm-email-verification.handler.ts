import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { deterministicUuid, uuidv7, type Clock } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { currentRequestContext, EVENT_STORE, PG_POOL } from '@platform/service-kit';
import { CustomerFactsStore } from '../../../customer-facts/customer-facts.store';
import { NOTIFICATIONS_CLOCK } from '../../../shared/notifications.tokens';
import { recipientVerificationStreamId, type ReportRecipientVerified } from '../../domain/recipient-verification.events';
import { verificationExpired, verificationNotFound } from '../../domain/report-recipients.errors';
import { ReportRecipientsStore } from '../../infrastructure/report-recipients.store';
import { VerificationTokenSigner } from '../../infrastructure/verification-token';

export interface ConfirmationResult {
  status: 'verified';
  verifiedAt: string;
}

/**
 * The customer opened the link of a verification email (F15): the address is verified — the
 * event `ReportRecipientVerified` goes to the customer's verification stream (announced on
 * notifications.events.v1) and the recipient record turns `verified`. Confirming twice answers
 * the same; a link whose address was removed or replaced since is not found.
 */
@Injectable()
export class ConfirmEmailVerificationHandler {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
    private readonly signer: VerificationTokenSigner,
    private readonly recipients: ReportRecipientsStore,
    private readonly facts: CustomerFactsStore,
  ) {}

  async execute(token: string): Promise<ConfirmationResult> {
    const claims = this.signer.verify(token);
    if (!claims) throw verificationNotFound();
    const record = await this.recipients.byToken(this.pool, claims.tokenId);
    if (!record || record.customerId !== claims.customerId) throw verificationNotFound();
    const customer = await this.facts.get(this.pool, record.customerId);
    if (!customer || customer.status === 'disconnected') throw verificationNotFound();
    if (record.status === 'verified') return { status: 'verified', verifiedAt: record.verifiedAt! };
    const now = this.clock.now();
    if (new Date(record.expiresAt) <= now) throw verificationExpired();

    const event: ReportRecipientVerified = { type: 'ReportRecipientVerified', data: { email: record.email } };
    const context = currentRequestContext();
    await this.store.append(
      recipientVerificationStreamId(record.customerId),
      [
        {
          // One event per link, whatever the retries.
          id: deterministicUuid('ReportRecipientVerified', record.tokenId),
          type: event.type,
          schemaVersion: 1,
          data: event.data,
          metadata: {
            partnerId: record.partnerId,
            customerId: record.customerId,
            occurredAt: now.toISOString(),
            correlationId: context?.correlationId ?? uuidv7(),
            ...(context ? { causationId: context.requestId } : {}),
            actor: { type: 'customer', id: record.customerId },
          },
        },
      ],
      { expectedVersion: 'any' },
    );
    await this.recipients.markVerified(this.pool, record.tokenId, now.toISOString());
    return { status: 'verified', verifiedAt: now.toISOString() };
  }
}
