import { ServiceInfrastructureModule } from '@platform/service-kit';
import { RECIPIENT_VERIFICATION_CATEGORY } from './report-recipients/domain/recipient-verification.events';

/**
 * Notifications (F18): its own event store (billing and job notification profiles, address
 * verifications), inbox consumers of the customers, reporting and subscriptions topics, and the
 * relay that announces ReportRecipientVerified on notifications.events.v1.
 */
export const notificationsInfrastructure = ServiceInfrastructureModule.forService({
  service: 'notifications',
  relay: { producer: 'notifications', categories: [RECIPIENT_VERIFICATION_CATEGORY] },
});
