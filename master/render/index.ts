/** The master's renderer: pillar and compiled states per minion, in worker threads. */
export { compileForMinion } from './compile-for-minion';
export { RenderPool, RenderPoolError, type RenderPoolOptions } from './pool';
export type { RenderRequest, RenderResult } from './request';
export { renderSettingsOf, type MasterRenderSettings } from './settings';
