import { Inject, Injectable } from '@nestjs/common';
import { CodedError, deterministicUuid, isUuid, uuidv7, type Clock } from '@platform/core';
import { type EventStore, expectedVersion, loadStream, retryOnConcurrency, toNewEvents } from '@platform/event-store';
import { EVENT_STORE, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { CONCURRENT_UPDATE } from '../../../customers/infrastructure/customer-command-runner';
import { decide, evolve, initialState } from '../../../customers/domain/customer.decider';
import { customerStreamId, type CustomerSettingsChanges } from '../../../customers/domain/customer.events';
import { CLOCK } from '../../../infrastructure/clock';
import {
  checkApplyTargets,
  evolveSettingTemplate,
  initialSettingTemplateState,
  templateOf,
  type ApplyOutcome,
} from '../../domain/setting-template.decider';
import { settingTemplateNotFound, SettingTemplateValidationError } from '../../domain/setting-template.errors';
import { settingTemplateStreamId } from '../../domain/setting-template.events';

export interface ApplySettingTemplateToCustomersCommand {
  actor: AuthenticatedActor;
  templateId: string;
  customerIds: string[];
  /**
   * What identifies this request across retries (its Idempotency-Key, else its request id):
   * each customer's event id derives from it, so a retry finds what it already appended.
   */
  requestKey: string;
}

export interface ApplySettingTemplateOutcome {
  templateId: string;
  results: ApplyOutcome[];
  /** Log position of the last append, when anything was appended. */
  position?: bigint;
}

/**
 * F5: applies a template to up to 100 customers, each customer on its own stream through the
 * customer decider (`ApplySettingTemplate`), and reports each one's result: the customers are
 * independent, so one customer's refusal (another partner's, customer-managed, …) fails only
 * that customer's line.
 */
@Injectable()
export class ApplySettingTemplateToCustomersHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: ApplySettingTemplateToCustomersCommand): Promise<ApplySettingTemplateOutcome> {
    const { actor } = command;
    if (!isUuid(command.templateId)) throw settingTemplateNotFound();
    const templateId = command.templateId.toLowerCase();
    const loaded = await loadStream(this.store, settingTemplateStreamId(templateId), initialSettingTemplateState(), evolveSettingTemplate);
    const template = templateOf(loaded.state, actor.partnerId);
    if (!template.ok) throw template.error;
    const problems = checkApplyTargets(command.customerIds);
    if (problems.length > 0) throw new SettingTemplateValidationError(problems);

    const results: ApplyOutcome[] = [];
    let position: bigint | undefined;
    for (const raw of command.customerIds) {
      const customerId = raw.toLowerCase();
      const eventId = deterministicUuid('SettingTemplateApplied', actor.partnerId, actor.userId, command.requestKey, templateId, customerId);
      try {
        const appended = await retryOnConcurrency(CONCURRENT_UPDATE, () =>
          this.applyTo(actor, customerId, eventId, templateId, template.value),
        );
        if (appended !== undefined && (position === undefined || appended > position)) position = appended;
        results.push({ customerId, status: 'applied', eventId });
      } catch (e) {
        if (!(e instanceof CodedError)) throw e;
        results.push({ customerId, status: 'failed', code: e.code, message: e.message });
      }
    }
    return { templateId, results, position };
  }

  /** The append's position, or `undefined` when a previous attempt of this request already applied it. */
  private async applyTo(
    actor: AuthenticatedActor,
    customerId: string,
    eventId: string,
    templateId: string,
    template: { name: string; settings: CustomerSettingsChanges; tags: string[] },
  ): Promise<bigint | undefined> {
    const customer = await loadStream(this.store, customerStreamId(customerId), initialState, evolve);
    if (customer.eventIds.has(eventId)) return undefined;
    const decision = decide(
      {
        type: 'ApplySettingTemplate',
        data: {
          partnerId: actor.partnerId,
          templateId,
          templateName: template.name,
          settings: template.settings,
          ...(template.tags.length > 0 ? { tags: template.tags } : {}),
        },
      },
      customer.state,
      { now: this.clock.now(), nextId: uuidv7 },
    );
    if (!decision.ok) throw decision.error;
    if (decision.value.length === 0) return undefined;
    const metadata = eventMetadataFor(actor, this.clock, { customerId });
    // One event per customer and request: its id is the deterministic one.
    const result = await this.store.append(
      customerStreamId(customerId),
      toNewEvents(decision.value, metadata, (_, i) => (i === 0 ? eventId : deterministicUuid(eventId, String(i)))),
      { expectedVersion: expectedVersion(customer.version) },
    );
    return result.lastGlobalPosition;
  }
}
