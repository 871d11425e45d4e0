/**
 * Test helpers for the watcher: story texts, HTML pages, a real HTTP server on port 0, a test config, a real store.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig, type Config, type ConfigFile } from '../../src/config/config.js';
import { openFileStore, type FileStore } from '../../src/store/open.js';

const WORDS =
  'officials said the government would review the decision after protesters gathered outside the ministry on ' +
  'tuesday while police closed several roads and witnesses described long queues at checkpoints near the border';

const OTHER_WORDS =
  'the orchestra announced a new season featuring rarely performed symphonies with guest conductors from vienna ' +
  'and tickets for subscribers going on sale next month alongside family matinees and late night chamber concerts';

/** A paragraph of ~30 words, different for each `seed` (`other`: from a wholly different vocabulary). */
export function paragraph(seed: number, other = false): string {
  const w = (other ? OTHER_WORDS : WORDS).split(' ');
  const out: string[] = [];
  for (let i = 0; i < 30; i++) out.push(w[(seed * 7 + i * ((seed % 5) + 1)) % w.length]!);
  out[0] = other ? `Note ${seed}:` : `Report ${seed}:`;
  out[1] = `item-${seed}-a`;
  out[2] = `item-${seed}-b`;
  return out.join(' ') + '.';
}

/** A story: a title and `n` paragraphs from `first`. */
export function story(title: string, first: number, n: number, other = false): { title: string; paragraphs: string[] } {
  return { title, paragraphs: Array.from({ length: n }, (_, i) => paragraph(first + i, other)) };
}

export function storyText(s: { title: string; paragraphs: readonly string[] }): string {
  return `${s.title}\n\n${s.paragraphs.join('\n\n')}\n`;
}

const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function storyHtml(s: { title: string; paragraphs: readonly string[] }, charsetMeta?: string): string {
  return (
    `<!doctype html><html><head>${charsetMeta !== undefined ? `<meta charset="${charsetMeta}">` : ''}<title>${esc(s.title)}</title></head>` +
    `<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>${esc(s.title)}</h1>` +
    s.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('') +
    `</article><footer>Copyright News Co</footer></body></html>`
  );
}

export interface TestServer {
  readonly url: string;
  /** Requests seen per path. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  host = '127.0.0.1',
): Promise<TestServer> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    hits.set(p, (hits.get(p) ?? 0) + 1);
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A config for tests: private networks allowed, short timeouts, paths in `dir`. */
export function testConfig(dir: string, over: ConfigFile = {}): Config {
  return parseConfig(
    {
      storeDir: 'snapshots',
      ...over,
      fetch: { allowPrivateNetwork: true, timeout: '5s', ...(over.fetch ?? {}) },
      watch: { debounce: 50, ...(over.watch ?? {}) },
    },
    'test config',
    { baseDir: dir },
  );
}

export async function openStore(config: Config): Promise<FileStore> {
  return openFileStore({ dir: config.storeDir });
}
