/** Brine's bus protocol: subjects, payloads and their checks, shared by master, minion and CLI. */
export * from './subjects';
export * from './messages';
export * from './orch';
export * from './handlers';
