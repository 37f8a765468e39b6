/**
 * Property-based: random byte streams into the TCP server (commands, junk, separators of
 * every kind, lines around the length limit, random write sizes), every reply byte checked
 * against a model of the protocol (protocol.md) written from the spec, not from the server's
 * code; and random over-long lines, with the server's memory measured while they stream in.
 */
import test from 'ava';
import fc from 'fast-check';
import { cluster, fixture } from '../helpers.js';
import { TestClient } from '../server/client.js';

const MAX_LINE = 64;
const TOO_LONG = `ERROR line too long: more than ${MAX_LINE} bytes before its newline (the maxLineLength setting); the rest of the line is discarded\r\n`;

/** Elixir's String.split/1 separators as UTF-8 byte strings (guide-spec.md 8.1). */
const SEPARATORS = ['\t', '\n', '\v', '\f', '\r', ' ', '\xc2\x85', '\xe1\x9a\x80', ...[0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x88, 0x89, 0x8a, 0xa8, 0xa9].map((b) => `\xe2\x80${String.fromCharCode(b)}`), '\xe2\x81\x9f', '\xe3\x80\x80'];

function tokens(line: string): string[] {
  const out: string[] = [];
  let token = '';
  for (let i = 0; i < line.length;) {
    const sep = SEPARATORS.find((s) => line.startsWith(s, i));
    if (sep === undefined) {
      token += line.charAt(i);
      i++;
      continue;
    }
    if (token !== '') out.push(token);
    token = '';
    i += sep.length;
  }
  if (token !== '') out.push(token);
  return out;
}

/** The buckets the model holds, across runs (the cluster keeps them too). */
type Store = Map<string, Map<string, string>>;

function run(store: Store, line: string): string {
  const [cmd, b, k, v, ...rest] = tokens(line);
  const n = tokens(line).length;
  const bucket = b === undefined ? undefined : store.get(b);
  if (cmd === 'CREATE' && n === 2) {
    if (bucket === undefined) store.set(b as string, new Map());
    return 'OK\r\n';
  }
  if (rest.length > 0 || !((cmd === 'PUT' && n === 4) || ((cmd === 'GET' || cmd === 'DELETE') && n === 3))) return 'UNKNOWN COMMAND\r\n';
  if (bucket === undefined) return 'NOT FOUND\r\n';
  if (cmd === 'PUT') bucket.set(k as string, v as string);
  if (cmd === 'GET') return `${bucket.get(k as string) ?? ''}\r\nOK\r\n`;
  if (cmd === 'DELETE') bucket.delete(k as string);
  return 'OK\r\n';
}

/** The reply bytes of a whole stream that ends in a half-close: complete lines run, an unfinished one does not. */
function expected(store: Store, stream: string): string {
  let out = '';
  const lines = stream.split('\n');
  const last = lines.pop() as string;
  for (const line of lines) {
    // The limit counts the bytes before the `\n`, not a `\r` right before it.
    const length = line.endsWith('\r') ? line.length - 1 : line.length;
    out += length > MAX_LINE ? TOO_LONG : run(store, line);
  }
  // An unfinished line already known to be too long has been answered (one byte over may be a `\r`).
  if (last.length > MAX_LINE + 1 || (last.length === MAX_LINE + 1 && !last.endsWith('\r'))) out += TOO_LONG;
  return out;
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const token = fc.constantFrom('a', 'b', 'ab', 'k', 'v', '\xc3\xa9t\xc3\xa9', '\xff\x80', 'n\x00ul', '\xc2\xa0', '\xe2\x80\x87', 'x\xe2\x80', '\xe2');
const keyword = fc.constantFrom('CREATE', 'PUT', 'GET', 'DELETE', 'create', 'Get', 'PUTS', 'HELLO');
const separator = fc.oneof(fc.constantFrom(...SEPARATORS.filter((s) => s !== '\n')), fc.constantFrom(' ', '  ', '\t \r'));
const command = fc.tuple(fc.option(separator), keyword, fc.array(fc.tuple(separator, token), { maxLength: 4 }), fc.option(separator)).map(([lead, kw, args, trail]) => `${lead ?? ''}${kw}${args.map(([s, t]) => s + t).join('')}${trail ?? ''}`);
const piece = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(command, fc.constantFrom('\n', '\r\n', '\r\n', '')).map(([c, end]) => c + end) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 40 }).map(latin1) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: MAX_LINE - 2, max: MAX_LINE + 3 }), fc.constantFrom('\n', '\r\n', '\r', '')).map(([n, end]) => `PUT a k ${'x'.repeat(n - 8)}${end}`) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_LINE, max: 4 * MAX_LINE }).map((n) => `${'y'.repeat(n)}\n`) },
);
const stream = fc.tuple(fc.array(piece, { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }));

