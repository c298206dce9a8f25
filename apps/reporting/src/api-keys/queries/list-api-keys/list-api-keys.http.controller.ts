import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import { ApiKeyDto } from '../../commands/create-api-key/create-api-key.request';
import { ApiProblems } from '../../infrastructure/api-problems';
import { ListApiKeysQuery } from './list-api-keys.query';

class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items!: ApiKeyDto[];
}

@ApiTags('api-keys')
@Controller('api/v1/api-keys')
export class ListApiKeysHttpController {
  constructor(private readonly query: ListApiKeysQuery) {}

  @Get()
  @Roles('global-admin')
  @ApiOperation({ summary: 'List the partner’s API keys (never their secrets)' })
  @ApiOkResponse({ type: ApiKeyListDto })
  @ApiProblems([403, 'AUTH.FORBIDDEN (global-admin only)'])
  async list(@CurrentActor() actor: AuthenticatedActor): Promise<ApiKeyListDto> {
    return { items: await this.query.execute(actor.partnerId) };
  }
}
