import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ServiceConfig } from '@platform/service-kit';
import { MailCatcher } from './mail-catcher';
import { SmtpMailer, type Mailer, type OutgoingEmail, type SendOutcome } from './smtp-mailer';

export const DEFAULT_MAIL_FROM = 'MSP Platform <no-reply@msp-platform.localhost>';

/**
 * Where email goes: SMTP_URL when set; in embedded mode without it, the in-process mail
 * catcher (a real SMTP server on loopback whose messages GET /api/v1/dev/mailbox lists).
 * Standalone without SMTP_URL nothing can be delivered: emails are retried, then parked.
 */
export class MailDelivery implements Mailer {
  private constructor(
    private readonly mailer: Mailer,
    readonly catcher: MailCatcher | undefined,
  ) {}

  static async create(config: ServiceConfig, pool: Pool): Promise<MailDelivery> {
    const from = config.mailFrom ?? DEFAULT_MAIL_FROM;
    if (config.smtpUrl) return new MailDelivery(new SmtpMailer({ url: config.smtpUrl, from }), undefined);
    if (config.mode === 'embedded') {
      const catcher = new MailCatcher(pool);
      const url = await catcher.start();
      new Logger('notifications.mail').log({ mailbox: '/api/v1/dev/mailbox' }, 'no SMTP_URL: emails go to the embedded mail catcher');
      return new MailDelivery(new SmtpMailer({ url, from, maxConnections: 4 }), catcher);
    }
    new Logger('notifications.mail').warn('SMTP_URL is not set: emails stay queued (retried with backoff, parked after about 4 hours)');
    return new MailDelivery(new UnconfiguredMailer(), undefined);
  }

  send(email: OutgoingEmail): Promise<SendOutcome> {
    return this.mailer.send(email);
  }

  async close(): Promise<void> {
    await this.mailer.close();
    await this.catcher?.stop();
  }
}

class UnconfiguredMailer implements Mailer {
  send(): Promise<SendOutcome> {
    return Promise.resolve({ ok: false, permanent: false, reason: 'SMTP_URL is not configured' });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
