/**
 * `satqkd simulate-pass`: one Micius-like pass on sky-sim, post-processed, keys into the station's store, the
 * pass report on stdout. Lives here (not in bin/) so the post-processing owner keeps its flags and output in
 * step with the report; bin/commands/simulate-pass.ts only re-exports `command`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DetectionEvent } from '../../planner/ports.ts';
import { writeTimeTagFile } from '../adapters/timetag-file.ts';
import { choiceFlag, instantFlag, numberFlag, parseFlags, UsageError, type CliCommand } from '../../bin/command.ts';
import { KeyStore } from '../keystore/key-store.ts';
import type { PassReport } from './report.ts';
import { simulateAndPostProcess } from './sky-sim-pass.ts';

const usage = `usage: satqkd simulate-pass [options]

Flies a Micius-like pass on sky-sim (synthetic 500 km orbit, Xinglong-like station, decoy-state BB84 at 100 MHz),
post-processes it (sync, sifting, Cascade, verification, finite-key length, Toeplitz privacy amplification) with
both parties talking over an authenticated channel, stores the station's key blocks, and prints the pass report.

  --format json|text     (default text)
  --tca ISO              time of closest approach (default 2026-11-29T16:50:00Z)
  --max-el DEG           culmination elevation, (15, 90] (default 70)
  --seconds N            seconds recorded around TCA (default 20)
  --seed N               simulation and public-randomness seed (default 1)
  --reconciliation cascade|ldpc
                         interactive Cascade (default, lowest leak) or one-way rate-adaptive LDPC with blind
                         retries (a few exchanges; more leak and CPU)
  --store FILE           SQLite key store (default var/keys/station.sqlite; ':memory:' for none on disk)
  --records DIR          also write the raw records: detections.sqtt (the time-tag file format of
                         docs/ground-station.md, replayable with 'satqkd station --timetags') and telemetry.jsonl
Exit status: 0 ok (even when the bound is zero), 1 the pass failed (sync, authentication, verification), 2 bad arguments.`;

export const command: CliCommand = {
  name: 'simulate-pass',
  summary: 'fly one sky-sim pass, post-process it into stored key, print the pass report',
  usage,
  async run(argv, io) {
    const v = parseFlags(argv, { format: { type: 'string' }, tca: { type: 'string' }, 'max-el': { type: 'string' }, seconds: { type: 'string' }, seed: { type: 'string' }, store: { type: 'string' }, records: { type: 'string' }, reconciliation: { type: 'string' } }, { usage }, io);
    if (!v) return 0;
    const format = choiceFlag(v, 'format', ['json', 'text'] as const, 'text');
    const reconciliation = choiceFlag(v, 'reconciliation', ['cascade', 'ldpc'] as const, 'cascade');
    const tcaMs = v.tca === undefined ? Date.parse('2026-11-29T16:50:00Z') : instantFlag(v, 'tca');
    const maxEl = numberFlag(v, 'max-el', 70)!;
    if (!(maxEl > 15 && maxEl <= 90)) throw new UsageError(`--max-el must be in (15, 90], got ${maxEl}`);
    const seconds = numberFlag(v, 'seconds', 20)!;
    if (!(seconds >= 1 && seconds <= 600)) throw new UsageError(`--seconds must be in [1, 600], got ${seconds}`);
    const seed = numberFlag(v, 'seed', 1)!;
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${seed}`);
    const storePath = typeof v.store === 'string' ? v.store : 'var/keys/station.sqlite';
    const full = storePath === ':memory:' ? storePath : resolve(io.cwd, storePath);
    if (full !== ':memory:') mkdirSync(dirname(full), { recursive: true });
    const store = new KeyStore(full);
    try {
      const recordsDir = typeof v.records === 'string' ? resolve(io.cwd, v.records) : null;
      const onRecorded = recordsDir
        ? (events: readonly DetectionEvent[], telemetry: readonly unknown[], w: { startMs: number; endMs: number }) => {
            mkdirSync(recordsDir, { recursive: true });
            writeTimeTagFile(join(recordsDir, 'detections.sqtt'), events, { passId: `sky-sim-${new Date(tcaMs).toISOString()}`, recordStartUtc: new Date(w.startMs).toISOString(), recordEndUtc: new Date(w.endMs).toISOString(), seed: String(seed) });
            writeFileSync(join(recordsDir, 'telemetry.jsonl'), telemetry.map((t) => JSON.stringify(t)).join('\n') + '\n');
          }
        : undefined;
      const out = await simulateAndPostProcess({ tcaMs, maxElevationDeg: maxEl, recordSeconds: seconds, seed, sink: store, reconciliation, ...(onRecorded ? { onRecorded } : {}) });
      const r = out.report;
      if (format === 'json') io.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else io.stdout.write(textReport(r, full));
      return r.ok ? 0 : 1;
    } finally {
      store.close();
    }
  },
};

function textReport(r: PassReport, store: string): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const lines = [
    `pass ${r.passId}: ${r.ok ? 'ok' : 'FAILED'}${r.error ? ` (${r.error})` : ''}`,
    `  detections ${r.detections}, sync: drift ${r.sync?.driftPpm.toFixed(4) ?? '-'} ppm, jitter ${r.sync?.jitterRmsPs.toFixed(0) ?? '-'} ps, ${r.sync?.chunksResolved ?? 0}/${r.sync?.chunks ?? 0} chunks locked`,
    `  sifted ${r.siftedBits} key bits (+${r.siftedTestBits} test), QBER ${pct(r.qber)} (test basis ${pct(r.qberTestBasis)}), ${r.doubleClicks} double clicks`,
    `  ${r.reconciliationMethod === 'ldpc' ? 'LDPC' : 'Cascade'} leaked ${r.reconciliationLeakedBits} bits (f = ${r.reconciliationEfficiency.toFixed(3)}, ${r.reconciliationExchanges} exchanges), verified ${r.verified}`,
    `  authentication ${r.authenticationKeyBits} bits over ${r.messages} messages`,
    `  finite-key bound ${r.finiteKeyBoundBits} bits → final ${r.finalKeyBits} bits: ${r.authPoolRefillBits} back to the auth pool, ${r.storedKeyBits} stored in ${r.storedBlocks} blocks (${store})`,
    `  timings ms: ${Object.entries(r.timingsMs).map(([k, t]) => `${k} ${t.toFixed(0)}`).join(', ')}`,
  ];
  return lines.join('\n') + '\n';
}
