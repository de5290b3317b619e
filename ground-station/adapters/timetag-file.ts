/**
 * Time-tag files: recorded detections replayed behind the TimeTagger port, so real data (or a kept sky-sim pass)
 * can be post-processed by the same code that runs live. Two formats, told apart by their first bytes:
 *
 * CSV (text, for exports from other taggers and hand-made fixtures):
 *   # satqkd-timetags v1            ← optional comment lines start with '#'; `# key: value` lines are metadata
 *   # startUtc: 2026-11-29T16:07:05.000Z
 *   timePs,channel                  ← header, required
 *   1000,0                          ← one detection per line: integer picoseconds ≥ 0, channel 0..255
 *
 * Binary (`.sqtt`, compact: 9 bytes per detection):
 *   bytes 0..3  ASCII "SQTT"; 4..7 uint32 LE version (1); 8..11 uint32 LE header length H;
 *   12..12+H    UTF-8 JSON header { startUtc?: ISO-8601, passId?, stationId?, … };
 *   then records: float64 LE timePs (an integer < 2^53), uint8 channel.
 *
 * Times are picoseconds on the tagger's clock, non-decreasing (a file that goes backwards is rejected with its line
 * or record number). `startUtc` is the UTC instant of timePs = 0, when known.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { DetectionEvent, TimeTagger } from '../../planner/ports.ts';
import type { Clock } from '../../planner/time.ts';
import { parseIso } from '../../planner/time.ts';

export interface TimeTagRecording {
  meta: Record<string, string>;
  startUtcMs: number | null;
  events: DetectionEvent[];
}

export type ParseTimeTagsResult = { ok: true; recording: TimeTagRecording } | { ok: false; reason: string };

const MAGIC = 'SQTT';

export function parseTimeTags(bytes: Uint8Array, source: string): ParseTimeTagsResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 4 && buf.toString('latin1', 0, 4) === MAGIC) return parseBinary(buf, source);
  return parseCsv(buf.toString('utf8'), source);
}

function withStart(meta: Record<string, string>, events: DetectionEvent[], source: string): ParseTimeTagsResult {
  let startUtcMs: number | null = null;
  if (meta.startUtc !== undefined) {
    startUtcMs = parseIso(meta.startUtc);
    if (startUtcMs === null) return { ok: false, reason: `${source}: startUtc is not an ISO-8601 instant with a zone: '${meta.startUtc}'` };
  }
  return { ok: true, recording: { meta, startUtcMs, events } };
}

function parseCsv(text: string, source: string): ParseTimeTagsResult {
  const meta: Record<string, string> = {};
  const events: DetectionEvent[] = [];
  const lines = text.split(/\r?\n/);
  let header = false;
  let last = -Infinity;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const where = `${source}:${i + 1}`;
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line);
      if (m) meta[m[1]] = m[2].trim();
      continue;
    }
    if (!header) {
      if (line.replace(/\s/g, '') !== 'timePs,channel') return { ok: false, reason: `${where}: expected the header 'timePs,channel', got '${line.slice(0, 40)}'` };
      header = true;
      continue;
    }
    const parts = line.split(',');
    if (parts.length !== 2) return { ok: false, reason: `${where}: expected 'timePs,channel', got '${line.slice(0, 40)}'` };
    const timePs = Number(parts[0]);
    const channel = Number(parts[1]);
    if (!Number.isSafeInteger(timePs) || timePs < 0) return { ok: false, reason: `${where}: timePs must be an integer ≥ 0 below 2^53, got '${parts[0]}'` };
    if (!Number.isInteger(channel) || channel < 0 || channel > 255) return { ok: false, reason: `${where}: channel must be an integer 0..255, got '${parts[1]}'` };
    if (timePs < last) return { ok: false, reason: `${where}: time goes backwards (${timePs} < ${last})` };
    last = timePs;
    events.push({ timePs, channel });
  }
  if (!header) return { ok: false, reason: `${source}: no 'timePs,channel' header` };
  return withStart(meta, events, source);
}

function parseBinary(buf: Buffer, source: string): ParseTimeTagsResult {
  if (buf.length < 12) return { ok: false, reason: `${source}: truncated header` };
  const version = buf.readUInt32LE(4);
  if (version !== 1) return { ok: false, reason: `${source}: unsupported version ${version} (this reader knows 1)` };
  const h = buf.readUInt32LE(8);
  if (12 + h > buf.length) return { ok: false, reason: `${source}: header length ${h} runs past the end of the file` };
  let header: unknown;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + h));
  } catch (err) {
    return { ok: false, reason: `${source}: header is not JSON: ${(err as Error).message}` };
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return { ok: false, reason: `${source}: header must be a JSON object` };
  const meta = Object.fromEntries(Object.entries(header).map(([k, v]) => [k, String(v)]));
  const body = buf.subarray(12 + h);
  if (body.length % 9 !== 0) return { ok: false, reason: `${source}: ${body.length % 9} stray byte(s) after record ${Math.floor(body.length / 9)}` };
  const n = body.length / 9;
  const events: DetectionEvent[] = new Array(n);
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const timePs = body.readDoubleLE(i * 9);
    if (!Number.isSafeInteger(timePs) || timePs < 0) return { ok: false, reason: `${source}: record ${i}: timePs ${timePs} is not an integer ≥ 0 below 2^53` };
    if (timePs < last) return { ok: false, reason: `${source}: record ${i}: time goes backwards (${timePs} < ${last})` };
    last = timePs;
    events[i] = { timePs, channel: body[i * 9 + 8] };
  }
  return withStart(meta, events, source);
}

export function encodeTimeTagsBinary(events: readonly DetectionEvent[], meta: Record<string, unknown>): Buffer {
  const header = Buffer.from(JSON.stringify(meta), 'utf8');
  const out = Buffer.alloc(12 + header.length + events.length * 9);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(1, 4);
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  let o = 12 + header.length;
  for (const e of events) {
    out.writeDoubleLE(e.timePs, o);
    out.writeUInt8(e.channel, o + 8);
    o += 9;
  }
  return out;
}

export function encodeTimeTagsCsv(events: readonly DetectionEvent[], meta: Record<string, string>): string {
  const head = ['# satqkd-timetags v1', ...Object.entries(meta).map(([k, v]) => `# ${k}: ${v}`), 'timePs,channel'];
  return head.join('\n') + '\n' + events.map((e) => `${e.timePs},${e.channel}`).join('\n') + (events.length ? '\n' : '');
}

export function writeTimeTagFile(path: string, events: readonly DetectionEvent[], meta: Record<string, string>): void {
  writeFileSync(path, path.endsWith('.csv') ? encodeTimeTagsCsv(events, meta) : encodeTimeTagsBinary(events, meta));
}

/**
 * Replays a recording behind the TimeTagger port. `paced`: events come out as the injected clock passes their
 * time (timePs = 0 at `start()`), as a live tagger would; `all`: the first read returns everything (batch
 * post-processing of a file).
 */
export class FileTimeTagger implements TimeTagger {
  readonly kind = 'file';
  private next = 0;
  private startedMs: number | null = null;

  constructor(private readonly recording: TimeTagRecording, private readonly clock: Clock, private readonly mode: 'paced' | 'all' = 'paced') {}

  static open(path: string, clock: Clock, mode: 'paced' | 'all' = 'paced'): FileTimeTagger {
    const r = parseTimeTags(readFileSync(path), path);
    if (!r.ok) throw new Error(r.reason);
    return new FileTimeTagger(r.recording, clock, mode);
  }

  get total(): number {
    return this.recording.events.length;
  }

  async start(): Promise<void> {
    this.startedMs = this.clock.nowMs();
  }

  async read(): Promise<DetectionEvent[]> {
    if (this.startedMs === null) return [];
    const ev = this.recording.events;
    const limitPs = this.mode === 'all' ? Infinity : (this.clock.nowMs() - this.startedMs) * 1e9 + (ev[0]?.timePs ?? 0);
    const from = this.next;
    while (this.next < ev.length && ev[this.next].timePs <= limitPs) this.next++;
    return ev.slice(from, this.next);
  }

  async stop(): Promise<void> {
    this.startedMs = null;
  }
}
