import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { RedisModule } from '../core/cache/redis.module';
import type { AppConfig } from '../core/config/config.schema';
import { ConfigModule } from '../core/config/config.module';
import { ContextModule } from '../core/context/context.module';
import type { DatabaseRuntime } from '../core/database/database.runtime';
import { DatabaseModule } from '../core/database/database.module';
import { GridModule } from '../core/grid/grid.module';
import { PermissionModule } from '../modules/permission/permission.module';

/**
 * What `npm run explain` needs to build grid SQL exactly as the API does (the
 * grid engine and the permission scope behind it), and nothing else: no HTTP,
 * no queues, no workers.
 */
@Module({})
export class ExplainModule {
  static forRoot(cfg: AppConfig, db: DatabaseRuntime): DynamicModule {
    return {
      module: ExplainModule,
      imports: [
        ConfigModule.forRoot(cfg),
        ContextModule,
        DatabaseModule.forRoot(cfg, db),
        RedisModule,
        PermissionModule,
        GridModule,
      ],
    };
  }
}
