import type { DynamicModule } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/config.schema';
import { pooledDataSourceOptions } from './data-source.options';
import { Concurrency } from './concurrency.service';
import { Db } from './db.service';
import { PoolStats } from './pool-stats';

/** Where this process's pool points and how large it may grow (decided before the app is built). */
export interface DatabaseRuntime {
  url: string;
  poolMax: number;
}

export const DATABASE_RUNTIME = Symbol('DATABASE_RUNTIME');

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(cfg: AppConfig, runtime: DatabaseRuntime): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...pooledDataSourceOptions(cfg, runtime.url, runtime.poolMax),
          autoLoadEntities: true,
          // Start-up fails fast with a clear message instead of TypeORM's silent retries.
          retryAttempts: 0,
        }),
      ],
      providers: [PoolStats, Db, Concurrency, { provide: DATABASE_RUNTIME, useValue: runtime }],
      exports: [Db, PoolStats, Concurrency, DATABASE_RUNTIME],
    };
  }
}
