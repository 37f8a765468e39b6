/** The rounding and the quantiles a scenario report's figures share. Pure. */

/** `x` to `digits` decimals. */
export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/** The `q` quantile (0 < q ≤ 1) of ascending `sorted`, rounded: the smallest value with at least `q` of them at or below it (NaN for none). */
export function quantile(sorted: readonly number[], q: number): number {
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN);
}
