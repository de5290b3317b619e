/** A dependency-free operator page (served at /backbone): pool levels, relays, usage, refreshed every 2 s. */
export const operatorPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>satqkd backbone</title>
<style>
body{font:13px system-ui,sans-serif;margin:1rem;color:#222}table{border-collapse:collapse;margin-bottom:1.5rem}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#eee}td:first-child{text-align:left}
.bar{display:inline-block;height:8px;background:#2a7}.low{background:#d52}
</style></head><body>
<h1>Backbone operator view</h1>
<p id="acct"></p>
<h2>Key pools (kbit spendable by each end)</h2><table id="pools"></table>
<h2>Recent relays</h2><table id="relays"></table>
<h2>Key consumed per application</h2><table id="usage"></table>
<script>
const kb = (b) => (b / 1000).toFixed(1);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
async function refresh() {
  const [pools, relays, usage, acct] = await Promise.all(['pools', 'relays?limit=30', 'usage', 'accounting'].map((p) => fetch('/api/backbone/' + p).then((r) => r.json())));
  document.getElementById('acct').textContent = 'Accounting (produced = stored + consumed + wasted): ' + (acct.balanced ? 'balanced' : 'NOT balanced');
  document.getElementById('pools').innerHTML = '<tr><th>link</th><th>kind</th><th>rate bit/s</th><th>end A</th><th>A spendable</th><th>end B</th><th>B spendable</th><th>consumed</th><th>wasted</th></tr>' +
    pools.map((p) => { const [a, b] = p.ends; const bar = (e) => '<span class="bar' + (e.spendableBits < 16384 ? ' low' : '') + '" style="width:' + Math.min(200, e.spendableBits / 5000) + 'px"></span> ' + kb(e.spendableBits);
      return '<tr><td>' + esc(p.linkId) + '</td><td>' + p.kind + '</td><td>' + (p.keyRateBps ?? '—') + '</td><td>' + esc(a.node) + '</td><td>' + bar(a) + '</td><td>' + esc(b.node) + '</td><td>' + bar(b) + '</td><td>' + kb(a.consumedBits) + '</td><td>' + kb(a.wastedBits) + '</td></tr>'; }).join('');
  document.getElementById('relays').innerHTML = '<tr><th>relay</th><th>origin → dest</th><th>bits</th><th>shares</th><th>paths</th><th>state</th></tr>' +
    relays.map((r) => '<tr><td>' + esc(r.relayId.slice(0, 8)) + '</td><td>' + esc(r.origin + ' → ' + r.dest) + '</td><td>' + r.bits + '</td><td>' + r.shares + '</td><td style="text-align:left">' + esc(r.paths.map((p) => p.join('→')).join(' | ')) + '</td><td>' + esc(r.state) + '</td></tr>').join('');
  document.getElementById('usage').innerHTML = '<tr><th>SAE</th><th>role</th><th>peer</th><th>keys</th><th>bits</th></tr>' +
    usage.map((u) => '<tr><td>' + esc(u.sae) + '</td><td>' + u.role + '</td><td>' + esc(u.peer) + '</td><td>' + u.keys + '</td><td>' + u.bits + '</td></tr>').join('');
}
refresh(); setInterval(refresh, 2000);
</script></body></html>`;
