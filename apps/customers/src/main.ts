import { runStandaloneService } from '@platform/service-kit';
import { CustomersModule } from './customers.module';

// /docs-json is served so the gateway can merge this service's operations into its own /docs.
void runStandaloneService('customers', CustomersModule, { openApi: true });
