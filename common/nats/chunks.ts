/**
 * Payloads larger than NATS's max_payload, split into numbered chunks and put back together.
 * Each chunk carries its transfer id, index, the chunk count, the total size and the sha256
 * of the whole payload; the receiver keeps a bounded buffer of unfinished transfers, drops
 * those that stall, and hands out a payload only when its sha256 matches. Transport-neutral:
 * chunked.ts and durable.ts map the metadata to NATS headers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { BrineError } from '../errors';

/** What identifies a chunk within its transfer. */
export interface ChunkMeta {
  /** Same for every chunk of one payload ([A-Za-z0-9_-], at most 64 characters). */
  transferId: string;
  /** 0-based position. */
  index: number;
  /** Number of chunks of the payload. */
  count: number;
  /** Size of the whole payload in bytes. */
  size: number;
  /** sha256 of the whole payload, lowercase hex. */
  sha256: string;
}

/** One piece of a payload. */
export interface Chunk {
  meta: ChunkMeta;
  data: Uint8Array;
}

/** A chunk was malformed, conflicted with its transfer, overflowed the buffer, or the payload failed its sha256. */
export class ChunkError extends BrineError {}

const TRANSFER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Lowercase hex sha256 of `data`. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A fresh random transfer id. */
export function newTransferId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Split `payload` into chunks of at most `maxChunkBytes` (an empty payload is one empty chunk).
 * `transferId` defaults to a random one.
 */
export function splitPayload(payload: Uint8Array, maxChunkBytes: number, transferId: string = newTransferId()): Chunk[] {
  if (!Number.isInteger(maxChunkBytes) || maxChunkBytes < 1) throw new ChunkError(`chunk size must be a positive integer, not ${maxChunkBytes}`);
  if (!TRANSFER_ID.test(transferId)) throw new ChunkError(`invalid transfer id ${JSON.stringify(transferId)}`);
  const count = Math.max(1, Math.ceil(payload.length / maxChunkBytes));
  const sha256 = sha256Hex(payload);
  const chunks: Chunk[] = [];
  for (let index = 0; index < count; index++) {
    const data = payload.subarray(index * maxChunkBytes, Math.min(payload.length, (index + 1) * maxChunkBytes));
    chunks.push({ meta: { transferId, index, count, size: payload.length, sha256 }, data });
  }
  return chunks;
}

/** Limits of an assembler. */
export interface ChunkAssemblerOptions {
  /** Largest payload accepted (default 256 MiB). */
  maxTransferBytes?: number;
  /** Most bytes held for all unfinished transfers together (default 512 MiB). */
  maxBufferedBytes?: number;
  /** Most unfinished transfers at once (default 64). */
  maxTransfers?: number;
  /** A transfer not finished this long after its first chunk is dropped (default 60 000 ms). */
  timeoutMs?: number;
  /** How many finished transfer ids are remembered to recognise repeated chunks (default 1024; 0 = none). */
  rememberFinished?: number;
  /** Told when an unfinished transfer is dropped, with the reason and its kind. */
  onDrop?: (transferId: string, reason: string, kind: DropKind) => void;
}

/**
 * Why a transfer was dropped: it stalled (`timeout`), did not fit (`overflow`), its chunks
 * were inconsistent or failed the sha256 (`integrity`), or the assembler was closed.
 */
export type DropKind = 'timeout' | 'overflow' | 'integrity' | 'closed';

/** The buffer limits refused a chunk: the same chunk may fit later. */
export class ChunkOverflowError extends ChunkError {}

/** The outcome of adding a chunk. */
export type ChunkResult =
  | { status: 'complete'; transferId: string; payload: Uint8Array }
  | { status: 'partial'; transferId: string; received: number; count: number }
  | { status: 'duplicate'; transferId: string };

interface Transfer {
  meta: ChunkMeta;
  parts: (Uint8Array | undefined)[];
  received: number;
  bytes: number;
  timer: NodeJS.Timeout;
}

