import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import { ApiProblems } from '../../infrastructure/api-problems';
import { CreateApiKeyHandler } from './create-api-key.handler';
import { CreateApiKeyRequest, CreatedApiKeyDto } from './create-api-key.request';

@ApiTags('api-keys')
@Controller('api/v1/api-keys')
export class CreateApiKeyHttpController {
  constructor(private readonly handler: CreateApiKeyHandler) {}

  @Post()
  @HttpCode(201)
  @Roles('global-admin')
  @ApiOperation({
    summary: 'Create an API key for product environments (telemetry)',
    description: 'The key is in this answer only; the service keeps a SHA-256 hash of it.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems([400, 'REQUEST.INVALID with the failing fields'], [403, 'AUTH.FORBIDDEN (global-admin only)'])
  create(@CurrentActor() actor: AuthenticatedActor, @Body() body: CreateApiKeyRequest): Promise<CreatedApiKeyDto> {
    return this.handler.execute({ actor, name: body.name });
  }
}
