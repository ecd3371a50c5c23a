/** The gate of heavy requests (src/http/gate.ts): at most `limit` at once, the rest in arrival order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Gate } from '../../src/http/gate';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Gate', () => {
  it('lets `limit` in at once and admits the rest in arrival order as others leave', async () => {
    const gate = new Gate(2);
    const admitted: number[] = [];
    const releases = new Map<number, () => void>();
    for (let i = 1; i <= 5; i++) {
      void gate.enter().then((release) => {
        admitted.push(i);
        releases.set(i, release);
      });
    }
    await tick();
    expect(admitted).toEqual([1, 2]);
    expect(gate.state).toEqual({ running: 2, waiting: 3 });
    releases.get(2)!();
    await tick();
    expect(admitted).toEqual([1, 2, 3]);
    // a release called twice frees one slot only
    releases.get(2)!();
    await tick();
    expect(admitted).toEqual([1, 2, 3]);
    releases.get(1)!();
    releases.get(3)!();
    await tick();
    expect(admitted).toEqual([1, 2, 3, 4, 5]);
    releases.get(4)!();
    releases.get(5)!();
    expect(gate.state).toEqual({ running: 0, waiting: 0 });
  });

  it('never has more than `limit` inside, and everyone gets in, whatever the timing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 25 }), async (limit, holds) => {
        const gate = new Gate(limit);
        let inside = 0;
        let most = 0;
        const order: number[] = [];
        await Promise.all(
          holds.map(async (ticks, i) => {
            const release = await gate.enter();
            order.push(i);
            inside++;
            most = Math.max(most, inside);
            for (let t = 0; t < ticks; t++) await tick();
            inside--;
            release();
          }),
        );
        expect(most).toBeLessThanOrEqual(limit);
        expect(order).toEqual(holds.map((_, i) => i));
        expect(gate.state).toEqual({ running: 0, waiting: 0 });
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a limit below one', () => {
    expect(() => new Gate(0)).toThrow();
  });
});
