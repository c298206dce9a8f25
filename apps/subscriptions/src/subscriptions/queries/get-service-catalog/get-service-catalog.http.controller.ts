import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SERVICE_CATALOG, type CatalogService } from '../../domain/service-catalog';

export class ProvisioningStepDefinitionDto {
  @ApiProperty({ example: 'connect-tenant' }) code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'A failed required step fails the service; a failed optional one leaves it partially completed' })
  required!: boolean;
}

export class CatalogServiceDto {
  @ApiProperty({ example: 'cloud-backup-m365' }) code!: string;
  @ApiProperty({ example: 'Cloud Backup for Microsoft 365' }) name!: string;
  @ApiProperty({ enum: ['cloud-backup', 'policies', 'risk-insights'] }) product!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: ['seats', 'storage', 'seats-and-storage'] }) licenceModel!: string;
  @ApiProperty({ enum: ['seats', 'storage-gb'], isArray: true, description: 'Units a subscription may count in; the first is the default' })
  units!: string[];
  @ApiProperty({ description: 'A subscription of it may be pooled' }) poolable!: boolean;
  @ApiProperty({ example: 30 }) maxTrialDays!: number;
  @ApiProperty({ type: [ProvisioningStepDefinitionDto], description: 'What starting the service provisions (F12), in order' })
  provisioning!: ProvisioningStepDefinitionDto[];
}

export class ServiceCatalogDto {
  @ApiProperty({ type: [CatalogServiceDto] }) items!: CatalogServiceDto[];
}

const toDto = (s: CatalogService): CatalogServiceDto => ({ ...s, units: [...s.units], provisioning: s.provisioning.map((p) => ({ ...p })) });

@ApiTags('subscriptions')
@Controller('api/v1/service-catalog')
export class GetServiceCatalogHttpController {
  @Get()
  @ApiOperation({ summary: 'The service catalogue: licence model, pooling and what starting provisions (F10)' })
  @ApiOkResponse({ type: ServiceCatalogDto })
  catalog(): ServiceCatalogDto {
    return { items: SERVICE_CATALOG.map(toDto) };
  }
}
