import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { openFileStore, type FileStore } from '../../src/store/open.js';
import type { SnapshotStore } from '../../src/store/types.js';
import { createGuardState } from '../../src/ingest/guard.js';
import { ingestVersion, type IngestInput } from '../../src/ingest/ingest.js';
import { story, storyText } from '../watch/helpers.js';
import { tempDir } from '../support/temp.js';

let tmp: { dir: string; cleanup(): Promise<void> };
let fs: FileStore;
let clock = Date.parse('2026-11-25T03:00:00Z');
const now = (): number => clock;

beforeEach(async () => {
  tmp = await tempDir();
  fs = await openFileStore({ dir: tmp.dir });
});
afterEach(async () => {
  await fs.close();
  await tmp.cleanup();
});

function input(text: string, article = 'quake'): IngestInput {
  clock += 60_000;
  return {
    article,
    raw: new TextEncoder().encode(text),
    contentType: 'text/plain',
    text,
    origin: { kind: 'push' },
    fetchedAt: new Date(clock).toISOString(),
  };
}

const base = story('Quake hits the coast', 1, 10);
const v2 = { ...base, paragraphs: [paragraphUpdate(), ...base.paragraphs] };
function paragraphUpdate(): string {
  return 'Rescuers pulled three more survivors from the rubble overnight, the fire service said on Wednesday.';
}

