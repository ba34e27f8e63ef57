/**
 * The last lines a nats-server printed (kept for error messages), forwarded line by line
 * to Brine's logger at the level nats-server gave them.
 */
import type { Readable } from 'node:stream';
import type { Logger } from '../../common/log';

/** A bounded record of the most recent output lines of a process. */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly maxLines = 40,
    private readonly onLine: (line: string) => void = () => {},
  ) {}

  /** Read `stream` to its end, recording and forwarding complete lines. */
  follow(stream: Readable): void {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.push(chunk));
    stream.on('end', () => this.flush());
  }

  /** Record raw text (possibly several or partial lines). */
  push(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.record(line);
  }

  /** Record what is left of an unterminated last line. */
  flush(): void {
    if (this.partial !== '') this.record(this.partial);
    this.partial = '';
  }

  /** The recorded lines, oldest first, joined by newlines. */
  text(): string {
    const pending = this.partial === '' ? [] : [this.partial];
    return [...this.lines, ...pending].join('\n');
  }

  private record(line: string): void {
    const clean = line.replace(/\r$/, '');
    if (clean === '') return;
    this.lines.push(clean);
    if (this.lines.length > this.maxLines) this.lines.shift();
    this.onLine(clean);
  }
}

/** Log a nats-server output line at its own level: [FTL]/[ERR] as errors, [WRN] as warnings, the rest as debug. */
export function logNatsServerLine(logger: Logger, line: string): void {
  const text = `nats-server: ${line}`;
  // the only plain password is the guest's, which is no secret: a client without credentials is the guest anyway
  if (/Plaintext passwords detected/.test(line)) logger.debug(text);
  // a minion whose key is not accepted (yet) tries its key first, then asks as the guest
  else if (/\[ERR\].* - authentication error - Nkey /.test(line)) logger.warning(text);
  else if (/\[(FTL|ERR)\]/.test(line)) logger.error(text);
  else if (/\[WRN\]/.test(line)) logger.warning(text);
  else logger.debug(text);
}
