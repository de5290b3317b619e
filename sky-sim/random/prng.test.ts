import { describe, expect, it } from 'vitest';
import { Rng, logFactorial } from './prng.ts';
import { counterBits, counterKey } from './counter-hash.ts';

function meanVar(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [m, xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)];
}

describe('Rng', () => {
  it('is deterministic for a seed and differs between seeds and forks', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(sa);
    const f1 = new Rng(42).fork('mount'), f2 = new Rng(42).fork('mount'), f3 = new Rng(42).fork('detectors');
    expect(f1.nextUint32()).toBe(f2.nextUint32());
    expect(f1.nextUint32()).not.toBe(f3.nextUint32());
  });

  it('uniform has mean 1/2 and variance 1/12', () => {
    const r = new Rng(1);
    const [m, v] = meanVar(Array.from({ length: 200_000 }, () => r.uniform()));
    // σ of the mean is sqrt(1/12/2e5) ≈ 6.5e-4: 5σ bounds.
    expect(Math.abs(m - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(v - 1 / 12)).toBeLessThan(2e-3);
  });

  it('normal has mean 0 and variance 1', () => {
    const r = new Rng(2);
    const [m, v] = meanVar(Array.from({ length: 100_000 }, () => r.normal()));
    expect(Math.abs(m)).toBeLessThan(5 / Math.sqrt(1e5));
    expect(Math.abs(v - 1)).toBeLessThan(5 * Math.sqrt(2 / 1e5));
  });

  it.each([0.3, 4, 9.9, 10, 57, 3000, 2e6])('poisson(%d) has mean and variance λ', (lambda) => {
    const r = new Rng(3);
    const n = 40_000;
    const [m, v] = meanVar(Array.from({ length: n }, () => r.poisson(lambda)));
    expect(Math.abs(m - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
    expect(Math.abs(v / lambda - 1)).toBeLessThan(5 * Math.sqrt(2 / n) + 0.01);
  });

  it.each([
    [20, 0.1],
    [100, 0.05],
    [1000, 0.3],
    [1e8, 3e-4],
    [5e4, 0.9],
  ])('binomial(%d, %d) has mean np and variance np(1-p)', (n, p) => {
    const r = new Rng(4);
    const draws = 40_000;
    const xs = Array.from({ length: draws }, () => r.binomial(n, p));
    const [m, v] = meanVar(xs);
    const mu = n * p, s2 = n * p * (1 - p);
    expect(Math.abs(m - mu)).toBeLessThan(5 * Math.sqrt(s2 / draws));
    expect(Math.abs(v / s2 - 1)).toBeLessThan(5 * Math.sqrt(2 / draws) + 0.01);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(n);
  });

  it('binomial matches the exact pmf at small n (chi-square)', () => {
    const r = new Rng(5);
    const n = 12, p = 0.35, draws = 60_000;
    const hist = new Array(n + 1).fill(0);
    for (let i = 0; i < draws; i++) hist[r.binomial(n, p)]++;
    let chi2 = 0;
    for (let k = 0; k <= n; k++) {
      const e = draws * Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log(1 - p));
      if (e > 5) chi2 += (hist[k] - e) ** 2 / e;
    }
    // 12 degrees of freedom or fewer: the 0.999 quantile is 32.9.
    expect(chi2).toBeLessThan(32.9);
  });

  it('logFactorial is continuous across the table edge', () => {
    let exact = 0;
    for (let i = 1; i <= 300; i++) exact += Math.log(i);
    expect(logFactorial(300)).toBeCloseTo(exact, 8);
  });
});

describe('counterBits', () => {
  it('is a pure function of key, index and lane', () => {
    const k = counterKey(7);
    expect(counterBits(k, 123456789012, 1)).toBe(counterBits(counterKey(7), 123456789012, 1));
    expect(counterBits(k, 123456789012, 1)).not.toBe(counterBits(k, 123456789012, 2));
    expect(counterBits(k, 123456789012, 1)).not.toBe(counterBits(counterKey(8), 123456789012, 1));
  });

  it('gives balanced, uncorrelated bits over consecutive and high counters', () => {
    const k = counterKey(11);
    for (const base of [0, 2 ** 40]) {
      let ones = 0, agree = 0;
      const n = 100_000;
      let prev = 0;
      for (let i = 0; i < n; i++) {
        const b = counterBits(k, base + i, 0) & 1;
        ones += b;
        if (b === prev) agree++;
        prev = b;
      }
      expect(Math.abs(ones / n - 0.5)).toBeLessThan(5 * 0.5 / Math.sqrt(n));
      expect(Math.abs(agree / n - 0.5)).toBeLessThan(5 * 0.5 / Math.sqrt(n));
    }
  });
});
