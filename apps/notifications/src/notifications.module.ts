import { Module } from '@nestjs/common';
import { ServiceInfrastructureModule } from '@platform/service-kit';

/**
 * Notifications (F18): its own event store and inbox; the email consumers of the other
 * services' topics join `consumers` with their handlers.
 */
export const notificationsInfrastructure = ServiceInfrastructureModule.forService({
  service: 'notifications',
});

@Module({
  imports: [notificationsInfrastructure],
  exports: [notificationsInfrastructure],
})
export class NotificationsModule {}
