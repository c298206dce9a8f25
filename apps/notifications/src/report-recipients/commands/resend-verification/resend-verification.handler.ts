import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { ConflictError, NotFoundError, type Clock, type IdGenerator } from '@platform/core';
import { inTransaction } from '@platform/event-store';
import { PG_POOL, type AuthenticatedActor } from '@platform/service-kit';
import { CustomerFactsStore } from '../../../customer-facts/customer-facts.store';
import { verificationEmail } from '../../../emails/domain/email-models';
import { EmailQueue } from '../../../emails/infrastructure/email-queue';
import { NOTIFICATIONS_CLOCK, NOTIFICATIONS_IDS } from '../../../shared/notifications.tokens';
import { normalizeEmail, VERIFICATION_TTL_MS } from '../../domain/report-recipients';
import { customerNotFound } from '../../domain/report-recipients.errors';
import { ReportRecipientsStore } from '../../infrastructure/report-recipients.store';
import { VerificationTokenSigner } from '../../infrastructure/verification-token';
import type { VerificationRequestDto } from './resend-verification.request';

/**
 * The partner asks for a new verification email for a customer address that is not verified
 * (the link ran out, or the customer lost the email): a new link replaces the old one.
 */
@Injectable()
export class ResendVerificationHandler {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
    @Inject(NOTIFICATIONS_IDS) private readonly ids: IdGenerator,
    private readonly facts: CustomerFactsStore,
    private readonly recipients: ReportRecipientsStore,
    private readonly queue: EmailQueue,
    private readonly signer: VerificationTokenSigner,
  ) {}

  execute(actor: AuthenticatedActor, customerId: string, rawEmail: string): Promise<VerificationRequestDto> {
    const email = normalizeEmail(rawEmail);
    return inTransaction(this.pool, async (tx) => {
      const customer = await this.facts.getForPartner(tx, actor.partnerId, customerId);
      if (!customer) throw customerNotFound();
      await tx.query('SELECT 1 FROM notifications_report_recipients WHERE customer_id = $1 AND email = $2 FOR UPDATE', [customerId, email]);
      const record = (await this.recipients.forCustomer(tx, customerId)).find((r) => r.email === email);
      if (!record) throw new NotFoundError('REPORT_RECIPIENT.NOT_FOUND', 'This address does not receive the customer’s reports.');
      if (record.status === 'verified') throw new ConflictError('REPORT_RECIPIENT.ALREADY_VERIFIED', 'This address is already verified.');
      const now = this.clock.now();
      const renewed = { ...record, tokenId: this.ids.next(), requestedAt: now.toISOString(), expiresAt: new Date(now.getTime() + VERIFICATION_TTL_MS).toISOString() };
      await this.recipients.upsert(tx, customerId, customer.partnerId, [renewed]);
      await this.queue.add(tx, [
        {
          // The request's own id: one email per request (retries are answered by the Idempotency-Key layer).
          eventId: renewed.tokenId,
          recipient: email,
          partnerId: customer.partnerId,
          customerId,
          triggeredAt: now.toISOString(),
          content: verificationEmail({
            locale: customer.locale,
            organizationName: customer.organizationName ?? '',
            link: this.signer.link({ customerId, tokenId: renewed.tokenId, expiresAt: renewed.expiresAt }),
            expiresAt: renewed.expiresAt,
            purposes: renewed.purposes,
          }),
        },
      ]);
      return { email, state: 'pending', expiresAt: renewed.expiresAt };
    });
  }
}
