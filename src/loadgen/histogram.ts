/**
 * A latency histogram with log-spaced buckets (32 per doubling, about 2 % wide): constant
 * memory whatever the run length, and mergeable across client threads as plain numbers.
 */

const PER_OCTAVE = 32;
const BUCKETS = 32 * PER_OCTAVE + 1;

/** Counts of latencies in µs. */
export class Histogram {
  readonly counts: number[];
  total = 0;

  constructor(counts?: readonly number[]) {
    this.counts = counts === undefined ? new Array<number>(BUCKETS).fill(0) : [...counts];
    for (const c of this.counts) this.total += c;
  }

  /** Records one latency of `us` microseconds. */
  record(us: number): void {
    const i = us < 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log2(us) * PER_OCTAVE) + 1);
    this.counts[i] = (this.counts[i] as number) + 1;
    this.total++;
  }

  /** Adds another histogram's counts to this one. */
  merge(other: { readonly counts: readonly number[] }): void {
    for (let i = 0; i < BUCKETS; i++) {
      const c = other.counts[i] ?? 0;
      this.counts[i] = (this.counts[i] as number) + c;
      this.total += c;
    }
  }

  /** The latency (µs, upper edge of its bucket) below which a fraction `p` of the samples fall; NaN if empty. */
  percentile(p: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil(p * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] as number;
      if (seen >= rank) return i === 0 ? 1 : 2 ** (i / PER_OCTAVE);
    }
    return Infinity;
  }
}
