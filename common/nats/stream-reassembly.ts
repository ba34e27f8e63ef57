/**
 * Turning JetStream messages back into whole payloads: plain messages pass through, chunks
 * are held (not acknowledged) until their transfer is complete. What happens to the chunks of
 * a transfer that cannot be completed now depends on why: inconsistent or corrupt chunks are
 * terminated (never redelivered); a stalled or overflowing transfer is handed back to
 * JetStream for a later redelivery, and terminated after `maxChunkDeliveries` tries.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { readChunkHeaders } from './chunk-headers';
import { ChunkAssembler, ChunkOverflowError, type ChunkAssemblerOptions, type DropKind } from './chunks';

/** A whole message read from a stream. */
export interface StreamMessage {
  subject: string;
  data: Uint8Array;
  /** Stream sequence (of the last chunk for a chunked payload). */
  seq: number;
  /** How many times it was delivered (1 the first time). */
  deliveryCount: number;
  /** When it was stored. */
  time: Date;
}

/** A whole message and the stream messages that carried it (to acknowledge together). */
export interface Delivery {
  message: StreamMessage;
  parts: JsMsg[];
}

/** Options of reassembly from a stream. */
export interface StreamReassemblyOptions {
  assembler?: ChunkAssemblerOptions;
  /** Deliveries of a stalled chunk before it is terminated (default 5). */
  maxChunkDeliveries?: number;
  /** Delay of the redelivery of chunks handed back (default 5000 ms). */
  retryDelayMs?: number;
  /** Whether messages can be handed back at all (false for ordered consumers, which do not acknowledge). */
  acknowledges?: boolean;
}

/** Reassembles chunked JetStream messages; call `push` with every message received. */
export class StreamReassembler {
  private readonly held = new Map<string, Map<number, JsMsg>>();
  private readonly assembler: ChunkAssembler;
  private readonly maxChunkDeliveries: number;
  private readonly retryDelayMs: number;
  private readonly acknowledges: boolean;

  constructor(
    opts: StreamReassemblyOptions = {},
    private readonly report: (e: Error) => void = () => {},
  ) {
    this.maxChunkDeliveries = opts.maxChunkDeliveries ?? 5;
    this.retryDelayMs = opts.retryDelayMs ?? 5000;
    this.acknowledges = opts.acknowledges ?? true;
    this.assembler = new ChunkAssembler({
      ...opts.assembler,
      // a redelivered chunk of a payload already handed out may belong to a failed handling: reassemble it again
      rememberFinished: 0,
      onDrop: (id, reason, kind) => {
        opts.assembler?.onDrop?.(id, reason, kind);
        this.release(id, reason, kind);
      },
    });
  }

  /** The whole message `m` completes, if any (a plain message completes itself). */
  push(m: JsMsg): Delivery | undefined {
    let meta;
    try {
      meta = readChunkHeaders(m.headers);
    } catch (e) {
      this.report(e as Error);
      this.giveBack([m], 'malformed chunk headers', 'integrity');
      return undefined;
    }
    if (!meta) return { message: toStreamMessage(m, m.data), parts: [m] };
    let result;
    try {
      result = this.assembler.add({ meta, data: m.data });
    } catch (e) {
      this.report(e as Error);
      this.giveBack([m], (e as Error).message, e instanceof ChunkOverflowError ? 'overflow' : 'integrity');
      return undefined;
    }
    const parts = this.held.get(meta.transferId) ?? new Map<number, JsMsg>();
    parts.set(meta.index, m); // for a redelivered chunk, acknowledge the newest delivery
    if (result.status !== 'complete') {
      this.held.set(meta.transferId, parts);
      return undefined;
    }
    this.held.delete(meta.transferId);
    const ordered = [...parts.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
    return { message: toStreamMessage(m, result.payload), parts: ordered };
  }

  /** Drop unfinished transfers, handing their chunks back to JetStream for redelivery now. */
  close(): void {
    const held = [...this.held.values()].flatMap((parts) => [...parts.values()]);
    this.held.clear();
    this.assembler.close();
    if (this.acknowledges) for (const part of held) part.nak();
  }

  private release(transferId: string, reason: string, kind: DropKind): void {
    const parts = this.held.get(transferId);
    if (!parts) return;
    this.held.delete(transferId);
    if (kind === 'closed') return;
    this.report(new Error(`chunked message ${transferId} dropped: ${reason}`));
    this.giveBack([...parts.values()], reason, kind);
  }

  private giveBack(parts: JsMsg[], reason: string, kind: DropKind): void {
    if (!this.acknowledges) return;
    for (const part of parts) {
      if (kind === 'integrity' || part.info.deliveryCount >= this.maxChunkDeliveries) part.term(reason);
      else part.nak(this.retryDelayMs);
    }
  }
}

function toStreamMessage(m: JsMsg, data: Uint8Array): StreamMessage {
  return { subject: m.subject, data, seq: m.seq, deliveryCount: m.info.deliveryCount, time: m.time };
}
