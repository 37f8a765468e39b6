/** ReplyBudget without a socket: the window it opens for small replies and the bound it keeps for big ones. */
import test from 'ava';
import { ReplyBudget } from '../../src/server/budget.js';

const MiB = 1 << 20;

/**
 * Rounds of what a connection to a reading client does: dispatch while admitted (at most
 * `max`, the in-flight limit), every reply of `size` bytes arrives and is written, the socket
 * takes it and the event loop turns. Returns the number dispatched in each round.
 */
function windows(b: ReplyBudget, size: number, rounds: number, max = 256): number[] {
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    for (; n < max && b.admits(0); n++) b.dispatched();
    for (let i = 0; i < n; i++) b.arrived(size);
    b.written(n * size);
    b.turned();
    out.push(n);
  }
  return out;
}

test('a new connection runs 16 commands at once, then widens its window to the in-flight limit as small replies arrive', (t) => {
  const b = new ReplyBudget(4 * MiB);
  const ws = windows(b, 4, 10);
  t.log(ws.join(' '));
  t.is(ws[0], 16, 'nothing is known of the replies yet');
  t.true(
    ws.every((w, i) => i === 0 || w >= (ws[i - 1] as number)),
    'the window only widens',
  );
  t.is(ws.at(-1), 256, 'full within 10 rounds');
  t.is(b.held, 0);
  t.is(b.pending, 0);
});

test('1 MB replies to a client that never reads: held, buffered and expected bytes stay under the limit plus one reply', (t) => {
  const b = new ReplyBudget(4 * MiB);
  const size = 1_000_006;
  t.deepEqual(windows(b, size, 2), [16, 5], 'the first window learns the size; the next holds five of them');
  let buffered = 0;
  let dispatched = 0;
  // The socket never drains; each round the connection runs what is admitted, then writes what fits.
  for (let round = 0; round < 100; round++) {
    let n = 0;
    for (; b.admits(buffered); n++) b.dispatched();
    for (let i = 0; i < n; i++) b.arrived(size);
    dispatched += n;
    let out = 0;
    while (out < b.room(buffered) && out < b.held) out += size;
    b.written(out);
    buffered += out;
    b.turned();
    t.true(b.held + buffered <= 4 * MiB + size, `round ${round}: ${b.held} held + ${buffered} buffered`);
  }
  t.is(dispatched, 5, 'four replies fill the limit; the fifth, read while under it, is the one reply beyond');
  t.false(b.admits(buffered));
  t.is(b.pending, 0);
});

test('a reply bigger than the limit is served alone, and the next waits until the socket has taken it', (t) => {
  const b = new ReplyBudget(64 * 1024);
  b.dispatched();
  b.arrived(100_000);
  b.written(100_000);
  b.turned();
  t.true(b.admits(0));
  b.dispatched();
  t.false(b.admits(0), 'one at a time once a reply bigger than the limit was seen');
  b.arrived(100_000);
  t.is(b.held, 100_000);
  t.false(b.admits(0));
  t.is(b.room(0), 64 * 1024, 'there is room to start writing it (replies are written whole)');
  b.written(100_000);
  t.is(b.held, 0);
  t.false(b.admits(0), 'sent in this turn of the event loop');
  t.true(b.room(0) < 0);
  b.turned();
  t.false(b.admits(100_000), 'the socket still buffers it');
  t.true(b.admits(0), 'the socket took it: the next command runs');
});

test('bytes sent in one turn of the event loop count against the limit until it turns, even once the socket took them', (t) => {
  const b = new ReplyBudget(MiB);
  b.ready(600_000);
  t.true(b.admits(0));
  b.written(600_000);
  t.is(b.sent, 600_000);
  t.is(b.room(0), MiB - 600_000);
  t.is(b.room(700_000), MiB - 700_000, 'the larger of buffered and sent counts, not both');
  b.ready(600_000);
  b.written(600_000);
  t.false(b.admits(0));
  t.is(b.room(0), MiB - 1_200_000);
  b.turned();
  t.is(b.sent, 0);
  t.true(b.admits(0));
});

test('one big reply narrows a wide window; small replies widen it again', (t) => {
  const b = new ReplyBudget(4 * MiB);
  t.is(windows(b, 4, 20).at(-1), 256);
  t.deepEqual(windows(b, 1_000_000, 1), [256], 'its size was not known when it was read');
  const after = windows(b, 4, 40);
  t.log(after.join(' '));
  t.is(after[0], 5, 'the next window expects replies of that size: four under the limit and the one beyond');
  t.is(after.at(-1), 256);
});
