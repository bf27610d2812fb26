import { Module } from '@nestjs/common';
import { PoolPrometheus } from './pool-prometheus';

/**
 * The pool figures in /metrics, for every role (a worker serves /metrics on its
 * health port). Apart from DatabaseModule because it needs the Prometheus
 * registry, which a process without HTTP (the explain CLI) does not load. The
 * admin hub's pool report is the admin module's.
 */
@Module({
  providers: [PoolPrometheus],
})
export class PoolMonitorModule {}
