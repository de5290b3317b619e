/**
 * `satqkd keyrate --loss-profile FILE --params FILE [--optimize] [--bound chernoff|hoeffding] [--format json|text]`
 * The finite-key model alone: expected secret key of a pass given its loss per time slot (docs/finite-key.md).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { choiceFlag, parseFlags, required, type CliCommand, type CliIo } from '../command.ts';
import { parseLossProfileCsv } from '../../planner/keyrate/loss-profile.ts';
import { KeyrateParamsFileSchema } from '../../planner/keyrate/params.ts';
import { keyrateForProfile, type KeyrateReport } from '../../planner/keyrate/keyrate-profile.ts';
import { parseJsonWith } from '../../planner/link/terminal-file.ts';

const usage = `usage: satqkd keyrate --loss-profile FILE --params FILE [--optimize] [--bound chernoff|hoeffding] [--format json|text]

  --loss-profile FILE  CSV with header timeS,lossDb: one row per equal time slot, total loss source→detection
  --params FILE        JSON: sourceRateHz, intensities [μ1,μ2,μ3], intensityProbabilities [p1,p2,p3],
                       keyBasisProbability, extraneousCountProbability, afterpulseProbability, intrinsicQber,
                       errorCorrectionEfficiency, epsilonSec, epsilonCor, optional windowHalfWidthS (window
                       centred on time 0), passes (identical passes in one finite-key block), excessLossDb
  --optimize           optimise μ1, μ2, p1, p2, the key-basis probability and (without windowHalfWidthS) the window
  --bound              concentration bound of the decoy estimates (default chernoff)
  --format             json (default text)
Exit status: 0 ok, 1 unreadable or invalid file (each problem named by file, line or field), 2 bad arguments.`;

async function readText(path: string, io: CliIo): Promise<string | null> {
  try {
    return await readFile(resolve(io.cwd, path), 'utf8');
  } catch (err) {
    io.stderr.write(`satqkd keyrate: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return null;
  }
}

function text(r: KeyrateReport): string {
  const p = r.params;
  const f = (x: number, d = 4): string => x.toFixed(d);
  return [
    `secret key        ${r.secretKeyBits} bits per pass${r.block.passes > 1 ? ` (${r.block.secretKeyBits} in a block of ${r.block.passes})` : ''}${r.reason ? `  — ${r.reason}` : ''}`,
    `sifted key (X)    ${Math.round(r.siftedKeyBits)} bits, QBER ${f(100 * r.qber, 2)} %`,
    `single photons    ${Math.round(r.singlePhotonEvents)} (≥), vacuum ${Math.round(r.vacuumEvents)} (≥), phase error ≤ ${f(100 * r.phaseErrorRate, 2)} %`,
    `EC leakage        ${Math.round(r.errorCorrectionLeakageBits)} bits`,
    `window            ${f(r.window.startS, 1)} … ${f(r.window.endS, 1)} s (${f(r.window.slots, 1)} slots), mean loss ${f(r.meanLossDb, 2)} dB`,
    `protocol${r.optimized ? ' (opt.)' : '        '} μ = ${p.intensities.map((x) => f(x, 3)).join(' / ')}, p = ${p.intensityProbabilities.map((x) => f(x, 3)).join(' / ')}, q_X = ${f(p.keyBasisProbability, 3)}`,
  ].join('\n');
}

export const command: CliCommand = {
  name: 'keyrate',
  summary: 'finite-key secret key of a pass from its loss profile (decoy BB84, optional optimisation)',
  usage,
  async run(argv, io) {
    const v = parseFlags(argv, { 'loss-profile': { type: 'string' }, params: { type: 'string' }, optimize: { type: 'boolean' }, bound: { type: 'string' }, format: { type: 'string' } }, { usage }, io);
    if (!v) return 0;
    const profilePath = required(v, 'loss-profile');
    const paramsPath = required(v, 'params');
    const format = choiceFlag(v, 'format', ['json', 'text'] as const, 'text');
    const bound = choiceFlag(v, 'bound', ['chernoff', 'hoeffding'] as const, 'chernoff');
    const [csv, json] = await Promise.all([readText(profilePath, io), readText(paramsPath, io)]);
    if (csv === null || json === null) return 1;
    const profile = parseLossProfileCsv(csv, profilePath);
    const params = parseJsonWith(KeyrateParamsFileSchema, json, paramsPath);
    const errors = [...(profile.ok ? [] : profile.errors), ...(params.ok ? [] : params.errors)];
    if (!profile.ok || !params.ok) {
      for (const e of errors) io.stderr.write(`satqkd keyrate: ${e}\n`);
      return 1;
    }
    const report = keyrateForProfile(profile.value, params.value, { optimize: Boolean(v.optimize), bound });
    io.stdout.write((format === 'json' ? JSON.stringify(report, null, 2) : text(report)) + '\n');
    return 0;
  },
};
