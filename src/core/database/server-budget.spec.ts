import { ConfigError, loadConfig } from '../config/config.schema';
import type { ServerLimits } from './server-budget';
import { checkBudgetAgainstServer, grantableConnections } from './server-budget';

const db = (max: number) =>
  loadConfig({ NODE_ENV: 'test', DB_MAX_CONNECTIONS: String(max), DB_RESERVED_CONNECTIONS: '0' })
    .db;
const server: ServerLimits = {
  maxConnections: 100,
  superuserReservedConnections: 3,
  reservedConnections: 0,
  roleConnectionLimit: null,
  databaseConnectionLimit: null,
};

describe('checkBudgetAgainstServer', () => {
  it('accepts a budget up to what ordinary roles may open', () => {
    expect(grantableConnections(server)).toBe(97);
    expect(() => checkBudgetAgainstServer(db(97), server)).not.toThrow();
  });

  it('refuses more, naming every number and what to change', () => {
    let error: unknown;
    try {
      checkBudgetAgainstServer(db(103), server);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('DB_MAX_CONNECTIONS: got 103');
    expect(message).toContain('at most 97 connection(s)');
    expect(message).toContain('max_connections (100) − superuser_reserved_connections (3) = 97');
    expect(message).toContain('Lower DB_MAX_CONNECTIONS to 97 or less');
    expect(message).toContain('USE_PGBOUNCER=true');
  });

  it("counts PostgreSQL 16's reserved_connections and the role's connection limit", () => {
    const s = { ...server, reservedConnections: 5, roleConnectionLimit: 40 };
    expect(grantableConnections(s)).toBe(40);
    expect(() => checkBudgetAgainstServer(db(41), s)).toThrow(
      /reserved_connections \(5\) = 92, lowered to 40 by the role's CONNECTION LIMIT/,
    );
  });
});
