import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@platform/core';
import { type EventStore, loadStream } from '@platform/event-store';
import { EVENT_STORE } from '@platform/service-kit';
import { evolveSettingTemplate, initialSettingTemplateState, templateOf } from '../../domain/setting-template.decider';
import { settingTemplateNotFound } from '../../domain/setting-template.errors';
import { settingTemplateStreamId } from '../../domain/setting-template.events';
import type { SettingTemplateResponse } from './setting-template.response';

/** One template of the caller's partner, from its stream (always current). */
@Injectable()
export class GetSettingTemplateQuery {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(partnerId: string, id: string): Promise<SettingTemplateResponse> {
    if (!isUuid(id)) throw settingTemplateNotFound();
    const templateId = id.toLowerCase();
    const loaded = await loadStream(this.store, settingTemplateStreamId(templateId), initialSettingTemplateState(), evolveSettingTemplate);
    const template = templateOf(loaded.state, partnerId);
    if (!template.ok) throw template.error;
    const t = template.value;
    return { id: templateId, name: t.name, settings: t.settings, tags: t.tags, createdAt: t.createdAt };
  }
}
