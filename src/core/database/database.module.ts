import type { DynamicModule } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Pool } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { AppConfig } from '../config/config.schema';
import { pooledDataSourceOptions } from './data-source.options';
import { Concurrency } from './concurrency.service';
import type { DatabaseRuntime } from './database.runtime';
import { DATABASE_RUNTIME } from './database.runtime';
import { Db } from './db.service';
import { PoolMonitor } from './pool-monitor.service';
import { PoolStats } from './pool-stats';
import { ReplicaRouter } from './replica-router.service';

/**
 * A data source whose pool exists but never connects (pg opens connections on
 * the first query): the application can be built to describe itself.
 */
function unopenedDataSource(options: DataSourceOptions | undefined): DataSource {
  if (!options) throw new Error('no data source options');
  const dataSource = new DataSource(options);
  (dataSource.driver as PostgresDriver).master = new Pool({ max: 1 });
  return dataSource;
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(cfg: AppConfig, runtime: DatabaseRuntime): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        runtime.connect === false
          ? TypeOrmModule.forRootAsync({
              useFactory: () => ({
                ...pooledDataSourceOptions(cfg, runtime.url, runtime.poolMax),
                autoLoadEntities: true,
                manualInitialization: true,
              }),
              dataSourceFactory: async (options) => unopenedDataSource(options),
            })
          : TypeOrmModule.forRoot({
              ...pooledDataSourceOptions(cfg, runtime.url, runtime.poolMax),
              autoLoadEntities: true,
              // Start-up fails fast with a clear message instead of TypeORM's silent retries.
              retryAttempts: 0,
            }),
      ],
      providers: [
        PoolStats,
        Db,
        Concurrency,
        PoolMonitor,
        ReplicaRouter,
        { provide: DATABASE_RUNTIME, useValue: runtime },
      ],
      exports: [Db, PoolStats, Concurrency, PoolMonitor, ReplicaRouter, DATABASE_RUNTIME],
    };
  }
}
