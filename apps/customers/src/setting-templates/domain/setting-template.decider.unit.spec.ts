import { ValidationError, ConflictError, NotFoundError } from '@platform/core';
import { deciderSpecification } from '../../partner-users/testing/decider-specification';
import {
  APPLY_MAX_CUSTOMERS,
  checkApplyTargets,
  evolveSettingTemplate,
  initialSettingTemplateState,
  settingTemplateDecider,
  templateOf,
  type SettingTemplateEnvelope,
} from './setting-template.decider';

const spec = deciderSpecification(settingTemplateDecider);
const PARTNER = 'partner-a';
const create = (data: Partial<{ name: string; settings: Record<string, unknown>; tags: string[] }> = {}) =>
  ({
    type: 'CreateSettingTemplate',
    data: { partnerId: PARTNER, name: 'EU billing', settings: { locale: 'fr' }, ...data },
  }) as const;
const created: SettingTemplateEnvelope = {
  type: 'SettingTemplateCreated',
  data: { name: 'EU billing', settings: { locale: 'fr' }, tags: [] },
  metadata: { partnerId: PARTNER, occurredAt: '2026-01-01T10:00:00.000Z' },
};

describe('setting template decider (F5)', () => {
  it('creates a template of F2 settings and tags, normalised', () => {
    spec
      .given([])
      .when(
        create({
          name: '  EU billing ',
          settings: {
            countryCode: 'FR',
            billingReports: { enabled: true, recipients: ['billing@contoso.com', 'billing@contoso.com'], billingProfileId: 'bp-1' },
            serviceReports: { enabled: false, recipients: ['x@contoso.com'] },
            jobNotificationProfileId: null,
          },
          tags: [' gold', 'gold', 'eu'],
        }),
      )
      .then([
        {
          type: 'SettingTemplateCreated',
          data: {
            name: 'EU billing',
            settings: {
              countryCode: 'FR',
              billingReports: { enabled: true, recipients: ['billing@contoso.com'], billingProfileId: 'bp-1' },
              serviceReports: { enabled: false, recipients: [] },
              jobNotificationProfileId: null,
            },
            tags: ['gold', 'eu'],
          },
        },
      ]);
  });

  it('creates a template of tags only', () => {
    spec
      .given([])
      .when(create({ settings: {}, tags: ['vip'] }))
      .then([{ type: 'SettingTemplateCreated', data: { name: 'EU billing', settings: {}, tags: ['vip'] } }]);
  });

  it('refuses a second creation on the same id', () => {
    spec.given([created]).when(create()).thenThrows('SETTING_TEMPLATE.ALREADY_EXISTS', ConflictError);
  });

  it('refuses an empty or overlong name, bad settings and an empty template with every failing field', () => {
    const e = spec
      .given([])
      .when(
        create({
          name: 'x'.repeat(201),
          settings: { countryCode: 'XX', locale: 'not a locale', billingReports: { enabled: true, recipients: ['nope'] } },
          tags: [''],
        }),
      )
      .thenThrows('SETTING_TEMPLATE.INVALID', ValidationError) as ValidationError;
    expect(e.fields.map((f) => f.field)).toEqual([
      'name',
      'settings.countryCode',
      'settings.locale',
      'settings.billingReports.recipients[0]',
      'settings.billingReports.billingProfileId',
      'tags[0]',
    ]);
    spec.given([]).when(create({ name: '   ' })).thenThrows('SETTING_TEMPLATE.INVALID', ValidationError);
    spec.given([]).when(create({ settings: {}, tags: [] })).thenThrows('SETTING_TEMPLATE.INVALID', ValidationError);
  });

  it('keeps the owning partner and creation time from the metadata', () => {
    expect(evolveSettingTemplate(initialSettingTemplateState(), created)).toEqual({
      status: 'created',
      partnerId: PARTNER,
      name: 'EU billing',
      settings: { locale: 'fr' },
      tags: [],
      createdAt: '2026-01-01T10:00:00.000Z',
    });
  });

  it("answers not found for an unknown template and for another partner's", () => {
    const state = evolveSettingTemplate(initialSettingTemplateState(), created);
    expect(templateOf(state, PARTNER).ok).toBe(true);
    for (const [s, partner] of [
      [state, 'partner-b'],
      [initialSettingTemplateState(), PARTNER],
    ] as const) {
      const r = templateOf(s, partner);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toBeInstanceOf(NotFoundError);
        expect(r.error.code).toBe('SETTING_TEMPLATE.NOT_FOUND');
      }
    }
  });
});

describe('apply targets', () => {
  const id = (n: number) => `0192e5f0-0000-7000-8000-${n.toString().padStart(12, '0')}`;

  it(`accepts 1–${APPLY_MAX_CUSTOMERS} distinct UUIDs`, () => {
    expect(checkApplyTargets([id(1)])).toEqual([]);
    expect(checkApplyTargets(Array.from({ length: APPLY_MAX_CUSTOMERS }, (_, i) => id(i)))).toEqual([]);
  });

  it('refuses none, too many, non-UUIDs and duplicates', () => {
    expect(checkApplyTargets([])).toEqual([{ field: 'customerIds', message: expect.any(String) }]);
    expect(checkApplyTargets(Array.from({ length: APPLY_MAX_CUSTOMERS + 1 }, (_, i) => id(i)))).toHaveLength(1);
    expect(checkApplyTargets([id(1), 'nope', id(1).toUpperCase()])).toEqual([
      { field: 'customerIds[1]', message: 'must be a UUID' },
      { field: 'customerIds[2]', message: 'is listed twice' },
    ]);
  });
});
