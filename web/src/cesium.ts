/**
 * CesiumJS is loaded from its prebuilt, minified bundle (copied with its Workers/Assets/Widgets/ThirdParty into
 * the build by vite.config.ts) rather than bundled from source: the page builds in a second instead of a minute,
 * and the browser caches one 5 MB file. Types still come from the `cesium` package.
 */
import type * as CesiumNS from 'cesium';

export type CesiumApi = typeof CesiumNS;

declare global {
  interface Window {
    CESIUM_BASE_URL?: string;
    Cesium?: CesiumApi;
  }
}

function addScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.async = true;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

/** @param baseUrl where Cesium.js and its folders are served, ending in '/' (e.g. './cesium/'). */
export async function loadCesium(baseUrl: string): Promise<CesiumApi> {
  if (window.Cesium) return window.Cesium;
  // Must be set before Cesium first resolves a worker or asset URL.
  window.CESIUM_BASE_URL = new URL(baseUrl, document.baseURI).toString();
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = new URL('Widgets/widgets.css', window.CESIUM_BASE_URL).toString();
  document.head.append(css);
  await addScript(new URL('Cesium.js', window.CESIUM_BASE_URL).toString());
  if (!window.Cesium) throw new Error('Cesium.js loaded but did not define window.Cesium');
  return window.Cesium;
}
