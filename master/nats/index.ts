/** The master's nats-server: supervision of Debian's binary, or adoption of an external cluster. */
export * from './master-nats';
export * from './server';
export * from './binary';
export * from './config-file';
export * from './errors';
