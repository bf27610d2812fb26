import { Global, Module } from '@nestjs/common';
import { GRID_SCOPE } from '../../core/grid/grid-scope';
import { PermissionScope } from './permission-scope.service';
import { PermissionRepository } from './permission.repository';
import { PermissionService } from './permission.service';

@Global()
@Module({
  providers: [
    PermissionRepository,
    PermissionService,
    PermissionScope,
    { provide: GRID_SCOPE, useExisting: PermissionScope },
  ],
  exports: [PermissionService, PermissionScope, GRID_SCOPE],
})
export class PermissionModule {}
