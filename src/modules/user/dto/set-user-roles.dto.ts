import { ApiProperty } from '@nestjs/swagger';
import { IdArrayField } from '../../../core/http/fields';

export class SetUserRolesDto {
  @ApiProperty({
    type: [Number],
    maxItems: 100,
    description: "The user's roles from now on (replaces the current set); same organization",
  })
  @IdArrayField({ maxItems: 100 })
  roleIds!: number[];
}
