/**
 * Render metrics read by the browser tests and the benchmark through `window.__satqkd`: when the globe first showed
 * its imagery, and frame-time statistics over a measured interval (requestAnimationFrame deltas while Cesium
 * renders every frame).
 */
import type * as CesiumNS from 'cesium';

export interface FrameStats {
  frames: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export function frameStats(deltasMs: number[]): FrameStats {
  if (deltasMs.length === 0) return { frames: 0, meanMs: NaN, p50Ms: NaN, p95Ms: NaN, maxMs: NaN };
  const s = [...deltasMs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { frames: s.length, meanMs: s.reduce((a, b) => a + b, 0) / s.length, p50Ms: q(0.5), p95Ms: q(0.95), maxMs: s[s.length - 1] };
}

/** Resolves with ms since navigation start at the first frame rendered with every globe tile loaded. */
export function firstGlobeRender(scene: CesiumNS.Scene): Promise<number> {
  return new Promise((resolve) => {
    const off = scene.postRender.addEventListener(() => {
      if (scene.globe.tilesLoaded) {
        off();
        resolve(performance.now());
      }
    });
  });
}

export interface FrameMeasurement extends FrameStats {
  /**
   * Main-thread time of Cesium's own frame work (scene preUpdate → postRender: entity updates, interpolation,
   * command recording and the WebGL calls' CPU side). The rest of a frame is rasterisation, which on SwiftShader
   * (software WebGL) dominates and does not depend on the number of satellites.
   */
  sceneCpu?: FrameStats;
}

export function measureFrames(durationMs: number, scene?: CesiumNS.Scene): Promise<FrameMeasurement> {
  return new Promise((resolve) => {
    const deltas: number[] = [];
    const cpu: number[] = [];
    let frameStart: number | undefined;
    const offs = scene
      ? [
          scene.preUpdate.addEventListener(() => (frameStart = performance.now())),
          scene.postRender.addEventListener(() => {
            if (frameStart !== undefined) cpu.push(performance.now() - frameStart);
            frameStart = undefined;
          }),
        ]
      : [];
    let last = performance.now();
    const end = last + durationMs;
    const step = (now: number) => {
      deltas.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(step);
      else {
        for (const off of offs) off();
        // The first delta includes the wait before measuring.
        resolve({ ...frameStats(deltas.slice(1)), ...(scene ? { sceneCpu: frameStats(cpu) } : {}) });
      }
    };
    requestAnimationFrame(step);
  });
}
