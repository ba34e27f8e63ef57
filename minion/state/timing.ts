/** Salt's timing fields: `start_time` as Python's time().isoformat(), `duration` in milliseconds. */

/** A started stopwatch: the wall-clock start (ms since the epoch, fractional) and a monotonic origin. */
export interface Stopwatch {
  readonly wallMs: number;
  readonly mono: bigint;
}

/** Start timing a state. */
export function startStopwatch(): Stopwatch {
  return { wallMs: performance.timeOrigin + performance.now(), mono: process.hrtime.bigint() };
}

/** Local time of day like Python's `datetime.time.isoformat()` (`HH:MM:SS.ffffff`, fraction omitted when zero). */
export function isoTimeOfDay(d: Date, micro = d.getMilliseconds() * 1000): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return micro ? `${base}.${p(micro, 6)}` : base;
}

/** `start_time` and `duration` (ms, microsecond precision) of a finished stopwatch. */
export function stopStopwatch(sw: Stopwatch): { start_time: string; duration: number } {
  const elapsedNs = process.hrtime.bigint() - sw.mono;
  const duration = Number(elapsedNs / 1000n) / 1000;
  const whole = Math.floor(sw.wallMs);
  const micro = new Date(whole).getMilliseconds() * 1000 + Math.floor((sw.wallMs - whole) * 1000);
  return { start_time: isoTimeOfDay(new Date(whole), micro), duration };
}
