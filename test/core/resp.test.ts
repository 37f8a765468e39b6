/** The RESP request reader (pure): requests in any chunking, inline commands, and every protocol error with its exact text and a bounded memory. */
import test from 'ava';
import fc from 'fast-check';
import { MAX_ARGS, RespReader } from '../../src/core/resp.js';
import type { RespProtocolError, RespRequest } from '../../src/core/resp.js';
import { splitInline } from '../../src/core/resp-inline.js';

type Read = RespRequest | RespProtocolError;

/** Encodes a request as clients send it: an array of bulk strings. */
const encode = (args: readonly string[]): string => `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;

/** Everything `bytes` frames to, pushed in pieces cut at `cuts`. */
function readAll(bytes: string, cuts: readonly number[] = [], max = 1 << 20): { out: Read[]; reader: RespReader } {
  const reader = new RespReader(max);
  const out: Read[] = [];
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    reader.push(Buffer.from(bytes.slice(from, to), 'latin1'));
    from = to;
    for (let r = reader.next(); r !== undefined; r = reader.next()) out.push(r);
  }
  return { out, reader };
}

const byteString = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const request = fc.array(byteString, { minLength: 1, maxLength: 6 });

test('property: requests of any bytes, cut into any pieces, come back whole and in order', (t) => {
  fc.assert(
    fc.property(fc.array(request, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (requests, cuts) => {
      const { out, reader } = readAll(requests.map(encode).join(''), cuts);
      t.deepEqual(
        out,
        requests.map((args) => ({ args })),
      );
      t.false(reader.queued);
      t.is(reader.held, 0);
    }),
  );
});

test('property: inline commands split on blanks, interleaved with arrays, in any pieces', (t) => {
  const word = fc.string({ unit: fc.constantFrom(...'abcXYZ019:{}-_'.split('')), minLength: 1, maxLength: 8 });
  const line = fc.array(word, { minLength: 1, maxLength: 4 });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), line), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (items, cuts) => {
      const bytes = items.map(([inline, args]) => (inline ? `${args.join('  ')}\r\n` : encode(args))).join('');
      t.deepEqual(
        readAll(bytes, cuts).out,
        items.map(([, args]) => ({ args })),
      );
    }),
  );
});

test('property: whatever bytes arrive, the reader never throws and holds at most the limit (plus one header) once it waits', (t) => {
  const max = 64;
  fc.assert(
    fc.property(fc.array(fc.oneof(byteString, fc.constantFrom('*', '$', '\r\n', '*2\r\n', '$70\r\n', '$3\r\n', '"', '*1\r\n$1\r\n')), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (parts, cuts) => {
      const { out, reader } = readAll(parts.join(''), cuts, max);
      t.true(reader.held <= max + 33, `held ${reader.held}`);
      // A protocol error is the last thing framed.
      const failed = out.findIndex((r) => 'error' in r);
      t.true(failed < 0 || failed === out.length - 1);
    }),
  );
});

test('a bulk length past the limit is refused at its header, before its bytes are held; nothing is framed after it', (t) => {
  const reader = new RespReader(1024);
  reader.push(Buffer.from('*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nSET\r\n$2000000000\r\nxxxx'));
  t.deepEqual(reader.next(), { args: ['PING'] });
  t.deepEqual(reader.next(), { error: 'Protocol error: invalid bulk length 2000000000: a request may have at most 1024 bytes (the maxLineLength setting)' });
  t.is(reader.held, 0);
  reader.push(Buffer.from('*1\r\n$4\r\nPING\r\n'));
  t.is(reader.next(), undefined);
  t.is(reader.held, 0);
});

test('a request is limited as a whole: many bulk strings each under the limit still add up to it', (t) => {
  const reader = new RespReader(100);
  reader.push(Buffer.from(encode(['SET', 'k', 'v'.repeat(60)]) + encode(['MSET', 'a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)])));
  t.deepEqual(reader.next(), { args: ['SET', 'k', 'v'.repeat(60)] });
  t.deepEqual(reader.next(), { error: 'Protocol error: invalid bulk length 40: a request may have at most 100 bytes (the maxLineLength setting)' });
});

test("Redis's protocol errors, with Redis's words", (t) => {
  const cases: [string, string][] = [
    ['*x\r\n', 'invalid multibulk length'],
    ['*\r\n', 'invalid multibulk length'],
    [`*${MAX_ARGS + 1}\r\n`, 'invalid multibulk length'],
    ['*1\r\n+OK\r\n', "expected '$', got '+'"],
    ['*1\r\n$-1\r\n', 'invalid bulk length'],
    ['*1\r\n$1x\r\n', 'invalid bulk length'],
    ['*1\r\n$3\r\nabcde\r\n', 'bulk string not followed by CRLF'],
    [`*${'1'.repeat(40)}`, 'too big mbulk count string'],
    [`*1\r\n$${'1'.repeat(40)}`, 'too big bulk count string'],
    ['SET "a b\r\n', 'unbalanced quotes in request'],
    ['SET "a"b\r\n', 'unbalanced quotes in request'],
    [`GET ${'k'.repeat(200)}`, 'too big inline request'],
  ];
  for (const [bytes, message] of cases) t.deepEqual(readAll(bytes, [], 100).out, [{ error: `Protocol error: ${message}` }], JSON.stringify(bytes));
});

test('empty lines, *0 and *-1 are skipped without a reply, as Redis does; \\n alone ends an inline line', (t) => {
  t.deepEqual(readAll('\r\n\n*0\r\n*-1\r\nPING\n*1\r\n$4\r\nPING\r\n').out, [{ args: ['PING'] }, { args: ['PING'] }]);
});

test('a value that spans many reads is copied once, and comes back byte for byte', (t) => {
  const value = Buffer.alloc(300_000, 0xe9).toString('latin1');
  const bytes = encode(['SET', 'k', value]);
  const cuts = Array.from({ length: 40 }, (_, i) => 7 + i * 7919);
  t.deepEqual(readAll(bytes, cuts).out, [{ args: ['SET', 'k', value] }]);
});

test('inline arguments: quotes and escapes as sdssplitargs', (t) => {
  t.deepEqual(splitInline('SET  k "a b\\n\\x41\\"" \'it\\\'s\''), ['SET', 'k', 'a b\nA"', "it's"]);
  t.deepEqual(splitInline("'a\\b'"), ['a\\b']);
  t.deepEqual(splitInline('"\\xZZ"'), ['xZZ']);
  t.deepEqual(splitInline(' \t '), []);
  t.is(splitInline('"abc'), undefined);
  t.is(splitInline("'abc' x'"), undefined);
  t.deepEqual(splitInline('a"b c"d'), undefined);
  t.deepEqual(splitInline('a"b c" d'), ['ab c', 'd']);
});
