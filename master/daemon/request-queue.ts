/**
 * A queue in front of a request handler that costs CPU (the auth handler: a signature checked,
 * a key file read, an answer signed). NATS hands messages to a subscription callback as it reads
 * them; handling each one there keeps the master from reading its socket while ten thousand
 * minions ask at once, until nats-server drops it as a slow consumer. Here the callback only
 * queues; the queue is served a time slice per event-loop turn, newest request first, and a
 * request that waited longer than its requester waits for an answer is dropped unanswered (the
 * requester has given up and asks again). An overloaded master thus answers requests while
 * their requesters still wait, quickly enough to arrive in time, instead of working through a
 * backlog in arrival order and answering each one just after its requester gave up; the
 * requests buried meanwhile expire, and their requesters' next attempts come out on top.
 */

/** How the queue serves. */
export interface RequestQueueOptions<T> {
  /** Handle one request. */
  handle: (request: T) => void;
  /** A request queued longer than this (ms) is dropped unhandled. */
  staleAfterMs: number;
  /** Most requests held; past this the oldest are dropped (default 100,000). */
  maxQueued?: number;
  /** Longest time (ms) spent handling requests before letting the event loop run (default 20). */
  sliceMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

interface Queued<T> {
  request: T;
  at: number;
}

/** A stack of requests served in time slices, newest first, dropping those that waited too long; see the module comment. */
export class RequestQueue<T> {
  private items: Queued<T>[] = [];
  private head = 0;
  private scheduled = false;
  private handled = 0;
  private dropped = 0;
  private readonly now: () => number;

  constructor(private readonly opts: RequestQueueOptions<T>) {
    this.now = opts.now ?? Date.now;
  }

  /** Requests waiting now. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** How many requests were handled and dropped since the last call. */
  takeCounts(): { handled: number; dropped: number } {
    const counts = { handled: this.handled, dropped: this.dropped };
    this.handled = this.dropped = 0;
    return counts;
  }

  /** Queue a request; it is handled on a later event-loop turn. */
  push(request: T): void {
    this.items.push({ request, at: this.now() });
    if (this.size > (this.opts.maxQueued ?? 100_000)) {
      this.head++;
      this.dropped++;
    }
    this.schedule();
  }

  /** Handle what is queued now, newest first, within one time slice; the rest waits for the next turn. */
  drain(): void {
    this.scheduled = false;
    const start = this.now();
    // the oldest are at the bottom: those past their time go first, unhandled
    while (this.head < this.items.length && start - this.items[this.head].at > this.opts.staleAfterMs) {
      this.head++;
      this.dropped++;
    }
    const sliceEnd = start + (this.opts.sliceMs ?? 20);
    while (this.items.length > this.head) {
      const item = this.items.pop() as Queued<T>;
      this.handled++;
      try {
        this.opts.handle(item.request);
      } catch {
        // the handler answers its own errors; one bad request must not stop the queue
      }
      if (this.now() >= sliceEnd) break;
    }
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (this.size > 0) this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }
}
