/**
 * The error apt operations raise, worded as Salt's CommandExecutionError: the message, then
 * "Additional info follows:" and the info dict in the nested outputter's layout.
 */
import { formatNestedText } from '../../../cli/output/nested-text';
import type { Dict } from '../../../common/types';

/** What went wrong besides the message: apt's error lines and the changes made anyway. */
export interface AptErrorInfo {
  errors?: string[];
  changes?: Dict;
}

function nested(data: unknown): string {
  return formatNestedText(data, { color: false });
}

/**
 * An apt/dpkg command failed. `message` is Salt's full text (with changes), `withoutChanges`
 * the text a state shows as its comment (Salt's strerror_without_changes).
 * Example: `new AptCommandError('Problem encountered installing package(s)', { errors: ['E: ...'], changes: {} })`.
 */
export class AptCommandError extends Error {
  readonly error: string;
  readonly info?: AptErrorInfo;
  readonly withoutChanges: string;

  constructor(error: string, info?: AptErrorInfo) {
    let prefix = error;
    let full = error;
    let withoutChanges = error;
    if (info && Object.keys(info).length) {
      if (prefix && !'.?!'.includes(prefix[prefix.length - 1])) prefix += '.';
      if (prefix) prefix += ' ';
      prefix += 'Additional info follows:\n\n';
      full = prefix + nested(info);
      const rest: Dict = { ...info };
      delete rest.changes;
      withoutChanges = Object.keys(rest).length ? prefix + nested(rest) : error;
    }
    super(full);
    this.name = 'AptCommandError';
    this.error = error;
    this.info = info;
    this.withoutChanges = withoutChanges;
  }

  /** The changes made before the failure (empty when none). */
  get changes(): Dict {
    return this.info?.changes ?? {};
  }
}
