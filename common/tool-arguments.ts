/**
 * Names that end up in another program's argv (package, service, sysctl names and values):
 * refused when the program would read them as an option (a leading `-`) or when they carry
 * line breaks or other control characters. Commands run without a shell, so nothing else in a
 * name can become a command.
 */
import { ValidationError } from './errors';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** `value` when it is safe to hand to a tool as `what`; a ValidationError naming it otherwise. */
export function toolArgument(what: string, value: string): string {
  if (value.startsWith('-')) throw new ValidationError(`invalid ${what} ${JSON.stringify(value)}: a leading '-' would make it an option`);
  if (CONTROL.test(value)) throw new ValidationError(`invalid ${what} ${JSON.stringify(value)}: control characters (line breaks, ...) are not allowed`);
  return value;
}
