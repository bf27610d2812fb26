import { UtilizationAlert } from './utilization-alert';

describe('UtilizationAlert', () => {
  it('is raised once after utilization stayed high for the sustain time, and recovers once', () => {
    const a = new UtilizationAlert(0.9, 30_000);
    expect(a.observe(0.95, 0)).toBeNull();
    expect(a.observe(1, 10_000)).toBeNull();
    expect(a.observe(0.9, 29_999)).toBeNull();
    expect(a.observe(0.92, 30_000)).toBe('raised');
    expect(a.observe(1, 40_000)).toBeNull();
    expect(a).toMatchObject({ active: true, raisedAt: 30_000, raisedCount: 1 });
    expect(a.observe(0.5, 41_000)).toBe('recovered');
    expect(a.observe(0.4, 42_000)).toBeNull();
    expect(a.active).toBe(false);
  });

  it('starts the sustain time again when utilization dips in between', () => {
    const a = new UtilizationAlert(0.8, 1_000);
    expect(a.observe(0.9, 0)).toBeNull();
    expect(a.observe(0.7, 900)).toBeNull();
    expect(a.observe(0.9, 1_000)).toBeNull();
    expect(a.observe(0.9, 1_999)).toBeNull();
    expect(a.observe(0.9, 2_000)).toBe('raised');
  });

  it('with no sustain time is raised on the first high observation', () => {
    const a = new UtilizationAlert(0.5, 0);
    expect(a.observe(0.5, 5)).toBe('raised');
    expect(a.raisedCount).toBe(1);
  });
});
