/** The packed encoding (no threads): every string value travels exactly, whatever chars it holds. */
import test from 'ava';
import { SEP, forEachRecord, forwardedRecord, idOf, packReply, packRequest, readField, valueField } from '../../src/protocol/batch.js';
import type { Request } from '../../src/protocol/messages.js';

// Values a module can store with KV.Bucket.put (apply takes any string): the separators, JSON's
// own escapes, a lone surrogate, astral chars, and bytes.
const wide = ['x\u0100u', '\u0100', 'a\u0101b', 'q"\\\n\u0000\u00ff', '\ud800', '🎉 ✓', '\u0100r5\u0100vEVIL', ''];

test('valueField and readField round-trip any string; a field never holds a separator', (t) => {
  for (const v of [...wide, 'plain bytes \xff\x00']) {
    const f = valueField(v);
    t.false(f.includes(SEP), `the field of ${JSON.stringify(v)} holds no separator`);
    t.deepEqual(readField(f), { value: v }, JSON.stringify(v));
  }
  t.is(valueField('v1'), 'vv1', 'byte strings keep the plain `v` field');
  t.deepEqual(readField(valueField(undefined)), { value: undefined });
});

test('a reply or request holding a separator is not packed (it travels as an object); the others are, and parse back', (t) => {
  t.is(packReply(7, 'x\u0100u'), undefined);
  t.is(packRequest({ type: 'req', id: 1, from: 0, hops: 0, op: 'put', bucket: 'b', key: 'k', value: 'x\u0100u' }), undefined);
  t.is(packRequest({ type: 'req', id: 1, from: 0, hops: 0, op: 'get', bucket: 'b\u0100', key: 'k' }), undefined);
  const frame = [packReply(7, 'a'), packReply(8, undefined), packReply(9, 'a\u0101b')].join(SEP);
  const seen: [number, string][] = [];
  forEachRecord(
    frame,
    () => t.fail('no request in this frame'),
    (id, field) => seen.push([id, field]),
  );
  t.deepEqual(
    seen.map(([id, f]) => [id, readField(f)]),
    [
      [7, { value: 'a' }],
      [8, { value: undefined }],
      [9, { value: 'a\u0101b' }],
    ],
  );
});

test('a forwarder passes a packed request on with one more hop and its path; the rest of the record and the replies around it are untouched', (t) => {
  const reqs: Request[] = [
    { type: 'req', id: 12345678901, from: 3, hops: 0, op: 'put', bucket: 'shopping', key: 'milk', value: '\xff1' },
    { type: 'req', id: 2, from: 1, hops: 4, path: 'foo → bar', op: 'get', bucket: 'b', key: '' },
  ];
  const frame = [packRequest(reqs[0] as Request), packReply(9, 'v'), packRequest(reqs[1] as Request)].join(SEP);
  const passed: string[] = [];
  const ids: number[] = [];
  forEachRecord(
    frame,
    () => t.fail('every request is passed on'),
    (id) => ids.push(id),
    (f, i) => {
      ids.push(idOf(f[i] as string));
      const path = f[i + 3] === '' ? 'baz' : `${f[i + 3] as string} → baz`;
      passed.push(forwardedRecord(f, i, Number(f[i + 2]), path));
      return true;
    },
  );
  t.deepEqual(ids, [12345678901, 9, 2]);
  const rebuilt: Request[] = [];
  forEachRecord(
    passed.join(SEP),
    (req) => rebuilt.push(req),
    () => t.fail('no reply was passed on'),
  );
  t.deepEqual(rebuilt, [{ type: 'req', id: 12345678901, from: 3, hops: 1, path: 'baz', op: 'put', bucket: 'shopping', key: 'milk', value: '\xff1' }, { type: 'req', id: 2, from: 1, hops: 5, path: 'foo → bar → baz', op: 'get', bucket: 'b', key: '', value: '' } as Request]);
});