/** Check what a chunk claims, before trusting any of it. */
export function validateChunkMeta(meta: ChunkMeta, dataLength: number, maxTransferBytes: number): void {
  const { transferId, index, count, size, sha256 } = meta;
  if (!TRANSFER_ID.test(transferId)) throw new ChunkError(`invalid chunk transfer id ${JSON.stringify(transferId)}`);
  if (!SHA256_HEX.test(sha256)) throw new ChunkError(`invalid chunk sha256 in transfer ${transferId}`);
  if (!Number.isSafeInteger(size) || size < 0) throw new ChunkError(`invalid payload size ${size} in transfer ${transferId}`);
  if (size > maxTransferBytes) throw new ChunkError(`transfer ${transferId} of ${size} bytes exceeds the limit of ${maxTransferBytes} bytes`);
  if (!Number.isInteger(count) || count < 1 || count > Math.max(1, size)) throw new ChunkError(`invalid chunk count ${count} in transfer ${transferId}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new ChunkError(`invalid chunk index ${index}/${count} in transfer ${transferId}`);
  if (dataLength > size) throw new ChunkError(`chunk ${index}/${count} of transfer ${transferId} is larger than the payload`);
}

/** Reassembles chunked payloads within fixed memory and time bounds. */
export class ChunkAssembler {
  private readonly transfers = new Map<string, Transfer>();
  private readonly finished = new Set<string>();
  private buffered = 0;
  private readonly maxTransferBytes: number;
  private readonly maxBufferedBytes: number;
  private readonly maxTransfers: number;
  private readonly timeoutMs: number;
  private readonly rememberFinished: number;

  constructor(private readonly opts: ChunkAssemblerOptions = {}) {
    this.maxTransferBytes = opts.maxTransferBytes ?? 256 * 1024 * 1024;
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 512 * 1024 * 1024;
    this.maxTransfers = opts.maxTransfers ?? 64;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.rememberFinished = opts.rememberFinished ?? 1024;
  }

  /** Unfinished transfers. */
  get pendingTransfers(): number {
    return this.transfers.size;
  }

  /** Bytes held for unfinished transfers. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /**
   * Add a chunk. Returns the payload when it completes the transfer (sha256 checked), else
   * `partial`, or `duplicate` for a chunk already received. Throws ChunkError for a chunk that
   * is malformed, contradicts its transfer, would overflow the buffer, or completes a payload
   * whose sha256 does not match (the transfer is then dropped).
   */
  add(chunk: Chunk): ChunkResult {
    const { meta, data } = chunk;
    validateChunkMeta(meta, data.length, this.maxTransferBytes);
    const id = meta.transferId;
    if (this.finished.has(id)) return { status: 'duplicate', transferId: id };
    let transfer = this.transfers.get(id);
    if (!transfer) {
      if (meta.count === 1) return this.complete(id, meta, [data]);
      if (this.transfers.size >= this.maxTransfers) {
        throw new ChunkOverflowError(`too many unfinished transfers (${this.maxTransfers}); transfer ${id} refused`);
      }
      const timer = setTimeout(() => this.drop(id, `not complete after ${this.timeoutMs} ms`, 'timeout'), this.timeoutMs);
      timer.unref();
      transfer = { meta: { ...meta }, parts: new Array<Uint8Array | undefined>(meta.count).fill(undefined), received: 0, bytes: 0, timer };
      this.transfers.set(id, transfer);
    } else if (transfer.meta.count !== meta.count || transfer.meta.size !== meta.size || transfer.meta.sha256 !== meta.sha256) {
      this.drop(id, 'chunks disagree on count, size or sha256', 'integrity');
      throw new ChunkError(`chunk ${meta.index}/${meta.count} contradicts transfer ${id}; transfer dropped`);
    }
    if (transfer.parts[meta.index] !== undefined) return { status: 'duplicate', transferId: id };
    if (transfer.bytes + data.length > meta.size) {
      this.drop(id, 'more bytes than announced', 'integrity');
      throw new ChunkError(`transfer ${id} received more bytes than its announced ${meta.size}; transfer dropped`);
    }
    if (this.buffered + data.length > this.maxBufferedBytes) {
      this.drop(id, 'buffer full', 'overflow');
      throw new ChunkOverflowError(`chunk buffer full (${this.maxBufferedBytes} bytes); transfer ${id} dropped`);
    }
    transfer.parts[meta.index] = data;
    transfer.received += 1;
    transfer.bytes += data.length;
    this.buffered += data.length;
    if (transfer.received < meta.count) return { status: 'partial', transferId: id, received: transfer.received, count: meta.count };
    this.forget(id);
    return this.complete(id, meta, transfer.parts as Uint8Array[]);
  }

  /** Drop an unfinished transfer (its chunks are discarded). */
  drop(transferId: string, reason: string, kind: DropKind): void {
    if (!this.transfers.has(transferId)) return;
    this.forget(transferId);
    this.opts.onDrop?.(transferId, reason, kind);
  }

  /** Drop everything and stop all timers. */
  close(): void {
    for (const id of [...this.transfers.keys()]) this.drop(id, 'assembler closed', 'closed');
  }

  private forget(id: string): void {
    const transfer = this.transfers.get(id);
    if (!transfer) return;
    clearTimeout(transfer.timer);
    this.buffered -= transfer.bytes;
    this.transfers.delete(id);
  }

  private complete(id: string, meta: ChunkMeta, parts: Uint8Array[]): ChunkResult {
    const payload = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    if (payload.length !== meta.size || sha256Hex(payload) !== meta.sha256) {
      this.opts.onDrop?.(id, 'sha256 or size mismatch', 'integrity');
      throw new ChunkError(`transfer ${id} failed its integrity check (size or sha256 mismatch); payload dropped`);
    }
    if (meta.count > 1 && this.rememberFinished > 0) {
      this.finished.add(id);
      if (this.finished.size > this.rememberFinished) {
        const oldest = this.finished.values().next().value;
        if (oldest !== undefined) this.finished.delete(oldest);
      }
    }
    return { status: 'complete', transferId: id, payload };
  }
}
