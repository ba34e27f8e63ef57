/** Errors of Brine's NATS setup that an operator must act on. */
import { BrineError } from '../errors';

/** A JetStream stream or consumer exists with settings Brine cannot change, or could not be set up. */
export class NatsSetupError extends BrineError {}

/** A durable publish was not acknowledged by JetStream after all its attempts. */
export class DurablePublishError extends BrineError {}
