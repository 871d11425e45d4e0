/**
 * The client side of the publish benchmark, run as a separate process (`child_process.fork`) so that the clients do
 * not share the server's event loop. Talks to its parent over IPC:
 *
 * - `{ cmd: 'connect', url, n, subscribe, localAddresses }` → opens `n` WebSockets (at most 256 handshakes in flight,
 *   source addresses rotated over 127.0.0.x to spread the ephemeral ports); with `subscribe`, sends
 *   `{"type":"subscribe","articles":"*"}` and waits for `replay-complete` on each. Answers `{ type: 'ready', n, ms }`.
 * - Then every message received is counted (not parsed); when all `n` clients have received round r's message the
 *   process sends `{ type: 'round', round: r, at }` with `at = performance.timeOrigin + performance.now()`.
 * - `{ cmd: 'close' }` → closes every socket and exits.
 *
 * File descriptors: this process holds `n` sockets, so its `ulimit -n` must exceed n (+ ~100).
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';

interface ConnectCommand {
  readonly cmd: 'connect';
  readonly url: string;
  readonly n: number;
  readonly subscribe: boolean;
  readonly localAddresses: readonly string[];
}

type Command = ConnectCommand | { readonly cmd: 'close' };

const sockets: WebSocket[] = [];
let received = 0;
let n = 0;
let round = 0;

function send(m: unknown): void {
  process.send?.(m);
}

function openOne(url: string, subscribe: boolean, localAddress: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, localAddress });
    let ready = !subscribe;
    ws.on('open', () => {
      if (subscribe) ws.send('{"type":"subscribe","articles":"*"}');
      else resolve(ws);
    });
    ws.on('message', (data: Buffer) => {
      if (!ready) {
        // hello, then replay-complete
        if (data.includes('"replay-complete"')) {
          ready = true;
          resolve(ws);
        }
        return;
      }
      received += 1;
      if (received === n) {
        received = 0;
        round += 1;
        send({ type: 'round', round, at: performance.timeOrigin + performance.now() });
      }
    });
    ws.on('error', reject);
  });
}

async function connect(c: ConnectCommand): Promise<void> {
  const t0 = performance.now();
  n = c.n;
  received = 0;
  round = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < c.n) {
      const k = next++;
      const addr = c.localAddresses[k % c.localAddresses.length] ?? '127.0.0.1';
      sockets.push(await openOne(c.url, c.subscribe, addr));
    }
  };
  await Promise.all(Array.from({ length: Math.min(256, c.n) }, worker));
  send({ type: 'ready', n: sockets.length, ms: performance.now() - t0 });
}

process.on('message', (m: Command) => {
  if (m.cmd === 'connect') {
    connect(m).catch((err: unknown) => {
      send({ type: 'error', message: String(err) });
    });
  } else if (m.cmd === 'close') {
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'started' });
