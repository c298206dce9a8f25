import { runStandaloneService } from '@platform/service-kit';
import { SubscriptionsModule } from './subscriptions.module';

void runStandaloneService('subscriptions', SubscriptionsModule);
