import { ApiProperty } from '@nestjs/swagger';
import { ACTIONS, ENTITY_TYPES } from '../../permission/permission.types';

export class MeUserDto {
  @ApiProperty() id!: number;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() isPlatformAdmin!: boolean;
  @ApiProperty() isOrgAdmin!: boolean;
}

export class MeOrganizationDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
}

export class MeRoleDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
}

export class MeDto {
  @ApiProperty({ type: MeUserDto }) user!: MeUserDto;
  @ApiProperty({
    type: MeOrganizationDto,
    nullable: true,
    description: 'null for platform admins',
  })
  organization!: MeOrganizationDto | null;
  @ApiProperty({ type: [MeRoleDto] }) roles!: MeRoleDto[];
  @ApiProperty({ enum: ENTITY_TYPES, isArray: true, description: 'Grids the user may open' })
  tabs!: string[];
  @ApiProperty() adminHub!: boolean;
  @ApiProperty({
    description: `Entity type → granted actions (${ACTIONS.join(', ')})`,
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string', enum: [...ACTIONS] } },
    example: { document: ['view', 'create'], folder: ['view'] },
  })
  actions!: Record<string, string[]>;
  @ApiProperty({
    type: 'array',
    items: { type: 'integer' },
    nullable: true,
    description:
      'Folders whose contents the user may see (grants flow down; system folders for all); null = every folder',
  })
  viewFolderIds!: number[] | null;
  @ApiProperty({ description: "The organization's permission version this was evaluated at" })
  permissionVersion!: number;
}
