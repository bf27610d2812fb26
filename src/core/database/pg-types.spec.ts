import { UtcClient } from './pg-client';
import { pgTypes, timestampToJson, timestamptzToJson } from './pg-types';

describe('timestamps as the API writes them', () => {
  it.each([
    ['2026-12-07 10:17:03.019692+00', '2026-12-07T10:17:03.019Z'],
    ['2026-12-07 10:17:03.019+00', '2026-12-07T10:17:03.019Z'],
    ['2026-12-07 10:17:03.01+00', '2026-12-07T10:17:03.010Z'],
    ['2026-12-07 10:17:03.5+00', '2026-12-07T10:17:03.500Z'],
    ['2026-12-07 10:17:03+00', '2026-12-07T10:17:03.000Z'],
    ['2026-12-07 10:17:03.999999+00', '2026-12-07T10:17:03.999Z'], // truncated, like date_trunc
  ])('UTC session: %s → %s (string slices)', (pg, json) => {
    expect(timestamptzToJson(pg)).toBe(json);
  });

  it.each([
    ['2026-12-07 11:17:03.019692+01', '2026-12-07T10:17:03.019Z'],
    ['2026-12-07 05:17:03.5-05', '2026-12-07T10:17:03.500Z'],
    ['2026-12-07 15:47:03+05:30', '2026-12-07T10:17:03.000Z'],
    ['2027-01-01 00:30:00.25+01', '2026-12-31T23:30:00.250Z'],
    ['1890-06-01 00:00:00+00:53:28', '1890-05-31T23:06:32.000Z'],
  ])('any other offset: %s → %s', (pg, json) => {
    expect(timestamptzToJson(pg)).toBe(json);
  });

  it('leaves what no RFC 3339 UTC time can say as PostgreSQL wrote it', () => {
    expect(timestamptzToJson('infinity')).toBe('infinity');
    expect(timestamptzToJson('-infinity')).toBe('-infinity');
    expect(timestamptzToJson('0044-03-15 12:00:00+00 BC')).toBe('0044-03-15 12:00:00+00 BC');
  });

  it('reads a timestamp without time zone as UTC', () => {
    expect(timestampToJson('2026-12-07 10:17:03.019692')).toBe('2026-12-07T10:17:03.019Z');
  });

  it('is the parser of timestamptz, timestamp and date (text format)', () => {
    expect(pgTypes.getTypeParser(1184)('2026-12-07 10:17:03.019692+00')).toBe(
      '2026-12-07T10:17:03.019Z',
    );
    expect(pgTypes.getTypeParser(1114)('2026-12-07 10:17:03')).toBe('2026-12-07T10:17:03.000Z');
    expect(pgTypes.getTypeParser(1082)('2026-12-07')).toBe('2026-12-07');
  });
});

describe('UtcClient', () => {
  it('puts TimeZone UTC into the startup packet beside what node-postgres sends', () => {
    const c = new UtcClient({ user: 'u', database: 'd', application_name: 'app' });
    const conf = (c as unknown as { getStartupConf(): Record<string, string> }).getStartupConf();
    expect(conf).toEqual({ user: 'u', database: 'd', application_name: 'app', TimeZone: 'UTC' });
  });
});
