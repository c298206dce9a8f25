import { runStandaloneService } from '@platform/service-kit';
import { ReportingModule } from './reporting.module';

void runStandaloneService('reporting', ReportingModule);
