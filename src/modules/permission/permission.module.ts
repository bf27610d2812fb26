import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PermissionRepository } from './permission.repository';
import { PermissionService } from './permission.service';
import { PolicyEvaluator } from './policy-evaluator.service';
import { PolicyGuard } from './policy.guard';

@Global()
@Module({
  providers: [
    PermissionRepository,
    PermissionService,
    PolicyEvaluator,
    { provide: APP_GUARD, useClass: PolicyGuard },
  ],
  exports: [PermissionService, PolicyEvaluator],
})
export class PermissionModule {}
