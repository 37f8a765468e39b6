/** Argument checks of the simulation's API: each failure is KV_ERR_BAD_ARGUMENT naming the call, the field, the rule and the value. */
import { Errors } from '../protocol/errors.js';

/** What a number must be. */
export type NumberRule = 'finite' | '≥ 0' | '> 0' | 'probability';

/** Throws unless `value` is a finite number meeting `rule`. */
export function checkNumber(where: string, name: string, value: unknown, rule: NumberRule): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && (rule === 'finite' || (rule === '≥ 0' ? value >= 0 : rule === '> 0' ? value > 0 : value >= 0 && value <= 1));
  if (ok) return;
  const must = rule === 'probability' ? 'a probability in [0, 1]' : rule === 'finite' ? 'a finite number' : `a finite number ${rule}`;
  throw Errors.badArgument(`${where}: ${name} must be ${must}, got ${String(value)}`);
}

/** Throws unless `value` is an owner's name: a non-empty string. */
export function checkOwner(where: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw Errors.badArgument(`${where}: an owner must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}
