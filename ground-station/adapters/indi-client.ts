/**
 * A minimal INDI client (protocol 1.7): XML over TCP, properties mirrored from def/set/del messages, commands sent
 * as new*Vector, and waits on property predicates. INDI values arrive padded with whitespace and newlines; they are
 * trimmed here, once. Device messages are kept (the last few) so a failure can say what the driver said.
 */
import { Socket } from 'node:net';
import { XmlStreamParser, escapeXml, type XmlElement } from './xml-stream.ts';

export type PropertyState = 'Idle' | 'Ok' | 'Busy' | 'Alert';
export type PropertyKind = 'Number' | 'Switch' | 'Text' | 'Light' | 'BLOB';

export interface IndiProperty {
  device: string;
  name: string;
  kind: PropertyKind;
  state: PropertyState;
  perm?: string;
  /** Member values, trimmed: numbers as numbers (sexagesimal parsed), switches 'On'|'Off', texts as strings. */
  values: Record<string, number | string>;
  /** Increments on every def/set, so a waiter can require a fresh update. */
  version: number;
}

export interface IndiClientOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
}

/** INDI numbers may be sexagesimal ("5:30:00", "-12 15 00"). */
export function parseIndiNumber(raw: string): number {
  const s = raw.trim();
  if (/^[-+]?\d+(\.\d*)?([eE][-+]?\d+)?$/.test(s) || /^[-+]?\.\d+$/.test(s)) return Number(s);
  const m = /^([-+])?(\d+)[:\s]+(\d+(?:\.\d*)?)(?:[:\s]+(\d+(?:\.\d*)?))?$/.exec(s);
  if (!m) return Number.NaN;
  const v = Number(m[2]) + Number(m[3]) / 60 + Number(m[4] ?? 0) / 3600;
  return m[1] === '-' ? -v : v;
}

const KINDS: Record<string, PropertyKind> = { Number: 'Number', Switch: 'Switch', Text: 'Text', Light: 'Light', BLOB: 'BLOB' };

export class IndiClient {
  private socket: Socket | null = null;
  private readonly parser = new XmlStreamParser();
  readonly properties = new Map<string, IndiProperty>();
  readonly messages: string[] = [];
  private waiters = new Set<() => void>();
  private closed = false;
  private error: Error | null = null;

  constructor(private readonly o: IndiClientOptions) {}

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = new Socket();
      s.setEncoding('utf8');
      s.setNoDelay(true);
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`INDI ${this.o.host}:${this.o.port}: connect timed out`));
      }, this.o.connectTimeoutMs ?? 5000);
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`INDI ${this.o.host}:${this.o.port}: ${err.message}`));
      });
      s.connect(this.o.port, this.o.host, () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        s.on('error', (err) => this.fail(err));
        s.on('close', () => this.fail(new Error('INDI server closed the connection')));
        s.on('data', (chunk: string) => this.onData(chunk));
        this.socket = s;
        s.write('<getProperties version="1.7"/>\n');
        resolve();
      });
    });
  }

  get(device: string, name: string): IndiProperty | undefined {
    return this.properties.get(`${device}\u0000${name}`);
  }

  /** Resolves with the first value `probe` returns that is not undefined, re-checked after every message. */
  waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        if (this.error) return finish(() => reject(new Error(`INDI: ${this.error!.message} while waiting for ${what}`)));
        let v: T | undefined;
        try {
          v = probe();
        } catch (err) {
          return finish(() => reject(err as Error));
        }
        if (v !== undefined) finish(() => resolve(v as T));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`INDI: timed out after ${timeoutMs} ms waiting for ${what}${this.lastMessage()}`))), timeoutMs);
      const finish = (f: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        f();
      };
      this.waiters.add(check);
      check();
    });
  }

  lastMessage(): string {
    const m = this.messages.at(-1);
    return m ? ` (driver said: ${m})` : '';
  }

  sendSwitch(device: string, name: string, members: Record<string, 'On' | 'Off'>): void {
    this.send('Switch', device, name, members);
  }

  sendNumber(device: string, name: string, members: Record<string, number>): void {
    this.send('Number', device, name, Object.fromEntries(Object.entries(members).map(([k, v]) => [k, String(v)])));
  }

  sendText(device: string, name: string, members: Record<string, string>): void {
    this.send('Text', device, name, members);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.socket?.destroy();
    this.socket = null;
  }

  private send(kind: PropertyKind, device: string, name: string, members: Record<string, string>): void {
    if (!this.socket) throw new Error('INDI: not connected');
    const body = Object.entries(members)
      .map(([k, v]) => `<one${kind} name="${escapeXml(k)}">${escapeXml(v)}</one${kind}>`)
      .join('');
    this.socket.write(`<new${kind}Vector device="${escapeXml(device)}" name="${escapeXml(name)}">${body}</new${kind}Vector>\n`);
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.error = err;
    for (const w of [...this.waiters]) w();
  }

  private onData(chunk: string): void {
    let els: XmlElement[];
    try {
      els = this.parser.push(chunk);
    } catch (err) {
      this.fail(err as Error);
      this.socket?.destroy();
      return;
    }
    for (const el of els) this.apply(el);
    for (const w of [...this.waiters]) w();
  }

  private apply(el: XmlElement): void {
    const device = el.attrs.device ?? '';
    if (el.attrs.message) {
      this.messages.push(el.attrs.message);
      if (this.messages.length > 50) this.messages.shift();
    }
    const m = /^(def|set)(Number|Switch|Text|Light|BLOB)Vector$/.exec(el.name);
    if (m) {
      const key = `${device}\u0000${el.attrs.name}`;
      const kind = KINDS[m[2]];
      const prev = this.properties.get(key);
      if (!prev && m[1] === 'set') return; // a set for a property never defined to us: ignore (INDI says so)
      const values: Record<string, number | string> = { ...(prev?.values ?? {}) };
      for (const c of el.children) {
        const member = c.attrs.name;
        if (!member) continue;
        const raw = c.text.trim();
        values[member] = kind === 'Number' ? parseIndiNumber(raw) : raw;
      }
      this.properties.set(key, {
        device,
        name: el.attrs.name ?? '',
        kind,
        state: (el.attrs.state as PropertyState | undefined) ?? prev?.state ?? 'Idle',
        perm: el.attrs.perm ?? prev?.perm,
        values,
        version: (prev?.version ?? 0) + 1,
      });
      return;
    }
    if (el.name === 'delProperty') {
      if (el.attrs.name) this.properties.delete(`${device}\u0000${el.attrs.name}`);
      else for (const [k, p] of this.properties) if (p.device === device) this.properties.delete(k);
    }
  }
}
