/** The messages between a RenderPool and its worker threads. */
import type { RenderRequest, RenderResult } from './request';
import type { MasterRenderSettings } from './settings';

/** What a worker thread is started with. */
export interface RenderWorkerData {
  settings: MasterRenderSettings;
}

/** Pool -> worker: render this request; `seq` pairs the answer with it. */
export interface RenderJob {
  seq: number;
  req: RenderRequest;
}

/** Worker -> pool: the result of job `seq`. */
export interface RenderAnswer {
  seq: number;
  result: RenderResult;
}
