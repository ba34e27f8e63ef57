/** Checks shared by the matchers: the target is a non-empty string where one is required. */
import { ValidationError } from '../errors';

/** The target as a string; refuses lists and empty or blank targets. */
export function stringTarget(expr: unknown, what: string): string {
  if (typeof expr !== 'string') {
    throw new ValidationError(`a ${what} target must be a string, got ${describe(expr)}`);
  }
  if (expr.trim() === '') throw new ValidationError(`empty ${what} target`);
  return expr;
}

/** A short description of a value's type for messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value === 'object' ? 'mapping' : typeof value}`;
}
