import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './core/auth/auth.module';
import { RedisModule } from './core/cache/redis.module';
import type { AppConfig } from './core/config/config.schema';
import { ConfigModule } from './core/config/config.module';
import { ContextModule } from './core/context/context.module';
import type { DatabaseRuntime } from './core/database/database.runtime';
import { DatabaseModule } from './core/database/database.module';
import { PoolMonitorModule } from './core/database/pool-monitor.module';
import { GridModule } from './core/grid/grid.module';
import { HealthModule } from './core/health/health.module';
import { AllExceptionsFilter } from './core/http/all-exceptions.filter';
import { ObservabilityModule } from './core/observability/observability.module';
import { AdminModule } from './modules/admin/admin.module';
import { AuditModule } from './modules/audit/audit.module';
import { BatchProcessingModule } from './modules/batch-processing/batch-processing.module';
import { BatchModule } from './modules/batch/batch.module';
import { DocumentModule } from './modules/document/document.module';
import { DocumentValueCountsModule } from './modules/document/document-value-counts.module';
import { DocumentTypeModule } from './modules/document-type/document-type.module';
import { FolderModule } from './modules/folder/folder.module';
import { MailModule } from './modules/mail/mail.module';
import { OrganizationModule } from './modules/organization/organization.module';
import { PermissionModule } from './modules/permission/permission.module';
import { RoleModule } from './modules/permission/role/role.module';
import { ResourceModule } from './modules/resource/resource.module';
import { UserModule } from './modules/user/user.module';

/**
 * The application for a role (APP_ROLE): `api` serves HTTP and processes
 * nothing; `worker` runs the queue processors, the sweeper and heartbeats and
 * serves nothing but health; `all` does both.
 */
@Module({})
export class AppModule {
  static forRoot(cfg: AppConfig, db: DatabaseRuntime): DynamicModule {
    const api =
      cfg.role === 'worker'
        ? []
        : [
            AuthModule,
            PermissionModule,
            AdminModule,
            GridModule,
            ResourceModule,
            AuditModule,
            OrganizationModule,
            FolderModule,
            DocumentTypeModule,
            DocumentModule,
            MailModule,
            BatchModule,
            UserModule,
            RoleModule,
          ];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(cfg),
        ContextModule,
        DatabaseModule.forRoot(cfg, db),
        RedisModule,
        ObservabilityModule.forRoot(cfg),
        PoolMonitorModule,
        HealthModule,
        ...api,
        BatchProcessingModule.forRole(cfg.role),
        ...(cfg.role === 'api' ? [] : [DocumentValueCountsModule]),
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
