import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import { ApiProblems } from '../../infrastructure/api-problems';
import { RevokeApiKeyHandler } from './revoke-api-key.handler';

@ApiTags('api-keys')
@Controller('api/v1/api-keys')
export class RevokeApiKeyHttpController {
  constructor(private readonly handler: RevokeApiKeyHandler) {}

  @Delete(':id')
  @HttpCode(204)
  @Roles('global-admin')
  @ApiOperation({ summary: 'Revoke an API key', description: 'Idempotent: revoking a revoked key answers 204 again.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems([403, 'AUTH.FORBIDDEN (global-admin only)'], [404, 'API_KEY.NOT_FOUND'])
  async revoke(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string): Promise<void> {
    await this.handler.execute({ actor, keyId: id });
  }
}
