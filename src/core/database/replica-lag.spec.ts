import { lagBehind, parseLsn } from './replica-router.service';

describe('replica lag and positions', () => {
  it('reads pg_lsn text as one number, ordered as PostgreSQL orders it', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('0/1A')).toBe(26n);
    expect(parseLsn('1/0')).toBe(4_294_967_296n);
    expect(parseLsn('2/FF') > parseLsn('1/FFFFFFFF')).toBe(true);
  });

  const samples = [
    { at: 1_000, lsn: 100n },
    { at: 2_000, lsn: 200n },
    { at: 3_000, lsn: 300n },
  ];

  it('is 0 for a replica that replayed every position seen, however long the primary was idle', () => {
    expect(lagBehind(samples, 300n, 60_000)).toBe(0);
    expect(lagBehind(samples, 350n, 60_000)).toBe(0);
  });

  it('counts from when the primary first stood past the replay position', () => {
    expect(lagBehind(samples, 250n, 3_500)).toBe(500);
    expect(lagBehind(samples, 150n, 3_500)).toBe(1_500);
    expect(lagBehind(samples, 50n, 3_500)).toBe(2_500);
  });

  it('is unknown before the primary was seen', () => {
    expect(lagBehind([], 50n, 3_500)).toBeUndefined();
  });
});
