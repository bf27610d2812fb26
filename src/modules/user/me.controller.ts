import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MeDto } from './dto/me.dto';
import { UserService } from './user.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly users: UserService) {}

  @Get()
  @ApiOperation({
    summary: 'The signed-in user: organization, roles, tabs, admin hub, actions per entity type',
  })
  @ApiOkResponse({ type: MeDto })
  @ApiResponse({
    status: 401,
    description: 'AUTH_TOKEN_MISSING / INVALID / EXPIRED / STALE, AUTH_ACCOUNT_DISABLED',
  })
  me(): Promise<MeDto> {
    return this.users.me();
  }
}
