/**
 * The `retry` global state argument: its configuration (Salt's `verify_retry_data`) and the
 * comments Salt writes when a state is retried, serially or in a parallel branch.
 */
import type { Dict } from '../../common/types';

/** A validated `retry` setting. */
export interface RetryConfig {
  until: boolean;
  attempts: number;
  splay: number;
  interval: number;
}

/** Salt's retry defaults, with any valid keys of the chunk's `retry` value applied. */
export function retryConfig(v: unknown): RetryConfig {
  const defaults: RetryConfig = { until: true, attempts: 2, splay: 0, interval: 30 };
  if (v === true) return defaults;
  if (v === false) return { ...defaults, attempts: 0 };
  if (v && typeof v === 'object') {
    const d = v as Dict;
    return {
      until: typeof d.until === 'boolean' ? d.until : defaults.until,
      attempts: Number.isInteger(d.attempts) ? (d.attempts as number) : defaults.attempts,
      splay: Number.isInteger(d.splay) ? (d.splay as number) : defaults.splay,
      interval: Number.isInteger(d.interval) ? (d.interval as number) : defaults.interval,
    };
  }
  return defaults;
}

/** Python's rendering of a state result: `True`, `False` or `None`. */
export function pyBool(v: boolean | null): string {
  return v === null ? 'None' : v ? 'True' : 'False';
}

/** Seconds to wait before the next attempt: the interval plus a random splay. */
export function retryInterval(cfg: RetryConfig): number {
  return cfg.interval + (cfg.splay ? Math.floor(Math.random() * (cfg.splay + 1)) : 0);
}

/** In test mode the state is not retried; Salt says how it would be. */
export function retryTestComment(comment: string, cfg: RetryConfig): string {
  return `${comment}  The state would be retried every ${cfg.interval} seconds (with a splay of up to ${cfg.splay} seconds) a maximum of ${cfg.attempts} times or until a result of ${pyBool(cfg.until)} is returned`;
}

/** Comment of a serial retry: the previous attempt's outcome, then the new comment. */
export function serialRetryComment(attempt: number, prev: { result: boolean | null; comment: string }, next: string): string {
  return `Attempt ${attempt}: Returned a result of "${pyBool(prev.result)}", with the following comment: "${prev.comment}"\n${next}`;
}

/**
 * Comment of a retry inside a parallel branch (Salt's `_call_parallel_target`): the comments
 * so far, then the new attempt's own result and comment (nothing when it gave no comment).
 */
export function parallelRetryComment(attempt: number, sofar: string, next: { result: boolean | null; comment: string }): string {
  const line = next.comment
    ? `Attempt ${attempt}: Returned a result of "${pyBool(next.result)}", with the following comment: "${next.comment}"`
    : '';
  return `${sofar}\n${line}`;
}
