/**
 * A request/response client for line protocols over TCP (rotctld). One request in flight at a time, each with its
 * own timeout. A timeout means the peer went silent (rotctld does after an unknown command), so the connection is
 * dropped and the next request reconnects: a silent socket is never reused.
 */
import { Socket } from 'node:net';

export interface LineClientOptions {
  host: string;
  port: number;
  /** Per-request timeout. */
  timeoutMs: number;
  connectTimeoutMs?: number;
}

/** Decides, line by line, whether a response is complete. Returns true on the last line. */
export type ResponseDone = (line: string, linesSoFar: string[]) => boolean;

export class LineTimeoutError extends Error {}

interface Pending {
  lines: string[];
  done: ResponseDone;
  resolve: (lines: string[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class LineClient {
  private socket: Socket | null = null;
  private connecting: Promise<Socket> | null = null;
  private buffer = '';
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** How many times the connection was dropped and re-opened (for logs and tests). */
  reconnects = 0;
  private opened = 0;

  constructor(private readonly o: LineClientOptions) {}

  /** Sends one line and collects the response lines until `done` says it is complete. Requests are serialised. */
  request(line: string, done: ResponseDone): Promise<string[]> {
    const run = () => this.send(line, done);
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    this.drop(new Error('client closed'));
  }

  private async send(line: string, done: ResponseDone): Promise<string[]> {
    const socket = await this.ensureConnected();
    return new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        this.drop(new LineTimeoutError(`no reply to '${line}' within ${this.o.timeoutMs} ms`));
        reject(new LineTimeoutError(`${this.o.host}:${this.o.port}: no reply to '${line}' within ${this.o.timeoutMs} ms (connection dropped, will reconnect)`));
      }, this.o.timeoutMs);
      this.pending = { lines: [], done, resolve, reject, timer };
      socket.write(line + '\n');
    });
  }

  private ensureConnected(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    if (this.connecting) return this.connecting;
    this.connecting = new Promise<Socket>((resolve, reject) => {
      const s = new Socket();
      s.setNoDelay(true);
      s.setEncoding('utf8');
      const timer = setTimeout(() => {
        s.destroy();
        reject(new LineTimeoutError(`${this.o.host}:${this.o.port}: connect timed out`));
      }, this.o.connectTimeoutMs ?? this.o.timeoutMs);
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`${this.o.host}:${this.o.port}: ${err.message}`));
      });
      s.connect(this.o.port, this.o.host, () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        s.on('error', (err) => this.drop(err));
        s.on('close', () => this.drop(new Error('connection closed by peer')));
        s.on('data', (chunk: string) => this.onData(chunk));
        if (this.opened++ > 0) this.reconnects++;
        this.buffer = '';
        this.socket = s;
        resolve(s);
      });
    }).finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      const p = this.pending;
      if (!p) continue; // unsolicited output: nothing is waiting for it
      p.lines.push(line);
      if (p.done(line, p.lines)) {
        clearTimeout(p.timer);
        this.pending = null;
        p.resolve(p.lines);
      }
    }
  }

  private drop(err: Error): void {
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.removeAllListeners('close');
      s.destroy();
    }
    const p = this.pending;
    if (p) {
      clearTimeout(p.timer);
      this.pending = null;
      p.reject(err);
    }
  }
}
