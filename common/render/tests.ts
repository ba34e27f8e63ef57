/**
 * Jinja 3.1's tests (`x is defined`, `is mapping`, `is divisibleby 3`, ...) plus Salt's
 * (`match`, `equalto`, `list`).
 */
import { bindArgs } from './call-args';
import { pyMatch } from './python-regex';
import { compare, contains, truth } from './python-ops';
import { pyIsCase } from './python-strings';
import { DictView, PyFloat, PyTuple, isDict, isNumeric, isStr, num, strValue } from './python-types';
import { pyStr } from './python-repr';
import type { TestFn } from './registry';
import { FILTERS, TESTS } from './registry';
import { isUndefined } from './undefined';

function cmpTest(op: string): TestFn {
  return (v, ...args) => compare(op, v, bindArgs(op, args, ['other']).values[0]);
}

function isSequence(v: unknown): boolean {
  return isStr(v) || Array.isArray(v) || isDict(v);
}

/** Jinja's and Salt's tests by name. */
export const JINJA_TESTS: Record<string, TestFn> = {
  defined: (v) => !isUndefined(v),
  undefined: (v) => isUndefined(v),
  none: (v) => v === null || v === undefined,
  boolean: (v) => typeof v === 'boolean',
  false: (v) => v === false,
  true: (v) => v === true,
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v)),
  number: (v) => isNumeric(v),
  string: (v) => isStr(v),
  mapping: (v) => isDict(v),
  sequence: (v) => isSequence(v),
  iterable: (v) => isSequence(v),
  callable: (v) => typeof v === 'function',
  sameas: (v, ...args) => {
    const [other] = bindArgs('sameas', args, ['other']).values;
    return v === other || ((v === null || v === undefined) && (other === null || other === undefined));
  },
  escaped: () => false,
  in: (v, ...args) => contains(bindArgs('in', args, ['seq']).values[0], v),
  lower: (v) => pyIsCase(pyStr(v), true),
  upper: (v) => pyIsCase(pyStr(v), false),
  even: (v) => num(v as number) % 2 === 0,
  odd: (v) => Math.abs(num(v as number) % 2) === 1,
  divisibleby: (v, ...args) => num(v as number) % num(bindArgs('divisibleby', args, ['num']).values[0] as number) === 0,
  eq: cmpTest('=='),
  equalto: cmpTest('=='),
  '==': cmpTest('=='),
  ne: cmpTest('!='),
  '!=': cmpTest('!='),
  lt: cmpTest('<'),
  lessthan: cmpTest('<'),
  '<': cmpTest('<'),
  le: cmpTest('<='),
  '<=': cmpTest('<='),
  gt: cmpTest('>'),
  greaterthan: cmpTest('>'),
  '>': cmpTest('>'),
  ge: cmpTest('>='),
  '>=': cmpTest('>='),
  filter: (v) => isStr(v) && Object.prototype.hasOwnProperty.call(FILTERS, strValue(v)),
  test: (v) => isStr(v) && Object.prototype.hasOwnProperty.call(TESTS, strValue(v)),
  // Salt's tests (salt/utils/jinja.py, salt/utils/data.py)
  match: (v, ...args) => {
    const [rgx, ignorecase, multiline] = bindArgs('match', args, ['rgx', ['ignorecase', false], ['multiline', false]]).values;
    return pyMatch(pyStr(rgx), pyStr(v), { ignorecase: truth(ignorecase), multiline: truth(multiline) }) !== null;
  },
  list: (v) => Array.isArray(v) && !(v instanceof PyTuple) && !(v instanceof DictView),
};
