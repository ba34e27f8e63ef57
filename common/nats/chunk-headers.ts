/**
 * Chunk metadata carried in NATS message headers, so that a payload that fits in one message
 * travels as it is (no headers) and only the pieces of a larger one are marked.
 */
import { headers, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { ChunkError, type ChunkMeta } from './chunks';

/** Header names. */
export const CHUNK_HEADERS = {
  transfer: 'Brine-Chunk-Transfer',
  position: 'Brine-Chunk',
  size: 'Brine-Chunk-Size',
  sha256: 'Brine-Chunk-Sha256',
} as const;

/**
 * Bytes kept free in every chunk message for NATS headers (ours, JetStream's `Nats-Msg-Id`
 * and the header block framing), since the server counts headers against max_payload.
 */
export const CHUNK_HEADER_RESERVE = 1024;

/** Used when the server's max_payload is not known: NATS's default of 1 MiB. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/** NATS headers describing `meta` (added to `into` when given). */
export function chunkHeaders(meta: ChunkMeta, into: MsgHdrs = headers()): MsgHdrs {
  into.set(CHUNK_HEADERS.transfer, meta.transferId);
  into.set(CHUNK_HEADERS.position, `${meta.index}/${meta.count}`);
  into.set(CHUNK_HEADERS.size, String(meta.size));
  into.set(CHUNK_HEADERS.sha256, meta.sha256);
  return into;
}

/** The chunk metadata of a message, undefined for a message that is not a chunk; throws ChunkError when malformed. */
export function readChunkHeaders(hdrs: MsgHdrs | undefined): ChunkMeta | undefined {
  if (!hdrs || !hdrs.has(CHUNK_HEADERS.transfer)) return undefined;
  const position = /^(\d{1,9})\/(\d{1,9})$/.exec(hdrs.get(CHUNK_HEADERS.position));
  const size = hdrs.get(CHUNK_HEADERS.size);
  if (!position || !/^\d{1,15}$/.test(size)) throw new ChunkError('malformed chunk headers');
  return {
    transferId: hdrs.get(CHUNK_HEADERS.transfer),
    index: Number(position[1]),
    count: Number(position[2]),
    size: Number(size),
    sha256: hdrs.get(CHUNK_HEADERS.sha256),
  };
}

/** The largest chunk that fits in one message on the server `nc` is connected to. */
export function maxChunkBytes(nc: NatsConnection): number {
  const maxPayload = nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
  return Math.max(1, maxPayload - CHUNK_HEADER_RESERVE);
}
