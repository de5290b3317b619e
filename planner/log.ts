/**
 * Structured logging: one JSON object per line with a level, an event name and fields.
 * The sink (stdout, a file) is injected, so the planner stays free of I/O.
 * Never pass key material as a field: loggers drop fields whose names say key bytes (a last safety net).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const secretField = /^(key|keyBytes|keyMaterial|secretKey|rawKey|keyBits|material)$/i;

// Byte arrays never reach a log line (a Node Buffer has already become {type:'Buffer',data} when the replacer sees it).
function isBytes(v: unknown): boolean {
  if (v instanceof Uint8Array) return true;
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data);
}

export function createJsonLogger(opts: {
  write: (line: string) => void;
  level?: LogLevel;
  nowMs: () => number;
  base?: Record<string, unknown>;
}): Logger {
  const min = levelRank[opts.level ?? 'info'];
  const base = opts.base ?? {};
  const emit = (level: LogLevel, event: string, fields?: Record<string, unknown>) => {
    if (levelRank[level] < min) return;
    const rec: Record<string, unknown> = { t: new Date(opts.nowMs()).toISOString(), level, event, ...base };
    for (const [k, v] of Object.entries(fields ?? {})) rec[k] = secretField.test(k) ? '[redacted]' : v;
    opts.write(JSON.stringify(rec, (_k, v) => (isBytes(v) ? '[bytes]' : v)) + '\n');
  };
  return {
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
    child: (f) => createJsonLogger({ ...opts, base: { ...base, ...f } }),
  };
}

/** A logger that drops everything, for tests and library defaults. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
