/**
 * Live telemetry of one station: WebSocket first, Server-Sent Events on the same URL as the fallback (a proxy that
 * drops upgrades still passes SSE). Every message is validated; bad ones are counted, not shown. Reconnects with
 * capped back-off until closed.
 */
import { TelemetrySchema, type Telemetry } from '../api-types.ts';

export interface TelemetryHandlers {
  onMessage(t: Telemetry): void;
  onStatus(s: 'connecting' | 'live (WebSocket)' | 'live (SSE)' | 'disconnected' | 'not offered'): void;
}

export interface TelemetryStream {
  close(): void;
  readonly invalidMessages: number;
}

export function parseTelemetry(text: string): Telemetry | null {
  try {
    const r = TelemetrySchema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export function openTelemetry(httpUrl: string, h: TelemetryHandlers): TelemetryStream {
  let closed = false;
  let invalid = 0;
  let ws: WebSocket | undefined;
  let es: EventSource | undefined;
  let retryMs = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const deliver = (text: string) => {
    const t = parseTelemetry(text);
    if (t) h.onMessage(t);
    else invalid++;
  };

  const retry = () => {
    if (closed) return;
    h.onStatus('disconnected');
    timer = setTimeout(connectWs, retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  };

  function connectSse(): void {
    if (closed) return;
    es = new EventSource(httpUrl);
    let opened = false;
    es.onopen = () => {
      opened = true;
      retryMs = 500;
      h.onStatus('live (SSE)');
    };
    es.onmessage = (e) => deliver(String(e.data));
    es.onerror = () => {
      es?.close();
      es = undefined;
      if (opened) retry();
      else h.onStatus('not offered');
    };
  }

  function connectWs(): void {
    if (closed) return;
    h.onStatus('connecting');
    const wsUrl = httpUrl.replace(/^http/, 'ws');
    let opened = false;
    ws = new WebSocket(wsUrl);
    ws.onopen = () => {
      opened = true;
      retryMs = 500;
      h.onStatus('live (WebSocket)');
    };
    ws.onmessage = (e) => deliver(typeof e.data === 'string' ? e.data : '');
    ws.onclose = () => {
      ws = undefined;
      // Never opened: the server does not speak WebSocket here; try SSE once.
      if (!opened) connectSse();
      else retry();
    };
  }

  connectWs();
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
