import { ApiProperty } from '@nestjs/swagger';
import type { RoleRef } from '../user.repository';

export class RoleRefDto implements RoleRef {
  @ApiProperty({ type: 'integer' }) id!: number;
  @ApiProperty() name!: string;
}

/** What a user item adds to its grid row (UserService.get). */
export class UserDetailsDto {
  @ApiProperty({ type: [RoleRefDto], description: 'The roles the user is a member of, by name' })
  memberships!: RoleRefDto[];
}