/** Writes `bytes` in chunks of the given sizes (cycled), each handed to the socket before the next. */
async function sendInChunks(client: TestClient, bytes: Buffer, sizes: number[]): Promise<void> {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] as number;
    const chunk = bytes.subarray(at, at + size);
    at += size;
    await new Promise<void>((resolve, reject) => client.socket.write(chunk, (e) => (e ? reject(e) : resolve())));
  }
}

// Serial: the streaming test below keeps this thread busy, and would starve this one's client.
test.serial('random byte streams get exactly the replies of the protocol model', async (t) => {
  const c = await cluster(t, {
    // Every byte is routed: those from 0x80 to bar, so half the buckets take a hop.
    nodes: {
      foo: {
        port: 0,
        routingTable: [
          { range: [0, 127], node: 'foo' },
          { range: [128, 255], node: 'bar' },
        ],
      },
      bar: {
        routingTable: [
          { range: [0, 127], node: 'foo' },
          { range: [128, 255], node: 'bar' },
        ],
      },
    },
    maxLineLength: MAX_LINE,
  });
  const port = c.ports.get('foo') as number;
  const store: Store = new Map();
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(stream, async ([pieces, sizes]) => {
      runs++;
      const bytes = pieces.join('');
      const want = expected(store, bytes);
      const client = await TestClient.connect(port);
      try {
        await sendInChunks(client, Buffer.from(bytes, 'latin1'), sizes);
        client.end();
        const got = await client.rest();
        if (got !== want) throw new Error(`stream ${JSON.stringify(bytes)}\nreplies ${JSON.stringify(got)}\nmodel   ${JSON.stringify(want)}`);
      } finally {
        client.destroy();
      }
    }),
    // The model carries state from run to run, as the cluster does: no shrinking replays.
    { numRuns: 120, endOnFailure: true, includeErrorInReport: true },
  );
  t.is(runs, 120);
  t.deepEqual(
    c.status().map((s) => s.restarts),
    [0, 0],
  );
});

test.serial('random over-long lines stream through in bounded memory, and the connection keeps serving', async (t) => {
  const c = await cluster(t, { nodes: { foo: { port: 0, routingTable: [{ range: 'a-z', node: 'foo' }] } }, maxLineLength: 1024, modules: { Mem: fixture('mem.js') } });
  const client = await TestClient.connect(c.ports.get('foo') as number);
  t.teardown(() => client.destroy());
  t.is(await client.request('CREATE m\n'), 'OK\r\n');
  const baseline = await c.call<number>('foo', 'Mem', 'usage');
  const peaks: number[] = [];
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 24, max: 64 }),
      fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x0a),
      fc.array(fc.integer({ min: 4096, max: 1 << 20 }), { minLength: 1, maxLength: 4 }),
      async (mb, fill, sizes) => {
        // No newline in `mb` MB: the server may hold at most one line's maximum of it.
        await sendInChunks(client, Buffer.alloc(mb << 20, fill), sizes);
        const during = await c.call<number>('foo', 'Mem', 'usage');
        peaks.push(during - baseline);
        if (during - baseline > 16 << 20) throw new Error(`the server holds ${((during - baseline) / 2 ** 20).toFixed(1)} MB more while a ${mb} MB line streams in`);
        const replies = await client.request(`\nPUT m k ${mb}\nGET m k\n`, 4);
        if (replies !== `${TOO_LONG.replace(String(MAX_LINE), '1024')}OK\r\n${mb}\r\nOK\r\n`) throw new Error(`replies ${JSON.stringify(replies)}`);
      },
    ),
    { numRuns: 4, endOnFailure: true, includeErrorInReport: true },
  );
  t.log(`server memory over baseline while streaming: ${peaks.map((p) => `${(p / 2 ** 20).toFixed(1)} MB`).join(', ')}`);
  t.deepEqual(
    c.status().map((s) => s.restarts),
    [0],
  );
});
