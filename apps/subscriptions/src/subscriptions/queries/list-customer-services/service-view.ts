import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { catalogService } from '../../domain/service-catalog';
import type { SubscriptionState } from '../../domain/subscription.decider';

export class ProvisioningStepView {
  @ApiProperty({ example: 'connect-tenant' }) code!: string;
  @ApiProperty() required!: boolean;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: string;
  @ApiPropertyOptional({ example: 'PROVISIONING.NOTHING_DISCOVERED' }) errorCode?: string;
}

export class ProvisioningView {
  @ApiProperty({ enum: ['not-started', 'in-progress', 'started', 'partially-completed', 'failed'] }) state!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) provisioningId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'PROVISIONING.CUSTOMER_MANAGED' }) errorCode!: string | null;
  @ApiProperty({ type: [ProvisioningStepView] }) steps!: ProvisioningStepView[];
}

/** One subscription of a customer with its service's provisioning (F10–F12). */
export class ServiceView {
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ example: 'cloud-backup-m365' }) serviceCode!: string;
  @ApiProperty({ example: 'Cloud Backup for Microsoft 365' }) serviceName!: string;
  @ApiProperty({ enum: ['trial', 'paid'] }) plan!: string;
  @ApiProperty({ example: 250 }) quantity!: number;
  @ApiProperty({ enum: ['seats', 'storage-gb'] }) unit!: string;
  @ApiProperty({ format: 'date-time' }) termStartsAt!: string;
  @ApiProperty({ format: 'date-time' }) termEndsAt!: string;
  @ApiProperty() pooled!: boolean;
  @ApiProperty() autoRenew!: boolean;
  @ApiProperty({ enum: ['active', 'expired'] }) status!: string;
  @ApiProperty({ type: ProvisioningView }) provisioning!: ProvisioningView;
  @ApiProperty({ description: 'Stream version; the ETag of the subscription is W/"<version>"' }) version!: number;
}

export class CustomerServicesView {
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty({ description: 'Expired services are hidden from this list (F11)' }) expiredHidden!: boolean;
  @ApiProperty({ type: [ServiceView] }) items!: ServiceView[];
}

export function toServiceView(state: SubscriptionState, version: number): ServiceView {
  const s = state.subscription!;
  return {
    subscriptionId: s.subscriptionId,
    serviceCode: s.serviceCode,
    serviceName: catalogService(s.serviceCode)?.name ?? s.serviceCode,
    plan: s.plan,
    quantity: s.quantity,
    unit: s.unit,
    termStartsAt: s.termStartsAt,
    termEndsAt: s.termEndsAt,
    pooled: s.pooled,
    autoRenew: s.autoRenew,
    status: state.status,
    provisioning: {
      state: state.provisioning.state,
      provisioningId: state.provisioning.provisioningId,
      errorCode: state.provisioning.errorCode,
      steps: state.provisioning.steps.map((st) => ({
        code: st.code,
        required: st.required,
        status: st.status,
        ...(st.errorCode ? { errorCode: st.errorCode } : {}),
      })),
    },
    version,
  };
}
