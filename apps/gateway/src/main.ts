import { runStandaloneService } from '@platform/service-kit';
import { GatewayModule } from './gateway.module';

void runStandaloneService('gateway', GatewayModule, { openApi: true });
