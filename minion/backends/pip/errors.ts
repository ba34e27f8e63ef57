/** The error of the pip backend (Salt's CommandExecutionError / CommandNotFoundError of salt.modules.pip). */
import { BrineError } from '../../../common/errors';

/** pip could not be found or run, or refused its arguments; the message is Salt's. */
export class PipError extends BrineError {}
