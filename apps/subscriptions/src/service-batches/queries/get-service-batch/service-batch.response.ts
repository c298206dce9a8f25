import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { batchCounts, type ServiceBatch } from '../../domain/service-batch.decider';
import { CUSTOMER_OUTCOMES } from '../../domain/service-batch.events';

export class ServiceBatchChangesResponse {
  @ApiPropertyOptional({ example: 300 }) quantity?: number;
  @ApiPropertyOptional({ format: 'date-time' }) termEndsAt?: string;
  @ApiPropertyOptional() autoRenew?: boolean;
}

export class ServiceBatchProgressResponse {
  @ApiProperty({ description: 'Customers in the batch', example: 20 }) total!: number;
  @ApiProperty({ description: 'Customers with a result in the current attempt (or before it)', example: 12 }) done!: number;
  @ApiProperty({ description: 'Customers still waiting for their result', example: 8 }) pending!: number;
  @ApiProperty({ example: 10 }) succeeded!: number;
  @ApiProperty({ example: 1 }) failed!: number;
  @ApiProperty({ example: 1 }) skipped!: number;
}

export class ServiceBatchCustomerResultResponse {
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The customer’s organisation (null when unknown or not the partner’s)' })
  organizationName!: string | null;
  @ApiProperty({ enum: ['pending', ...CUSTOMER_OUTCOMES] }) outcome!: 'pending' | (typeof CUSTOMER_OUTCOMES)[number];
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'SUBSCRIPTION.NOT_FOUND',
    description:
      'Why it failed or was skipped: CUSTOMER.NOT_FOUND (unknown or another partner’s), CUSTOMER.NOT_ACTIVE, CUSTOMER.CUSTOMER_MANAGED, ' +
      'SUBSCRIPTION.NOT_FOUND (no pooled subscription of the service), SUBSCRIPTION.EXPIRED, SUBSCRIPTION.INVALID_CHANGE, ' +
      'SUBSCRIPTION.NO_CHANGE (skipped), SERVICE_BATCH.EDIT_ERROR',
  })
  reason!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) subscriptionId!: string | null;
  @ApiProperty({ description: 'Results recorded for this customer (more than 1 after retries)' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When its last result was recorded' }) updatedAt!: string | null;
}

export class ServiceBatchResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['running', 'completed'] }) state!: 'running' | 'completed';
  @ApiProperty({ example: 'cloud-backup-m365' }) serviceCode!: string;
  @ApiProperty({ type: ServiceBatchChangesResponse }) changes!: ServiceBatchChangesResponse;
  @ApiProperty({ description: '1, then 2, 3… after retries of the failed customers' }) attempt!: number;
  @ApiProperty({ type: ServiceBatchProgressResponse }) progress!: ServiceBatchProgressResponse;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) startedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'User id of who started it' }) startedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) completedAt!: string | null;
  @ApiProperty({ type: [ServiceBatchCustomerResultResponse], description: 'One line per customer, in request order' })
  results!: ServiceBatchCustomerResultResponse[];
}

export function toServiceBatchResponse(batchId: string, batch: ServiceBatch, names: ReadonlyMap<string, string> = new Map()): ServiceBatchResponse {
  return {
    id: batchId,
    state: batch.status,
    serviceCode: batch.serviceCode,
    changes: batch.changes,
    attempt: batch.attempt,
    progress: batchCounts(batch),
    startedAt: batch.startedAt,
    startedBy: batch.startedBy,
    completedAt: batch.completedAt,
    results: batch.customerIds.map((customerId) => {
      const r = batch.results[customerId];
      return {
        customerId,
        organizationName: names.get(customerId) ?? null,
        outcome: r.outcome,         reason: r.reason,
        subscriptionId: r.subscriptionId,
        attempts: r.attempts,
        updatedAt: r.at,
      };
    }),
  };
}
