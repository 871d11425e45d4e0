import { describe, expect, it } from 'vitest';
import { createBuildQueue } from '../../../src/publish/rss/build-queue.js';

function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

describe('createBuildQueue', () => {
  it('runs one task at a time in order; a failure is its own caller’s and does not stop the next', async () => {
    const q = createBuildQueue();
    const order: string[] = [];
    let active = 0;
    const g = gate();
    const task =
      (name: string, fail = false) =>
      async () => {
        active++;
        expect(active).toBe(1);
        order.push(`start ${name}`);
        if (name === 'a') await g.wait;
        active--;
        order.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const a = q.run(task('a'));
    const b = q.run(task('b', true));
    const c = q.run(task('c'));
    g.open();
    expect(await a).toBe('a');
    await expect(b).rejects.toThrow('b');
    expect(await c).toBe('c');
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    await q.settled();
  });

  it('idle waits for tasks queued while it waits; settled only for those queued before', async () => {
    const q = createBuildQueue();
    const done: string[] = [];
    const g = gate();
    void q.run(async () => {
      await g.wait;
      done.push('first');
      void q.run(() => Promise.resolve(void done.push('queued meanwhile')));
    });
    const settled = q.settled().then(() => [...done]);
    const idle = q.idle().then(() => [...done]);
    g.open();
    expect(await settled).toEqual(['first']);
    expect(await idle).toEqual(['first', 'queued meanwhile']);
  });
});
