import { Body, Controller, Put, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { ApiProblems } from '../../../customers/infrastructure/customer-response';
import { LOG_POSITION_DOC, setLogPosition } from '../../../infrastructure/log-position';
import { SaveColumnPreferencesRequest, SavedColumnPreferencesResponse } from './save-column-preferences.request';
import { SaveColumnPreferencesHandler } from './save-column-preferences.handler';

/** F9: the calling user's customer-list columns (read back with `GET /api/v1/me/preferences`). */
@ApiTags('me')
@Controller('api/v1/me')
export class SaveColumnPreferencesHttpController {
  constructor(private readonly preferences: SaveColumnPreferencesHandler) {}

  @Put('preferences')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Save which customer-list columns you see, in order (F9)' })
  @ApiOkResponse({ type: SavedColumnPreferencesResponse, headers: LOG_POSITION_DOC })
  @ApiProblems([400, 'REQUEST.INVALID / PREFERENCES.INVALID: unknown, repeated or no columns'], [403, 'AUTH.FORBIDDEN'])
  async save(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: SaveColumnPreferencesRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SavedColumnPreferencesResponse> {
    const saved = await this.preferences.execute(actor, body.columns);
    setLogPosition(res, saved.position);
    return { columns: saved.columns, saved: true, savedAt: saved.savedAt };
  }
}
