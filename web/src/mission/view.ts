/**
 * The mission view: a Cesium viewer on bundled imagery (no ion), fed by the planner's CZML. The Cesium clock and
 * timeline are the one time axis of the page: the plan panel's cursor and the backbone colours follow them.
 */
import type * as CesiumNS from 'cesium';
import type { CesiumApi } from '../cesium.ts';

export interface MissionViewOptions {
  /** Tests and benches: no sky box, atmosphere, fog, sun/moon, lighting or MSAA (2–3× faster on SwiftShader). */
  lite: boolean;
  /** Frame-rate cap (tests: leaves the software renderer's main thread free for input); undefined = display rate. */
  targetFrameRate?: number;
  onSelect?: (kind: string | undefined, id: string | undefined, name: string | undefined) => void;
  onTick?: (tMs: number) => void;
  /** The followed entity changed (menu, "Show in 3D", or a double-click on the globe). */
  onFollow?: (entityId: string | undefined) => void;
}

export interface MissionView {
  readonly viewer: CesiumNS.Viewer;
  loadCzml(czml: unknown[]): Promise<CesiumNS.CzmlDataSource>;
  /** Marks windows on the Cesium timeline (the plan's passes). */
  highlight(windows: { startMs: number; endMs: number }[], cssColour: string): void;
  /** Moves the clock to t and follows the entity with that CZML id (e.g. `sat/MICIUS`). */
  focus(entityId: string | undefined, tMs?: number): void;
  /** Puts the clock at `tMs`, running at `multiplier` × real time (the mission's virtual clock). */
  setClock(tMs: number, multiplier: number): void;
  /** The clock's current multiplier. */
  rate(): number;
  follow(entityId: string | undefined): void;
  setBackboneLinkColour(linkId: string, rgba: [number, number, number, number]): void;
  /** Makes the region of these sites the home view (and goes there): the mission's stations, not Cesium's default. */
  setHome(sites: { latDeg: number; lonDeg: number }[]): void;
  nowMs(): number;
  /** Ids and names of the followable entities (satellites and stations). */
  followable(): { id: string; name: string; kind: string }[];
}

