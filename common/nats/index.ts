/** Brine's NATS client side, shared by master and minion: connection, streams, durable and chunked messaging. */
export * from './connect';
export * from './streams';
export * from './durable-publish';
export * from './durable-consume';
export * from './ordered';
export * from './chunks';
export * from './chunk-headers';
export * from './chunked';
export * from './errors';
export * from './reconnect-pacing';
