/** A few lines of DOM building so views stay declarative without a framework. */

type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | EventListener | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'className') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** A "this section is not available" note, with the reason for the operator. */
export function unavailable(what: string, reason: string): HTMLElement {
  return h('p', { className: 'unavailable', 'data-unavailable': what }, `${what} not offered by this server (${reason}).`);
}

export function formatBits(bits: number | undefined): string {
  if (bits === undefined || !Number.isFinite(bits)) return '—';
  if (bits >= 1e9) return `${(bits / 1e9).toFixed(2)} Gbit`;
  if (bits >= 1e6) return `${(bits / 1e6).toFixed(2)} Mbit`;
  if (bits >= 1e3) return `${(bits / 1e3).toFixed(1)} kbit`;
  return `${Math.round(bits)} bit`;
}

export function formatNumber(v: number | undefined, digits = 1, unit = ''): string {
  return v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(digits)}${unit}`;
}

/** Saves text as a file through a temporary object URL. */
export function download(filename: string, mime: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
