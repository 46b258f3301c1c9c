// whoholds map: MapLibre GL JS (vendored, no CDN, no basemap tiles) over the API's GeoJSON.
// Layers: resolved state layers (profile colours; contested/mixed land hatched), changed pieces (coloured by
// the new holder, outlined), the boundary, and the main cities as HTML labels (no glyph server needed).
"use strict";

const WhoMap = (() => {
  const EMPTY = { type: "FeatureCollection", features: [] };
  let map = null;
  let cityMarkers = [];
  let zoomBucket = null;
  let onZoomBucket = null;
  let bounds = null;
  let changesBox = null;

  function hatchImage() {
    const size = 8, data = new Uint8Array(size * size * 4);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
      const on = (x + y) % size === 0 || (x + y) % size === size - 1;
      const i = (y * size + x) * 4;
      data.set(on ? [60, 60, 60, 200] : [0, 0, 0, 0], i);
    }
    return { width: size, height: size, data };
  }

  function init(container, onBucket) {
    onZoomBucket = onBucket;
    map = new maplibregl.Map({
      container,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: "background", type: "background", paint: { "background-color": "#dfe7ee" } }],
      },
      center: [31, 48.5], zoom: 4.5, attributionControl: false, preserveDrawingBuffer: true,
      fadeDuration: 0,
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    map.addControl(new maplibregl.ScaleControl({ unit: "metric", maxWidth: 140 }), "bottom-left");
    map.addControl(new maplibregl.AttributionControl({
      compact: true, customAttribution: "Control maps: the store's sources · Boundary: Natural Earth · Places: GeoNames",
    }));
    map.on("load", () => {
      map.addImage("hatch", hatchImage());
      for (const id of ["layers", "changes", "boundary"]) map.addSource(id, { type: "geojson", data: EMPTY });
      // marker snapshots (e.g. Syria's map module): the points, clustered, over the cell estimate
      map.addSource("markers", { type: "geojson", data: EMPTY, cluster: true, clusterRadius: 28, clusterMaxZoom: 9 });
      map.addLayer({ id: "state-fill", type: "fill", source: "layers",
        paint: { "fill-color": ["get", "colour"], "fill-opacity": 0.72 } });
      map.addLayer({ id: "state-hatch", type: "fill", source: "layers",
        filter: ["in", ["get", "kind"], ["literal", ["contested", "mixed"]]],
        paint: { "fill-pattern": "hatch" } });
      map.addLayer({ id: "state-line", type: "line", source: "layers",
        paint: { "line-color": "#ffffff", "line-width": 0.6, "line-opacity": 0.8 } });
      map.addLayer({ id: "changes-fill", type: "fill", source: "changes",
        paint: { "fill-color": ["get", "colour"], "fill-opacity": 0.95 } });
      map.addLayer({ id: "changes-line", type: "line", source: "changes",
        paint: { "line-color": "#111111", "line-width": 1.4 } });
      map.addLayer({ id: "boundary-line", type: "line", source: "boundary",
        paint: { "line-color": "#222222", "line-width": 1.6 } });
      map.addLayer({ id: "marker-clusters", type: "circle", source: "markers", filter: ["has", "point_count"],
        paint: { "circle-color": "rgba(30,36,48,0.55)", "circle-stroke-color": "#fff", "circle-stroke-width": 1,
                 "circle-radius": ["interpolate", ["linear"], ["get", "point_count"], 2, 6, 50, 12, 500, 20] } });
      map.addLayer({ id: "marker-points", type: "circle", source: "markers", filter: ["!", ["has", "point_count"]],
        paint: { "circle-color": ["get", "colour"], "circle-radius": 3.5, "circle-stroke-color": "#111",
                 "circle-stroke-width": 0.6 } });
      map.on("click", "marker-points", (e) => popup(e, (p) => `<b>${esc(p.name || "marker")}</b><br>${esc(p.state)}`));
      map.on("click", "marker-clusters", (e) => map.easeTo({ center: e.lngLat, zoom: map.getZoom() + 2 }));
      map.on("click", "changes-fill", (e) => popup(e, (p) =>
        `<b>${esc(p.from_name)} → ${esc(p.to_name)}</b><br>${fmt(p.area_km2)} km²`));
      map.on("click", "state-fill", (e) => {
        if (map.queryRenderedFeatures(e.point, { layers: ["changes-fill"] }).length) return;
        popup(e, (p) => `<b>${esc(p.name)}</b><br>${fmt(p.area_km2)} km² · ${fmt(p.share_pct, 2)} %`);
      });
      map.on("moveend", () => {
        const b = Math.floor(map.getZoom());
        if (b !== zoomBucket) { zoomBucket = b; if (onZoomBucket) onZoomBucket(b); }
      });
      zoomBucket = Math.floor(map.getZoom());
      document.body.dataset.mapReady = "1";
    });
    window.whoholdsMap = map;
    return new Promise((resolve) => (map.loaded() ? resolve() : map.once("load", resolve)));
  }

  function popup(e, html) {
    const f = e.features && e.features[0];
    if (!f) return;
    new maplibregl.Popup({ closeButton: true }).setLngLat(e.lngLat).setHTML(html(f.properties)).addTo(map);
  }

  function esc(s) {
    return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  function fmt(v, digits = 1) {
    return Number(v).toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  }

  function whenIdle() {
    return new Promise((resolve) => {
      if (!map.isMoving() && map.loaded() && map.areTilesLoaded()) { map.once("idle", resolve); map.triggerRepaint(); }
      else map.once("idle", resolve);
    });
  }

  async function setLayers(geojson) {
    map.getSource("layers").setData(geojson);
    await whenIdle();
    document.body.dataset.layersDate = geojson.date || "";
    document.body.dataset.layersFeatures = String(geojson.features.length);
  }

  async function setChanges(geojson) {
    map.getSource("changes").setData(geojson || EMPTY);
    changesBox = geojson && geojson.bbox ? geojson.bbox : null;
    await whenIdle();
    document.body.dataset.changesFeatures = String(geojson ? geojson.features.length : 0);
    return changesBox;
  }

  function setMarkers(geojson) {
    map.getSource("markers").setData(geojson || EMPTY);
  }

  function showChanges(on) {
    for (const id of ["changes-fill", "changes-line"]) map.setLayoutProperty(id, "visibility", on ? "visible" : "none");
  }

  function setBoundary(geojson) {
    map.getSource("boundary").setData(geojson);
    let w = 180, s = 90, e = -180, n = -90;
    const walk = (c) => {
      if (typeof c[0] === "number") { w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1]); n = Math.max(n, c[1]); }
      else c.forEach(walk);
    };
    geojson.features.forEach((f) => walk(f.geometry.coordinates));
    bounds = [[w, s], [e, n]];
    map.fitBounds(bounds, { padding: 20, duration: 0 });
  }

  function zoomCountry() { if (bounds) map.fitBounds(bounds, { padding: 20 }); }

  function zoomChanges() {
    if (changesBox) map.fitBounds([[changesBox[0], changesBox[1]], [changesBox[2], changesBox[3]]], { padding: 40, maxZoom: 11 });
  }

  function setCities(rows) {
    cityMarkers.forEach((m) => m.remove());
    cityMarkers = rows.map((r) => {
      const el = document.createElement("div");
      el.className = "city" + (r.capital ? " capital" : "");
      el.innerHTML = `<span class="dot"></span><span class="name">${esc(r.name)}</span>`;
      el.title = `${r.name}: population ${Number(r.population).toLocaleString("en-GB")} (GeoNames)`;
      return new maplibregl.Marker({ element: el, anchor: "left" }).setLngLat([r.lon, r.lat]).addTo(map);
    });
  }

  return { init, setLayers, setChanges, setMarkers, showChanges, setBoundary, setCities, zoomCountry, zoomChanges,
           zoom: () => (map ? map.getZoom() : null) };
})();
