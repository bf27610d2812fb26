import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { QueueModule } from '../queue/queue.module';
import { HealthChecks } from './health-checks.service';
import { HealthController } from './health.controller';
import { HealthPrometheus } from './health-prometheus';
import { HealthState } from './health-state';
import { LivenessThread } from './liveness-thread';
import { SystemMonitor } from './system-monitor';

@Module({
  imports: [TerminusModule.forRoot({ gracefulShutdownTimeoutMs: 0, logger: false }), QueueModule],
  controllers: [HealthController],
  providers: [HealthChecks, HealthState, SystemMonitor, HealthPrometheus, LivenessThread],
  exports: [HealthChecks, HealthState, LivenessThread],
})
export class HealthModule {}
