import { HashSlots } from './hash-slots';

/** Work that finishes only when the test says so. */
function held() {
  let release = () => {};
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release: () => release() };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('HashSlots', () => {
  it('runs at most max at once, the others in arrival order', async () => {
    const slots = new HashSlots(2);
    const started: number[] = [];
    const works = Array.from({ length: 5 }, () => held());
    let running = 0;
    let peak = 0;
    const results = works.map((w, i) =>
      slots.run(async () => {
        started.push(i);
        peak = Math.max(peak, ++running);
        await w.done;
        running--;
        return i;
      }),
    );
    await turn();
    expect(started).toEqual([0, 1]);
    expect(slots.queued).toBe(3);
    works[1].release();
    await turn();
    expect(started).toEqual([0, 1, 2]);
    for (const w of works) w.release();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(slots.queued).toBe(0);
  });

  it('skips work whose client left while it waited, and frees its slot', async () => {
    const slots = new HashSlots(1);
    const first = held();
    let gone = false;
    const ran: string[] = [];
    const a = slots.run(async () => {
      ran.push('a');
      await first.done;
      return 'a';
    });
    const b = slots.run(
      () => {
        ran.push('b');
        return Promise.resolve('b');
      },
      () => gone,
    );
    const c = slots.run(() => {
      ran.push('c');
      return Promise.resolve('c');
    });
    gone = true;
    first.release();
    expect([await a, await b, await c]).toEqual(['a', undefined, 'c']);
    expect(ran).toEqual(['a', 'c']);
  });

  it('frees the slot when the work fails', async () => {
    const slots = new HashSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('scrypt failed')))).rejects.toThrow(
      'scrypt failed',
    );
    expect(await slots.run(() => Promise.resolve('next'))).toBe('next');
  });
});