describe('ingestVersion', () => {
  test('first version, a change, unchanged content, then a known variant', async () => {
    const deps = { store: fs.store };
    const opts = { variantWindow: 5, now };
    const a = await ingestVersion(deps, input(storyText(base)), opts);
    expect(a.status).toBe('new-version');
    if (a.status !== 'new-version') return;
    expect(a.meta.version).toBe(1);
    expect(a.event.changes).toBeNull();
    expect(a.event.id).toBe(1);

    const b = await ingestVersion(deps, input(storyText(v2)), opts);
    expect(b.status).toBe('new-version');
    if (b.status !== 'new-version') return;
    expect(b.meta.version).toBe(2);
    expect(b.event.changes?.stats.paragraphs.added).toBe(1);
    const stored = await fs.store.getVersion('quake', 2);
    expect(stored?.changes).toEqual(b.event.changes); // computed once, stored with the version

    // cosmetic difference only: same content hash
    expect(await ingestVersion(deps, input(storyText(v2).replace(/ /g, '  ')), opts)).toEqual({
      status: 'unchanged',
      version: 2,
    });
    // flips back to version 1: a variant, not a version
    expect(await ingestVersion(deps, input(storyText(base)), opts)).toEqual({ status: 'variant', of: 1 });
    expect((await fs.store.listVersions('quake')).map((m) => m.version)).toEqual([1, 2]);
    expect((await fs.store.getArticle('quake'))?.variantsSeen).toBe(1);
    expect((await fs.log.bounds()).last).toBe(2);
  });

  test('outside the variant window, an old state is a new version', async () => {
    const deps = { store: fs.store };
    const opts = { variantWindow: 1, now };
    await ingestVersion(deps, input(storyText(base)), opts);
    await ingestVersion(deps, input(storyText(v2)), opts);
    const c = await ingestVersion(deps, input(storyText(base)), opts);
    expect(c.status).toBe('new-version');
  });

  test('an empty body and a page with no article make no version', async () => {
    const deps = { store: fs.store };
    const opts = { variantWindow: 5, now };
    expect(await ingestVersion(deps, input('   \n  '), opts)).toMatchObject({ status: 'rejected', reason: 'empty' });
    const html = '<html><body><script>var x = 1;</script></body></html>';
    const r = await ingestVersion(deps, { ...input(html), contentType: 'text/html' }, opts);
    expect(r.status).toBe('rejected');
    expect(await fs.store.listVersions('quake')).toEqual([]);
    expect((await fs.log.bounds()).last).toBe(0);
  });

  test('with the guard, a truncated extraction is held once, then published', async () => {
    const deps = { store: fs.store };
    const opts = { variantWindow: 5, now, guard: createGuardState() };
    await ingestVersion(deps, input(storyText(base)), opts);
    const cut = storyText({ ...base, paragraphs: base.paragraphs.slice(0, 2) });
    expect(await ingestVersion(deps, input(cut), opts)).toMatchObject({ status: 'rejected', reason: 'lost-most' });
    expect((await fs.store.listVersions('quake')).length).toBe(1);
    const second = await ingestVersion(deps, input(cut), opts);
    expect(second).toMatchObject({ status: 'new-version', confirmed: true });
    expect((await fs.store.listVersions('quake')).length).toBe(2);
  });

  test('a pushed version that lost most of the article, or is another story, is refused unless forced', async () => {
    const deps = { store: fs.store };
    const push = { variantWindow: 5, now, push: {} };
    // A first version has nothing to compare with: stored.
    expect(await ingestVersion(deps, input(storyText(base)), push)).toMatchObject({ status: 'new-version' });
    const cut = storyText({ ...base, paragraphs: base.paragraphs.slice(0, 1) });
    const lost = await ingestVersion(deps, input(cut), push);
    expect(lost).toMatchObject({ status: 'rejected', reason: 'lost-most' });
    expect(lost.status === 'rejected' && lost.detail).toMatch(/keeps \d+ of the latest version's \d+ words.*--force/);
    const other = storyText(story('Council passes the budget', 1, 10, true));
    const unrelated = await ingestVersion(deps, input(other), push);
    expect(unrelated).toMatchObject({ status: 'rejected', reason: 'pending-confirmation' });
    expect(unrelated.status === 'rejected' && unrelated.detail).toMatch(/shares almost nothing.*a different story\?/);
    expect(
      await ingestVersion(deps, input('Access denied. Please enable JavaScript and cookies.'), push),
    ).toMatchObject({
      status: 'rejected',
      reason: 'no-article',
    });
    // Refusals store nothing and take no event id; an ordinary update goes through; force stores the cut.
    expect((await fs.store.listVersions('quake')).length).toBe(1);
    expect(await ingestVersion(deps, input(storyText(v2)), push)).toMatchObject({ status: 'new-version' });
    const forced = await ingestVersion(deps, input(cut), { ...push, push: { force: true } });
    expect(forced).toMatchObject({ status: 'new-version', event: { id: 3 } });
  });

  test('two writers racing on one article: both end consistent (E_CONFLICT retried)', async () => {
    const deps = { store: fs.store };
    const opts = { variantWindow: 5, now };
    await ingestVersion(deps, input(storyText(base)), opts);
    const other = {
      ...base,
      paragraphs: [...base.paragraphs, 'A later paragraph about the aftershocks and the damage.'],
    };
    const [x, y] = await Promise.all([
      ingestVersion(deps, input(storyText(v2)), opts),
      ingestVersion(deps, input(storyText(other)), opts),
    ]);
    expect([x.status, y.status].sort()).toEqual(['new-version', 'new-version']);
    const metas = await fs.store.listVersions('quake');
    expect(metas.map((m) => m.version)).toEqual([1, 2, 3]);
    // each stored ChangeSet is against the version before it
    const v3 = await fs.store.getVersion('quake', 3);
    const v2s = await fs.store.getVersion('quake', 2);
    expect(v3?.changes?.stats.oldParagraphs).toBe(v2s?.article.paragraphs.length);
  });

  test('a page shorter than the minimum article size ("Hi.") is refused; the minimum is configurable', async () => {
    const deps = { store: fs.store };
    const opts = { variantWindow: 5, now };
    const hi = await ingestVersion(deps, input('Hi.'), opts);
    expect(hi).toMatchObject({ status: 'rejected', reason: 'no-article' });
    expect(hi.status === 'rejected' && hi.detail).toContain('3 characters, fewer than watch.minArticleChars (25)');
    const html = await ingestVersion(
      deps,
      { ...input('<html><body><p>Hi.</p></body></html>'), contentType: 'text/html' },
      opts,
    );
    expect(html).toMatchObject({ status: 'rejected', reason: 'no-article' });
    expect(await fs.store.listVersions('quake')).toEqual([]);
    expect((await fs.log.bounds()).last).toBe(0);
    // With a smaller minimum the same page is stored.
    expect(await ingestVersion(deps, input('Hi.'), { ...opts, minArticleChars: 3 })).toMatchObject({
      status: 'new-version',
    });
  });

  test('the id "all" (the combined feed) is refused before anything is stored', async () => {
    const err = await ingestVersion({ store: fs.store }, input(storyText(base), 'all'), {
      variantWindow: 5,
      now,
    }).catch((e: unknown) => e);
    expect(isWirediffError(err, 'E_BAD_ARTICLE_ID')).toBe(true);
    expect((err as Error).message).toContain('reserved for the combined feed');
    expect(await fs.store.listVersions('all')).toEqual([]);
    expect((await fs.log.bounds()).last).toBe(0);
  });

  test('an E_CONFLICT retry judges the candidate again, against the version that came first', async () => {
    const push = { variantWindow: 5, now, push: {} };
    expect(await ingestVersion({ store: fs.store }, input(storyText(base)), push)).toMatchObject({
      status: 'new-version',
    });
    // Another writer stores a wholly different story between this push's guard check and its commit.
    const otherText = storyText(story('Council passes the budget', 1, 10, true));
    let interleaved = false;
    const racing: SnapshotStore = Object.create(fs.store) as SnapshotStore;
    racing.commitVersion = async (version, options) => {
      if (!interleaved) {
        interleaved = true;
        const forced = await ingestVersion({ store: fs.store }, input(otherText), { ...push, push: { force: true } });
        expect(forced).toMatchObject({ status: 'new-version', meta: { version: 2 } });
      }
      return fs.store.commitVersion(version, options);
    };
    // v2 is a fine update of v1, but against the other story it is a drastic change: refused, not stored as v3.
    const r = await ingestVersion({ store: racing }, input(storyText(v2)), push);
    expect(interleaved).toBe(true);
    expect(r).toMatchObject({ status: 'rejected', reason: 'pending-confirmation' });
    expect((await fs.store.listVersions('quake')).map((m) => m.version)).toEqual([1, 2]);
  });
});
