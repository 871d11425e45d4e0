import { describe, expect, test } from 'vitest';
import { SingleFlight } from '../../src/watch/flight.js';

function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

describe('SingleFlight', () => {
  test('requests during a run coalesce into one more run, never two at once', async () => {
    const g = gate();
    const order: string[] = [];
    let n = 0;
    const f = new SingleFlight(async (force) => {
      const me = ++n;
      order.push(`start ${me} ${force}`);
      if (me === 1) await g.wait;
      order.push(`end ${me}`);
      return me;
    });
    const a = f.request(false);
    const b = f.request(true);
    const c = f.request(false);
    expect(f.busy).toBe(true);
    g.open();
    expect(await a).toBe(1);
    expect(await b).toBe(2);
    expect(await c).toBe(2);
    expect(order).toEqual(['start 1 false', 'end 1', 'start 2 true', 'end 2']);
    expect(f.maxInFlight).toBe(1);
    expect(f.runs).toBe(2);
    await f.close();
    expect(await f.request(false)).toBeUndefined();
  });

  test('a throwing task rejects the requests its run serves (never swallowed) and does not stop the runner', async () => {
    let n = 0;
    const f = new SingleFlight(() => {
      n++;
      return n === 1 ? Promise.reject(new Error('boom')) : Promise.resolve(n);
    });
    await expect(f.request(false)).rejects.toThrow('boom');
    expect(await f.request(false)).toBe(2);
    await f.close();
  });
});
