import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import type {
  BackendGroup,
  PoolFigures,
  PoolReport,
  PoolSample,
  PoolTargetFigures,
  ReplicaStatus,
} from '../../core/database/pool-monitor.types';
import type { WaitPercentiles } from '../../core/database/pool-stats';

/** The pool report (GET /api/admin/pool-metrics) for OpenAPI; each class implements its type. */

class PoolFiguresDto implements PoolFigures {
  @ApiProperty({ type: 'integer' }) max!: number;
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) idle!: number;
  @ApiProperty({ type: 'integer' }) inUse!: number;
  @ApiProperty({ type: 'integer', description: 'Callers queued for a connection' })
  waiting!: number;
  @ApiProperty({ description: 'inUse ÷ max' }) utilization!: number;
}

class PoolSampleDto extends PoolFiguresDto implements PoolSample {
  @ApiProperty() at!: string;
  @ApiProperty({ type: 'integer', description: 'Cumulative since start' }) acquisitions!: number;
  @ApiProperty({ type: 'integer' }) timeouts!: number;
  @ApiProperty() waitP95Ms!: number;
}

class WaitPercentilesDto implements WaitPercentiles {
  @ApiProperty() p50!: number;
  @ApiProperty() p95!: number;
  @ApiProperty() p99!: number;
  @ApiProperty() max!: number;
}

class PoolBudgetDto implements Readonly<PoolReport['budget']> {
  @ApiProperty({ type: 'integer' }) maxConnections!: number;
  @ApiProperty({ type: 'integer' }) reservedConnections!: number;
  @ApiProperty({ type: 'integer' }) poolProcesses!: number;
  @ApiProperty({ type: 'integer', description: '⌊(max − reserved) ÷ processes⌋' }) share!: number;
  @ApiProperty({ type: 'integer' }) poolMax!: number;
}

class PoolAcquireDto implements Readonly<PoolReport['acquire']> {
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ type: 'integer' }) timeoutMs!: number;
  @ApiProperty({ type: WaitPercentilesDto, description: 'Over the most recent acquisitions' })
  waitMs!: WaitPercentilesDto;
  @ApiProperty({ type: 'integer' }) timeouts!: number;
  @ApiProperty({ type: 'integer' }) slotTimeouts!: number;
  @ApiProperty({ type: 'integer' }) connectFailures!: number;
}

class PoolConnectionsDto implements Readonly<PoolReport['connections']> {
  @ApiProperty({ type: 'integer' }) dropped!: number;
  @ApiProperty({ type: 'integer' }) replaced!: number;
  @ApiProperty({ type: 'integer' }) retries!: number;
}

class PoolAlertDto implements Readonly<PoolReport['alert']> {
  @ApiProperty() threshold!: number;
  @ApiProperty({ type: 'integer' }) sustainMs!: number;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: String, nullable: true }) since!: string | null;
  @ApiProperty({ type: 'integer' }) raisedCount!: number;
}

class BackendGroupDto implements BackendGroup {
  @ApiProperty() applicationName!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ type: Number, nullable: true }) oldestIdleInTransactionSeconds!: number | null;
  @ApiProperty({ description: "This process's own application_name" }) self!: boolean;
}

type Available = Extract<PoolReport['server'], { available: true }>;
type Unavailable = Extract<PoolReport['server'], { available: false }>;

class ServerAvailableDto implements Available {
  @ApiProperty({ enum: [true] }) available!: true;
  @ApiProperty() at!: string;
  @ApiProperty({ type: 'integer' }) maxConnections!: number;
  @ApiProperty({ type: 'integer' }) superuserReservedConnections!: number;
  @ApiProperty({ type: 'integer', description: 'Client backends of the whole server' })
  clientBackends!: number;
  @ApiProperty({ type: [BackendGroupDto] }) backends!: BackendGroupDto[];
  @ApiProperty({ type: 'integer' }) ownBackends!: number;
  @ApiProperty({ type: Number, nullable: true }) oldestIdleInTransactionSeconds!: number | null;
}

class ServerUnavailableDto implements Unavailable {
  @ApiProperty({ enum: [false] }) available!: false;
  @ApiProperty() at!: string;
  @ApiProperty() error!: string;
}

class PoolHistoryDto implements Readonly<PoolReport['history']> {
  @ApiProperty({ type: 'integer' }) intervalMs!: number;
  @ApiProperty({ type: [PoolSampleDto] }) samples!: PoolSampleDto[];
}

class ReplicaStatusDto implements ReplicaStatus {
  @ApiProperty({ description: 'Answering, a standby, within DB_REPLICA_MAX_LAG_MS' })
  inRotation!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Time behind the primary' })
  lagMs!: number | null;
  @ApiProperty({ type: String, nullable: true }) replayLsn!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it is out of the rotation' })
  reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) checkedAt!: string | null;
  @ApiProperty({ type: 'integer' }) departures!: number;
  @ApiProperty({ type: 'integer', description: 'Reads it failed that the primary answered' })
  fallbacks!: number;
}

class PoolTargetDto implements PoolTargetFigures {
  @ApiProperty({ description: 'primary, replica-0, …' }) target!: string;
  @ApiProperty({ type: 'integer', description: '⌊(max − reserved) ÷ processes⌋ of its budget' })
  share!: number;
  @ApiProperty({ type: PoolFiguresDto }) pool!: PoolFiguresDto;
  @ApiProperty({ type: 'integer' }) acquisitions!: number;
  @ApiProperty({ type: 'integer' }) timeouts!: number;
  @ApiProperty({ type: 'integer' }) connectFailures!: number;
  @ApiProperty({ type: 'integer' }) dropped!: number;
  @ApiProperty({ type: 'integer' }) retries!: number;
  @ApiProperty({ type: WaitPercentilesDto }) waitMs!: WaitPercentilesDto;
  @ApiProperty({ type: ReplicaStatusDto, nullable: true }) replica!: ReplicaStatusDto | null;
}

@ApiExtraModels(ServerAvailableDto, ServerUnavailableDto)
export class PoolReportDto implements PoolReport {
  @ApiProperty() at!: string;
  @ApiProperty() applicationName!: string;
  @ApiProperty() usePgbouncer!: boolean;
  @ApiProperty({ type: PoolBudgetDto }) budget!: PoolBudgetDto;
  @ApiProperty({ type: PoolFiguresDto }) pool!: PoolFiguresDto;
  @ApiProperty({ type: PoolAcquireDto }) acquire!: PoolAcquireDto;
  @ApiProperty({ type: PoolConnectionsDto }) connections!: PoolConnectionsDto;
  @ApiProperty({ type: PoolAlertDto }) alert!: PoolAlertDto;
  @ApiProperty({
    oneOf: [
      { $ref: getSchemaPath(ServerAvailableDto) },
      { $ref: getSchemaPath(ServerUnavailableDto) },
    ],
    description: 'What PostgreSQL says (cached for a moment), or why it could not be asked',
  })
  server!: ServerAvailableDto | ServerUnavailableDto;
  @ApiProperty({ type: PoolHistoryDto }) history!: PoolHistoryDto;
  @ApiProperty({
    type: [PoolTargetDto],
    description: "Every server's pool, the primary first (the fields above are the primary's)",
  })
  targets!: PoolTargetDto[];
}
