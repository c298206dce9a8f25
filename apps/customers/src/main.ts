import { runStandaloneService } from '@platform/service-kit';
import { CustomersModule } from './customers.module';

void runStandaloneService('customers', CustomersModule);
