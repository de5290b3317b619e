/**
 * Nelder–Mead simplex minimisation (Lagarias et al., SIAM J. Optim. 9, 112 (1998)) with the dimension-adaptive
 * coefficients of Gao & Han (Comput. Optim. Appl. 51, 259 (2012)), which keep it from stalling in 5–6 dimensions.
 * Derivative-free because the finite-key length has kinks (clamps, max of two leakages). Deterministic: no
 * random numbers; the caller supplies the starts.
 */
export interface NelderMeadOptions {
  /** Initial simplex step along each axis. */
  step?: number;
  maxEvaluations?: number;
  /** Stop when the simplex's function values span less than this (absolute) … */
  fTolerance?: number;
  /** … and its vertices lie within this distance of the best one. */
  xTolerance?: number;
}

export interface NelderMeadResult {
  x: number[];
  f: number;
  evaluations: number;
}

export function nelderMead(f: (x: number[]) => number, x0: number[], opts: NelderMeadOptions = {}): NelderMeadResult {
  const n = x0.length;
  const step = opts.step ?? 0.5;
  const maxEval = opts.maxEvaluations ?? 200 * n;
  const fTol = opts.fTolerance ?? 1e-6;
  const xTol = opts.xTolerance ?? 1e-5;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  let evaluations = 0;
  const F = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const pts: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    p[i] += step;
    pts.push(p);
  }
  const vals = pts.map(F);
  const order = (): void => {
    const idx = pts.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
    const p2 = idx.map((i) => pts[i]);
    const v2 = idx.map((i) => vals[i]);
    for (let i = 0; i <= n; i++) {
      pts[i] = p2[i];
      vals[i] = v2[i];
    }
  };
  const comb = (a: number[], b: number[], t: number): number[] => a.map((ai, i) => ai + t * (b[i] - ai));
  while (evaluations < maxEval) {
    order();
    const spreadF = vals[n] - vals[0];
    let spreadX = 0;
    for (let i = 1; i <= n; i++) for (let j = 0; j < n; j++) spreadX = Math.max(spreadX, Math.abs(pts[i][j] - pts[0][j]));
    if (spreadF <= fTol * (1 + Math.abs(vals[0])) && spreadX <= xTol) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += pts[i][j] / n;
    const xr = comb(centroid, pts[n], -alpha);
    const fr = F(xr);
    if (fr < vals[0]) {
      const xe = comb(centroid, pts[n], -beta);
      const fe = F(xe);
      if (fe < fr) {
        pts[n] = xe;
        vals[n] = fe;
      } else {
        pts[n] = xr;
        vals[n] = fr;
      }
    } else if (fr < vals[n - 1]) {
      pts[n] = xr;
      vals[n] = fr;
    } else {
      const outside = fr < vals[n];
      const xc = outside ? comb(centroid, pts[n], -gamma) : comb(centroid, pts[n], gamma);
      const fc = F(xc);
      if (fc < (outside ? fr : vals[n])) {
        pts[n] = xc;
        vals[n] = fc;
      } else {
        for (let i = 1; i <= n; i++) {
          pts[i] = comb(pts[0], pts[i], delta);
          vals[i] = F(pts[i]);
        }
      }
    }
  }
  order();
  return { x: pts[0], f: vals[0], evaluations };
}