export function createMissionView(Cesium: CesiumApi, container: HTMLElement, o: MissionViewOptions): MissionView {
  // NaturalEarthII ships with Cesium: levels 0–2, enough for a whole-Earth mission view with no network.
  const imagery = Cesium.TileMapServiceImageryProvider.fromUrl(Cesium.buildModuleUrl('Assets/Textures/NaturalEarthII'), { maximumLevel: 2 });
  const viewer = new Cesium.Viewer(container, {
    baseLayer: Cesium.ImageryLayer.fromProviderAsync(imagery, {}),
    baseLayerPicker: false, // lists ion layers
    geocoder: false, // calls ion
    // The info box renders in a sandboxed iframe that logs "Blocked script execution" in Chromium; the page shows
    // selection details itself.
    infoBox: false,
    navigationHelpButton: false,
    fullscreenButton: false,
    sceneModePicker: true,
    homeButton: true,
    timeline: true,
    animation: true,
    shouldAnimate: true,
    skyBox: o.lite ? false : undefined,
    skyAtmosphere: o.lite ? false : undefined,
    msaaSamples: o.lite ? 1 : 4,
  });
  const scene = viewer.scene;
  if (o.targetFrameRate) viewer.targetFrameRate = o.targetFrameRate;
  scene.fog.enabled = !o.lite;
  scene.globe.showGroundAtmosphere = !o.lite;
  scene.globe.enableLighting = !o.lite; // day/night terminator: passes are flown at night
  if (o.lite) {
    if (scene.sun) scene.sun.show = false;
    if (scene.moon) scene.moon.show = false;
  }

  let dataSource: CesiumNS.CzmlDataSource | undefined;
  const kindOf = (e: CesiumNS.Entity | undefined): string | undefined => e?.properties?.kind?.getValue(viewer.clock.currentTime) as string | undefined;

  viewer.selectedEntityChanged.addEventListener((e: CesiumNS.Entity | undefined) => {
    o.onSelect?.(kindOf(e), e?.properties?.satqkdId?.getValue(viewer.clock.currentTime) as string | undefined, e?.name);
  });
  viewer.trackedEntityChanged.addEventListener((e: CesiumNS.Entity | undefined) => o.onFollow?.(e?.id));
  let lastTickMs = 0;
  viewer.clock.onTick.addEventListener((clock) => {
    const t = Cesium.JulianDate.toDate(clock.currentTime).getTime();
    // The DOM cursor needs ~4 updates a second, not 60.
    if (Math.abs(performance.now() - lastTickMs) < 250) return;
    lastTickMs = performance.now();
    o.onTick?.(t);
  });

  // addHighlightRange is @private in Cesium's docs but stable since 1.0; it takes a CSS colour string.
  type TimelineWithHighlights = { addHighlightRange(c: string, h: number, base: number): { setRange(a: CesiumNS.JulianDate, b: CesiumNS.JulianDate): void } };

  const byId = (id: string) => dataSource?.entities.getById(id);

  return {
    viewer,
    async loadCzml(czml) {
      const ds = await Cesium.CzmlDataSource.load(czml);
      if (dataSource) viewer.dataSources.remove(dataSource, true);
      dataSource = ds;
      await viewer.dataSources.add(ds);
      viewer.clockTrackedDataSource = ds;
      // Zoom the timeline to the document's clock span.
      viewer.timeline.zoomTo(viewer.clock.startTime, viewer.clock.stopTime);
      return ds;
    },
    highlight(windows, cssColour) {
      const tl = viewer.timeline as unknown as TimelineWithHighlights;
      // A 3-minute pass on a day-long timeline is under a pixel, and Cesium drops ranges that round to 0 px:
      // widen each to 2 px at the full-span zoom so every pass stays visible.
      const spanMs = Cesium.JulianDate.secondsDifference(viewer.clock.stopTime, viewer.clock.startTime) * 1000;
      const minMs = (2 * spanMs) / Math.max(100, viewer.timeline.container.clientWidth);
      for (const w of windows) {
        const r = tl.addHighlightRange(cssColour, 8, 0);
        const padMs = Math.max(0, (minMs - (w.endMs - w.startMs)) / 2);
        r.setRange(Cesium.JulianDate.fromDate(new Date(w.startMs - padMs)), Cesium.JulianDate.fromDate(new Date(w.endMs + padMs)));
      }
      // The timeline redraws its tics (and highlights) only on zoom or resize.
      viewer.timeline.zoomTo(viewer.clock.startTime, viewer.clock.stopTime);
    },
    rate() {
      return viewer.clock.multiplier;
    },
    setClock(tMs, multiplier) {
      viewer.clock.currentTime = Cesium.JulianDate.fromDate(new Date(tMs));
      viewer.clock.multiplier = multiplier;
      viewer.clock.shouldAnimate = true;
    },
    focus(entityId, tMs) {
      if (tMs !== undefined) viewer.clock.currentTime = Cesium.JulianDate.fromDate(new Date(tMs));
      this.follow(entityId);
    },
    follow(entityId) {
      const e = entityId ? byId(entityId) : undefined;
      viewer.trackedEntity = e;
      viewer.selectedEntity = e;
      if (!e) viewer.camera.flyHome(0.5);
    },
    setBackboneLinkColour(linkId, rgba) {
      const e = byId(`link/${linkId}`);
      if (e?.polyline) e.polyline.material = new Cesium.ColorMaterialProperty(Cesium.Color.fromBytes(...rgba));
    },
    setHome(sites) {
      const r = homeRectangleDeg(sites);
      if (!r) return;
      Cesium.Camera.DEFAULT_VIEW_RECTANGLE = Cesium.Rectangle.fromDegrees(r.west, r.south, r.east, r.north);
      Cesium.Camera.DEFAULT_VIEW_FACTOR = 0.6;
      viewer.camera.flyHome(0);
    },
    nowMs() {
      return Cesium.JulianDate.toDate(viewer.clock.currentTime).getTime();
    },
    followable() {
      if (!dataSource) return [];
      const out: { id: string; name: string; kind: string }[] = [];
      for (const e of dataSource.entities.values) {
        const kind = kindOf(e);
        if (kind === 'satellite' || kind === 'station') out.push({ id: e.id, name: e.name ?? e.id, kind });
      }
      return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    },
  };
}

/**
 * The lon/lat box around the sites with a margin, degrees (null without sites). Longitudes are taken on the shorter
 * side of the antimeridian when the sites straddle it.
 */
export function homeRectangleDeg(sites: { latDeg: number; lonDeg: number }[], marginDeg = 12): { west: number; south: number; east: number; north: number } | null {
  if (sites.length === 0) return null;
  const lats = sites.map((s) => s.latDeg);
  const lons = sites.map((s) => ((s.lonDeg + 540) % 360) - 180);
  let west = Math.min(...lons);
  let east = Math.max(...lons);
  // Straddling the antimeridian: measure in 0..360 instead when that span is shorter.
  const lons360 = lons.map((l) => (l + 360) % 360);
  if (Math.max(...lons360) - Math.min(...lons360) < east - west) {
    west = Math.min(...lons360);
    east = Math.max(...lons360);
  }
  const wrap = (l: number) => ((l + 540) % 360) - 180;
  return {
    west: wrap(west - marginDeg),
    east: wrap(east + marginDeg),
    south: Math.max(-89, Math.min(...lats) - marginDeg),
    north: Math.min(89, Math.max(...lats) + marginDeg),
  };
}
