/**
 * The shapes every matcher shares: what a matcher knows about a minion, the target types
 * Salt's CLI flags and top-file `match:` keys name, and the options they take.
 */
import type { Dict } from '../types';

/** What a matcher knows about one minion. */
export interface MinionFacts {
  id: string;
  grains: Dict;
  pillar: Dict;
}

/** Salt's target types (`salt -E/-L/-G/-P/-I/-J/-S/-C/-N`, `tgt_type`, top-file `match:`). */
export type TargetType =
  | 'glob'
  | 'pcre'
  | 'list'
  | 'grain'
  | 'grain_pcre'
  | 'pillar'
  | 'pillar_pcre'
  | 'pillar_exact'
  | 'ipcidr'
  | 'compound'
  | 'nodegroup';

/** Every target type, in Salt's documentation order. */
export const TARGET_TYPES: readonly TargetType[] = [
  'glob',
  'pcre',
  'list',
  'grain',
  'grain_pcre',
  'pillar',
  'pillar_pcre',
  'pillar_exact',
  'ipcidr',
  'compound',
  'nodegroup',
];

/** Options of a match: the configured nodegroups, and the key delimiter of grain/pillar targets. */
export interface MatchOptions {
  nodegroups?: Record<string, string | string[]>;
  /** Separates nested keys in grain and pillar targets (`-G`, `-I`, ...); default ':'. */
  delimiter?: string;
}

/** A compiled target: whether one minion matches it. */
export type MinionPredicate = (minion: MinionFacts) => boolean;
