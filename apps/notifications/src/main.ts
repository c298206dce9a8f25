import { runStandaloneService } from '@platform/service-kit';
import { NotificationsModule } from './notifications.module';

void runStandaloneService('notifications', NotificationsModule);
