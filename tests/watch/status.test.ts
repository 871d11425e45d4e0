/** The status document built from a source's state (status.ts), its held changes (held.ts), and their round trip. */
import { describe, expect, test } from 'vitest';
import { Backoff } from '../../src/watch/backoff.js';
import { describeFailure, HttpStatusError } from '../../src/watch/failure.js';
import { HeldChanges } from '../../src/watch/held.js';
import { SourceState } from '../../src/watch/source-state.js';
import { sourceStatus, watcherStatus } from '../../src/watch/status.js';
import { pendingConfirmations, STATUS_SCHEMA } from '../../src/watch/status-file.js';

const T = Date.parse('2026-12-01T10:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

describe('sourceStatus', () => {
  test('a url source backing off after a 503: state, next poll, failures and the error with its HTTP status', () => {
    const state = new SourceState(2, { kind: 'url', url: 'https://news.example/a', id: 'a' }, '*/5 * * * *');
    const a = state.article('a', 'https://news.example/a');
    a.tier = 'fresh';
    a.nextPollAt = T + 60_000;
    a.lastOutcome = 'error';
    state.lastPollAt = T;
    state.counts.polls = 1;
    state.counts.errors = 1;
    state.lastError = { ...describeFailure(new HttpStatusError(503, undefined, 'https://news.example/a')), at: T };
    const backoff = new Backoff({ baseMs: 600_000, maxMs: 3_600_000, random: () => 0 });
    backoff.fail(T);
    const st = sourceStatus(state, { busy: false, backoff, nextRun: T + 120_000, now: T });
    expect(st).toMatchObject({
      index: 2,
      kind: 'url',
      locator: 'https://news.example/a',
      schedule: '*/5 * * * *',
      state: 'backoff',
      lastPollAt: iso(T),
      nextPollAt: iso(T + 300_000), // the latest of the cron tick, the back-off and the article's tier
      backoffUntil: iso(T + 300_000),
      consecutiveFailures: 1,
      lastError: { code: 'E_FETCH_STATUS', httpStatus: 503, message: 'https://news.example/a: HTTP 503', at: iso(T) },
      counts: { polls: 1, errors: 1 },
    });
    expect(st.articles).toEqual([
      {
        id: 'a',
        location: 'https://news.example/a',
        tier: 'fresh',
        nextPollAt: iso(T + 300_000),
        lastOutcome: 'error',
      },
    ]);
    expect(sourceStatus(state, { busy: true, backoff, nextRun: undefined, now: T }).state).toBe('polling');
    expect(sourceStatus(state, { busy: false, backoff, nextRun: undefined, now: T + 300_000 }).state).toBe('idle');
  });

  test('a folder forgets the files gone from it', () => {
    const state = new SourceState(0, { kind: 'dir', path: '/news' }, '* * * * *');
    state.article('a', '/news/a.txt');
    state.article('b', '/news/b.txt');
    expect(state.prune(['/news/b.txt', '/news/c.txt'])).toEqual(['/news/a.txt']);
    expect([...state.articles.keys()]).toEqual(['/news/b.txt']);
  });
});

describe('held changes in the status', () => {
  test('restored from a status file, written back the same; a change no longer held is dropped', () => {
    let now = T;
    const held = new HeldChanges(() => now);
    expect(held.confirmations()).toBeUndefined();
    const written = {
      'ap-1': { hash: 'h1', reason: 'lost-most' as const, seen: 1, firstSeenAt: iso(T - 60_000) },
      'Not An Id': { hash: 'h2', reason: 'lost-most' as const, seen: 1, firstSeenAt: iso(T) },
    };
    held.restore(pendingConfirmations({ ...watcherStatus(base()), pending: written }));
    expect(held.confirmations()).toEqual({ 'ap-1': written['ap-1'] });
    now = T + 1000;
    held.guard.pending.set('ap-2', { hash: 'h3', reason: 'pending-confirmation', seen: 1 });
    held.noteRead('ap-2', T + 500);
    held.guard.pending.delete('ap-1');
    held.noteRead('ap-1', now);
    const doc = watcherStatus({ ...base(), pending: held.confirmations() });
    expect(doc.schema).toBe(STATUS_SCHEMA);
    expect(doc.pending).toEqual({
      'ap-2': { hash: 'h3', reason: 'pending-confirmation', seen: 1, firstSeenAt: iso(T + 500) },
    });
  });
});

function base(): Parameters<typeof watcherStatus>[0] {
  return { startedAt: T, now: T, running: true, sources: [], pending: undefined };
}
