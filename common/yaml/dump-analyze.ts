/**
 * Which scalar styles can carry a given text, by libyaml's rules: indicators, leading/trailing
 * spaces and breaks, and characters that only a double-quoted scalar can escape.
 */
import { codePoints, isBlankOrEnd, isBreak, isPrintable } from './dump-chars';

/** What the emitter may do with one scalar text. */
export interface ScalarAnalysis {
  text: string;
  /** The text as code points. */
  chars: number[];
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
}

const LEADING_INDICATORS = new Set('#,[]{}&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));
const FLOW_INDICATORS = new Set(',?[]{}'.split('').map((c) => c.charCodeAt(0)));
const SPACE = 0x20;

/** Analyse `text` the way libyaml's emitter does before choosing a style. */
export function analyzeScalar(text: string): ScalarAnalysis {
  const chars = codePoints(text);
  if (chars.length === 0) {
    return { text, chars, multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;

  if (text.startsWith('---') || text.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;
  const last = chars.length - 1;

  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const followedByWhitespace = isBlankOrEnd(chars[i + 1]);
    if (i === 0) {
      if (LEADING_INDICATORS.has(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      }
      if (ch === 0x3f /* ? */ || ch === 0x3a /* : */) {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === 0x2d /* - */ && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (FLOW_INDICATORS.has(ch)) flowIndicators = true;
      if (ch === 0x3a /* : */) {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === 0x23 /* # */ && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (!isPrintable(ch)) special = true;
    if (isBreak(ch)) lineBreaks = true;

    if (ch === SPACE) {
      if (i === 0) leadingSpace = true;
      if (i === last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankOrEnd(ch);
  }

  let flowPlainAllowed = true;
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    flowPlainAllowed = false;
    blockPlainAllowed = false;
  }
  if (breakSpace) {
    flowPlainAllowed = false;
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    flowPlainAllowed = false;
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (lineBreaks) {
    flowPlainAllowed = false;
    blockPlainAllowed = false;
  }
  if (flowIndicators) flowPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { text, chars, multiline: lineBreaks, flowPlainAllowed, blockPlainAllowed, singleQuotedAllowed };
}
