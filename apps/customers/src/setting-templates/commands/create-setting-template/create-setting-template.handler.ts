import { Inject, Injectable } from '@nestjs/common';
import { uuidv7, type Clock } from '@platform/core';
import { type EventStore, toNewEvents } from '@platform/event-store';
import { EVENT_STORE, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import type { CustomerSettingsChanges } from '../../../customers/domain/customer.events';
import { CLOCK } from '../../../infrastructure/clock';
import { decideSettingTemplate, initialSettingTemplateState } from '../../domain/setting-template.decider';
import { settingTemplateStreamId } from '../../domain/setting-template.events';

export interface CreateSettingTemplateCommand {
  actor: AuthenticatedActor;
  name: string;
  settings: CustomerSettingsChanges;
  tags?: string[];
}

export interface CreatedSettingTemplate {
  id: string;
  name: string;
  settings: CustomerSettingsChanges;
  tags: string[];
  createdAt: string;
  position: bigint;
}

/** F5: a global admin names a bundle of F2 settings and tags (`settingtemplate-<uuidv7>`). */
@Injectable()
export class CreateSettingTemplateHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: CreateSettingTemplateCommand): Promise<CreatedSettingTemplate> {
    const id = uuidv7();
    const decision = decideSettingTemplate(
      {
        type: 'CreateSettingTemplate',
        data: { partnerId: command.actor.partnerId, name: command.name, settings: command.settings, tags: command.tags },
      },
      initialSettingTemplateState(),
    );
    if (!decision.ok) throw decision.error;
    const [created] = decision.value;
    const metadata = eventMetadataFor(command.actor, this.clock);
    const result = await this.store.append(settingTemplateStreamId(id), toNewEvents(decision.value, metadata, () => uuidv7()), {
      expectedVersion: 'no_stream',
    });
    return { id, ...created.data, createdAt: metadata.occurredAt, position: result.lastGlobalPosition };
  }
}
