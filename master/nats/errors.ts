/**
 * Errors of the master's own nats-server: missing binary, a server that will not start,
 * or one that keeps dying. Messages say what the operator can do about it.
 */
import { BrineError } from '../../common/errors';

/** The nats-server binary could not be found or run. */
export class NatsServerMissingError extends BrineError {}

/** nats-server did not start, or did not become ready in time; the message ends with its last output. */
export class NatsServerStartError extends BrineError {}
