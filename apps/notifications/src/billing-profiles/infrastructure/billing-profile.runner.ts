import type { EventStore } from '@platform/event-store';
import type { ProfileOutcome } from '../../shared/infrastructure/profile-command-runner';
import { ProfileCommandRunner } from '../../shared/infrastructure/profile-command-runner';
import { BILLING_PROFILE_CATEGORY, billingProfileSpec, type BillingProfileSettings } from '../domain/billing-profile';
import type { BillingProfileDto } from '../commands/create-billing-profile/create-billing-profile.request';

/** Commands on `billingprofile-<id>` streams. */
export class BillingProfileRunner extends ProfileCommandRunner<BillingProfileSettings> {
  constructor(store: EventStore) {
    super(store, billingProfileSpec, BILLING_PROFILE_CATEGORY);
  }
}

export function toBillingProfileDto(o: ProfileOutcome<BillingProfileSettings>): BillingProfileDto {
  const s = o.state.settings!;
  return {
    id: o.profileId,
    name: s.name,
    frequency: s.frequency,
    sendDay: s.sendDay,
    sendMonth: s.sendMonth,
    version: o.version,
    createdAt: o.state.createdAt!,
    updatedAt: o.state.updatedAt!,
  };
}
