import { ConfigError, defaultLoginMaxInFlight, loadConfig, redact } from './config.schema';

describe('loadConfig', () => {
  it('gives working development defaults for an empty environment', () => {
    const cfg = loadConfig({});
    expect(cfg.nodeEnv).toBe('development');
    expect(cfg.role).toBe('all');
    expect(cfg.db.url).toBeUndefined();
    expect(cfg.log.requestLogging).toBe(true);
    expect(cfg.redis.url).toBe('redis://127.0.0.1:6379');
  });

  it('turns logging and monitoring off by default in production', () => {
    const cfg = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db/postroom',
      JWT_SECRET: 'x'.repeat(40),
    });
    expect(cfg.log).toMatchObject({ requestLogging: false, fileLogging: false, format: 'json' });
    expect(cfg.monitoring).toMatchObject({ performance: false, metricsMode: 'off' });
    expect(cfg.tracing).toMatchObject({ enabled: false, sampleRatio: 0.1 });
    expect(cfg.db.migrateOnStart).toBe(false);
  });

  it('reads tracing and per-route slow thresholds', () => {
    const cfg = loadConfig({
      TRACING: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_SERVICE_NAME: 'postroom-eu',
      OTEL_TRACES_SAMPLER_ARG: '0.01',
      REQUEST_METRICS_SLOW_ROUTES: 'POST /api/batches=2000, /api/documents/:id=200',
      REQUEST_METRICS_MAX_PER_SECOND: '5',
    });
    expect(cfg.tracing).toEqual({
      enabled: true,
      endpoint: 'http://collector:4318',
      serviceName: 'postroom-eu',
      sampleRatio: 0.01,
    });
    expect(cfg.monitoring.slowRouteThresholdsMs).toEqual({
      'POST /api/batches': 2000,
      '/api/documents/:id': 200,
    });
    expect(cfg.monitoring.maxPerSecond).toBe(5);
    expect(() => loadConfig({ REQUEST_METRICS_SLOW_ROUTES: 'documents=fast' })).toThrow(
      'REQUEST_METRICS_SLOW_ROUTES: got "documents=fast"',
    );
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      'OTEL_TRACES_SAMPLER_ARG: got "2", accepts a number 0..1',
    );
  });

  it('names each bad variable, what it got and what it accepts, in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        USE_PGBOUNCER: 'maybe',
        APP_ROLE: 'web',
        DATABASE_URL: 'mysql://x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT: got "eighty", accepts an integer 0..65535');
    expect(message).toContain('USE_PGBOUNCER: got "maybe", accepts true or false');
    expect(message).toContain('APP_ROLE: got "web", accepts one of api, worker, all');
    expect(message).toContain('DATABASE_URL: got "mysql://x"');
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('requires a database URL and a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL: got nothing[\s\S]*JWT_SECRET: got nothing/,
    );
  });

  it('gives sign-ins a small lane of their own that leaves a core and threadpool threads free', () => {
    expect([1, 2, 3, 4, 16].map((cores) => defaultLoginMaxInFlight(cores))).toEqual([
      1, 1, 2, 3, 3,
    ]);
    expect(loadConfig({}).http).toMatchObject({
      loginMaxInFlight: defaultLoginMaxInFlight(),
      loginQueueTimeoutMs: 2000,
    });
    expect(
      loadConfig({ LOGIN_MAX_IN_FLIGHT: '6', LOGIN_QUEUE_TIMEOUT_MS: '500' }).http,
    ).toMatchObject({ loginMaxInFlight: 6, loginQueueTimeoutMs: 500 });
    expect(() => loadConfig({ LOGIN_MAX_IN_FLIGHT: '0', LOGIN_QUEUE_TIMEOUT_MS: 'soon' })).toThrow(
      /LOGIN_MAX_IN_FLIGHT: got "0", accepts an integer 1..1000[\s\S]*LOGIN_QUEUE_TIMEOUT_MS: got "soon"/,
    );
  });

  it('never prints a password from a connection URL', () => {
    expect(redact('postgres://app:s3cret@db:5432/postroom')).toBe(
      'postgres://app:***@db:5432/postroom',
    );
  });
});
