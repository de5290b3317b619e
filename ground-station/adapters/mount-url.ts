/** `--mount` URLs: `rotctld://host:port`, `indi://host:port[?device=Telescope%20Simulator]`, or `sim` (sky-sim). */
export type MountUrl =
  | { kind: 'rotctld'; host: string; port: number }
  | { kind: 'indi'; host: string; port: number; device: string }
  | { kind: 'sim' };

export type ParseMountUrlResult = { ok: true; mount: MountUrl } | { ok: false; reason: string };

const DEFAULT_PORTS = { rotctld: 4533, indi: 7624 } as const;

export function parseMountUrl(s: string): ParseMountUrlResult {
  if (s === 'sim' || s === 'sky-sim' || s === 'sim://') return { ok: true, mount: { kind: 'sim' } };
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return { ok: false, reason: `'${s}' is not a mount URL (rotctld://host:port, indi://host:port or sim)` };
  }
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'rotctld' && scheme !== 'indi') return { ok: false, reason: `unknown mount scheme '${scheme}' (rotctld, indi or sim)` };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) return { ok: false, reason: `'${s}': missing host` };
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[scheme];
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, reason: `'${s}': bad port` };
  if (scheme === 'rotctld') return { ok: true, mount: { kind: 'rotctld', host, port } };
  return { ok: true, mount: { kind: 'indi', host, port, device: u.searchParams.get('device') ?? 'Telescope Simulator' } };
}
