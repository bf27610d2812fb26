import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Requires } from '../permission/policy.decorator';
import { SIGNED_IN } from '../permission/resource';
import { MeDto } from './dto/me.dto';
import { UserService } from './user.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly users: UserService) {}

  @Get()
  @Requires(SIGNED_IN)
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
