/** What a new reader of the viewer sees: no server paths on version pages, a home-page hint that works. */
import { expect, test } from 'vitest';
import { renderHomePage } from '../../../src/http/viewer/pages/home.js';
import { renderVersionPage } from '../../../src/http/viewer/pages/version.js';
import { ingestVersion } from '../../../src/ingest/ingest.js';
import { story, storyText } from '../../watch/helpers.js';
import { useTempStore } from './harness.js';

const files = useTempStore();

test('a version page names the file relative to the watched folder, never the absolute path on the server', async () => {
  const text = storyText(story('Floods close the highway', 1, 4));
  const location = '/home/editor/secret-desk/articles/floods.txt';
  const o = await ingestVersion(
    { store: files().store },
    {
      article: 'floods',
      raw: new TextEncoder().encode(text),
      contentType: 'text/plain',
      text,
      origin: { kind: 'dir', location },
      fetchedAt: '2026-11-25T03:00:00.000Z',
    },
    { variantWindow: 5 },
  );
  expect(o.status).toBe('new-version');
  const html = renderVersionPage({
    summary: (await files().store.getArticle('floods'))!,
    version: (await files().store.getVersion('floods', 1))!,
    lastEvent: 1,
    now: Date.parse('2026-11-25T04:00:00Z'),
  });
  expect(html).toContain('from dir <code>floods.txt</code>');
  expect(html).not.toContain('/home/editor');
  expect(html).not.toContain('secret-desk');
});

test('the empty home page suggests what works while the server runs (save a file, or POST with the token)', () => {
  const html = renderHomePage({ articles: [], lastEvent: 0, now: 0 });
  expect(html).toContain('save a text or HTML file');
  expect(html).toContain('/api/articles/my-story/versions');
  expect(html).toContain('Authorization: Bearer');
  expect(html).not.toContain('<code>wirediff ingest my-story story.txt</code>');
});
