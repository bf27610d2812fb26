import { ApiProperty } from '@nestjs/swagger';
import { ACTIONS, ENTITY_TYPES } from '../../permission.types';
import type { Action } from '../../permission.types';
import { MEMBERS_SHOWN } from '../role.repository';
import type { RoleDetails } from '../role.repository';

type FolderGrant = RoleDetails['folder_grants'][number];
type Member = RoleDetails['members'][number];

export class FolderGrantViewDto implements FolderGrant {
  @ApiProperty({ type: 'integer' }) folderId!: number;
  @ApiProperty() folderName!: string;
  @ApiProperty({ enum: ACTIONS, isArray: true }) actions!: Action[];
}

export class RoleMemberDto implements Member {
  @ApiProperty({ type: 'integer' }) id!: number;
  @ApiProperty() displayName!: string;
}

export class RoleGrantsViewDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string', enum: [...ACTIONS] } },
    description: 'Entity type → the actions the role may do on it',
  })
  entityActions!: Record<string, string[]>;
  @ApiProperty({ enum: ENTITY_TYPES, isArray: true, description: 'Grids (tabs) the role opens' })
  tabs!: string[];
  @ApiProperty({ type: [FolderGrantViewDto] }) folderGrants!: FolderGrantViewDto[];
}

/** What a role item adds to its grid row (RoleService.get). */
export class RoleDetailsDto {
  @ApiProperty({ type: RoleGrantsViewDto }) grants!: RoleGrantsViewDto;
  @ApiProperty({ type: [RoleMemberDto], description: `Up to ${MEMBERS_SHOWN} members, by name` })
  members!: RoleMemberDto[];
}
