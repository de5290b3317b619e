/**
 * Live telemetry of one station over Server-Sent Events (what the ground-station API speaks: events `telemetry`,
 * `state`, `log`, or unnamed messages in the page's own format) or a WebSocket on the same URL. The preferred
 * transport is tried first and the other when it never opens. Every message is validated; bad ones are counted,
 * not shown. An established stream that drops is reconnected with capped back-off until closed.
 */
import { TelemetrySchema, type Telemetry } from '../api-types.ts';
import { telemetryFromAny } from '../adapters/station.ts';

export type Transport = 'sse' | 'ws';

export interface TelemetryHandlers {
  onMessage(t: Telemetry): void;
  onStatus(s: 'connecting' | 'live (WebSocket)' | 'live (SSE)' | 'disconnected' | 'not offered'): void;
}

export interface TelemetryStream {
  close(): void;
  readonly invalidMessages: number;
}

function parseOwn(data: unknown): Telemetry | null {
  const r = TelemetrySchema.safeParse(data);
  return r.success ? r.data : null;
}

/** One message (SSE event name, or 'message' for unnamed events and WebSocket frames) → telemetry, or null. */
export function parseTelemetry(text: string, event = 'message'): Telemetry | null {
  try {
    return telemetryFromAny(event, JSON.parse(text), parseOwn);
  } catch {
    return null;
  }
}

export function openTelemetry(httpUrl: string, h: TelemetryHandlers, prefer: Transport = 'sse'): TelemetryStream {
  let closed = false;
  let invalid = 0;
  let ws: WebSocket | undefined;
  let es: EventSource | undefined;
  let retryMs = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const deliver = (text: string, event = 'message') => {
    const t = parseTelemetry(text, event);
    if (t) h.onMessage(t);
    else invalid++;
  };

  const other: Record<Transport, Transport> = { sse: 'ws', ws: 'sse' };
  const retry = (t: Transport) => {
    if (closed) return;
    h.onStatus('disconnected');
    timer = setTimeout(() => connect(t, false), retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  };
  /** `fallback`: on a first failure, try the other transport once before giving up. */
  const connect = (t: Transport, fallback: boolean) => (t === 'sse' ? connectSse(fallback) : connectWs(fallback));
  const neverOpened = (t: Transport, fallback: boolean) => (fallback ? connect(other[t], false) : h.onStatus('not offered'));

  function connectSse(fallback: boolean): void {
    if (closed) return;
    h.onStatus('connecting');
    const src = new EventSource(httpUrl);
    es = src;
    let opened = false;
    src.onopen = () => {
      opened = true;
      retryMs = 500;
      h.onStatus('live (SSE)');
    };
    src.onmessage = (e) => deliver(String(e.data));
    for (const name of ['telemetry', 'state', 'log']) src.addEventListener(name, (e) => deliver(String((e as MessageEvent).data), name));
    src.onerror = () => {
      // EventSource reconnects by itself, but also on a 404 for ever: take over the policy.
      src.close();
      es = undefined;
      if (opened) retry('sse');
      else neverOpened('sse', fallback);
    };
  }

  function connectWs(fallback: boolean): void {
    if (closed) return;
    h.onStatus('connecting');
    let opened = false;
    const sock = new WebSocket(httpUrl.replace(/^http/, 'ws'));
    ws = sock;
    sock.onopen = () => {
      opened = true;
      retryMs = 500;
      h.onStatus('live (WebSocket)');
    };
    sock.onmessage = (e) => deliver(typeof e.data === 'string' ? e.data : '');
    sock.onclose = () => {
      ws = undefined;
      if (opened) retry('ws');
      else neverOpened('ws', fallback);
    };
  }

  connect(prefer, true);
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      ws?.close();
      es?.close();
    },
    get invalidMessages() {
      return invalid;
    },
  };
}
