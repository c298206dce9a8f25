import type { AuthenticatedActor } from '@platform/service-kit';
import type { SubscriptionChanges } from '../../domain/subscription.decider';

export interface EditSubscriptionCommand {
  actor: AuthenticatedActor;
  customerId: string;
  subscriptionId: string;
  changes: SubscriptionChanges;
  ifMatch?: number;
}
