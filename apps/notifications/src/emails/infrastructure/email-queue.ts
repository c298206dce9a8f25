import type { EmailContent } from '../domain/email-models';
import type { EmailOutbox, Queryable } from './email-outbox';
import type { TemplateCatalog } from './template-catalog';

export interface EmailToQueue {
  eventId: string;
  recipient: string;
  partnerId: string;
  customerId: string | null;
  triggeredAt: string;
  content: EmailContent;
}

/**
 * Renders emails from their templates and puts them in the outbox in the caller's transaction,
 * then nudges the sender (it looks again shortly, by when the transaction has usually committed).
 */
export class EmailQueue {
  constructor(
    private readonly catalog: TemplateCatalog,
    private readonly outbox: EmailOutbox,
    private readonly wake: () => void = () => undefined,
  ) {}

  async add(db: Queryable, emails: readonly EmailToQueue[]): Promise<number> {
    if (emails.length === 0) return 0;
    const added = await this.outbox.enqueue(
      db,
      emails.map((e) => ({
        eventId: e.eventId,
        kind: e.content.kind,
        recipient: e.recipient,
        partnerId: e.partnerId,
        customerId: e.customerId,
        language: e.content.language,
        triggeredAt: e.triggeredAt,
        content: this.catalog.render(e.content),
      })),
    );
    if (added > 0) setImmediate(this.wake);
    return added;
  }
}
