/**
 * Is a screenshot a rendered globe or a blank canvas? The PNG is decoded by the browser itself (no image library in
 * the dependencies) and summarised: share of pixels that are not near-black, number of distinct colours (quantised
 * to 5 bits per channel), share of "ocean" pixels (blue dominant), and the colour at the centre.
 */
import type { Page } from 'playwright-core';

export interface PixelStats {
  width: number;
  height: number;
  nonBlackFraction: number;
  distinctColours: number;
  oceanFraction: number;
  centre: [number, number, number];
}

export async function pixelStats(page: Page, png: Buffer): Promise<PixelStats> {
  return page.evaluate(async (b64: string) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let nonBlack = 0;
    let ocean = 0;
    const colours = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      const r = d[i], g = d[i + 1], b = d[i + 2];
      if (r + g + b > 45) nonBlack++;
      if (b > 60 && b > r + 20 && b > g) ocean++;
      colours.add(((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3));
    }
    const n = d.length / 4;
    const ci = (Math.floor(c.height / 2) * c.width + Math.floor(c.width / 2)) * 4;
    return { width: c.width, height: c.height, nonBlackFraction: nonBlack / n, distinctColours: colours.size, oceanFraction: ocean / n, centre: [d[ci], d[ci + 1], d[ci + 2]] as [number, number, number] };
  }, png.toString('base64'));
}
