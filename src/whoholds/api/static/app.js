// whoholds page: plain JavaScript over the JSON API; the map is MapLibre GL JS served from /static/vendor.
// Deep links: /?profile=ukraine&date=2025-03-01&d1=2025-01-01&d2=2025-03-01&by=actor
"use strict";

const $ = (id) => document.getElementById(id);
const link = new URLSearchParams(window.location.search);
const state = {
  profiles: [], profile: link.get("profile") || null, by: link.get("by") || "actor",
  dates: [], gaps: [], months: [], index: 0, d1: link.get("d1"), d2: link.get("d2"), month: link.get("month") || "",
  playing: null, layersToken: 0, method: link.get("method") || "voronoi-capped", kind: null,
};

// ---- helpers -------------------------------------------------------------------------------------------------
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "style") el.setAttribute("style", v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") p.set(k, v);
  return p.toString();
}

async function api(path, params = {}, options = {}, tries = 20) {
  const query = qs(params);
  const res = await fetch(`/api/${path}${query ? `?${query}` : ""}`, options);
  const type = res.headers.get("content-type") || "";
  if (res.status === 503 && tries > 1 && res.headers.get("retry-after")) {
    // busy (an ingest, or a long computation that goes on in the background): wait as told, then ask again
    const wait = Math.min(15, Math.max(1, Number(res.headers.get("retry-after")) || 2));
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    return api(path, params, options, tries - 1);
  }
  if (!res.ok) {
    let msg = `HTTP ${res.status}`;
    if (type.includes("json")) msg = (await res.json()).error || msg;
    throw new Error(msg);
  }
  return res.json();
}

const km2 = (v) => Number(v).toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (v) => `${Number(v).toFixed(2)} %`;
const swatch = (colour) => h("span", { class: "swatch", style: `background:${colour}` });

function banner(message) {
  const b = $("banner");
  b.textContent = message || "";
  b.hidden = !message;
}

function table(columns, rows, attrs = {}) {
  return h("table", attrs,
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { class: c.num ? "num" : null }, c.label)))),
    h("tbody", {}, rows.map((r) => h("tr", r._attrs || {}, columns.map((c) => {
      const v = c.value(r);
      return h("td", { class: c.num ? "num" : null, "data-value": c.raw ? c.raw(r) : null }, v);
    })))));
}

function currentDate() { return state.dates[state.index]; }

function updateUrl() {
  const p = { profile: state.profile, date: currentDate(), by: state.by !== "actor" ? state.by : null,
              method: state.kind === "markers" && state.method !== "voronoi-capped" ? state.method : null };
  if (state.month) p.month = state.month; else { p.d1 = state.d1; p.d2 = state.d2; }
  history.replaceState(null, "", `/?${qs(p)}`);
}

// ---- start ---------------------------------------------------------------------------------------------------
async function start() {
  const info = await api("profiles");
  state.profiles = info.profiles;
  $("store-path").textContent = `store: ${info.store}`;
  if (info.store_error) banner(info.store_error);
  const withData = state.profiles.filter((p) => p.snapshot_dates > 0);
  if (!state.profile || !state.profiles.some((p) => p.id === state.profile))
    state.profile = (withData[0] || state.profiles[0]).id;
  $("profile").replaceChildren(...state.profiles.map((p) =>
    h("option", { value: p.id, selected: p.id === state.profile }, `${p.name} (${p.snapshot_dates} snapshots)`)));
  $("by").value = state.by;
  await WhoMap.init($("map"), () => loadLayers());
  await loadProfile();
}

async function loadProfile() {
  const prof = state.profiles.find((p) => p.id === state.profile);
  const cal = await api("calendar", { profile: state.profile });
  state.dates = cal.dates; state.gaps = cal.gaps; state.months = cal.months;
  if (!state.dates.length) { banner(`The store has no ${prof.name} snapshots yet.`); return; }
  const want = link.get("date");
  let idx = state.dates.length - 1;
  if (want) { const i = state.dates.findLastIndex((d) => d <= want); if (i >= 0) idx = i; }
  state.index = idx;
  setupSlider(cal);
  setupChangeControls();
  legend(prof);
  api("boundary.geojson", { profile: state.profile }).then((g) => WhoMap.setBoundary(g)).then(() => loadLayers());
  api("places", { profile: state.profile, n: 25 }).then((r) => WhoMap.setCities(r.rows)).catch(() => {});
  await Promise.all([loadDate(), loadChanges(), loadChart(), loadLedger()]);
}

// The profile's states, or only those drawn on the map shown (a map of occupied land alone lists no grey zone).
function legend(prof, drawn = null) {
  const kinds = prof.states.filter((s) => s.kind !== "excluded" && (!drawn || drawn.has(s.id)));
  $("legend").replaceChildren(...kinds.map((s) => h("span", { class: `legend-item ${s.kind}` }, swatch(s.colour), s.name)),
    h("span", { class: "legend-item" }, h("span", { class: "swatch changed" }), "changed hands (coloured by the new holder)"));
}

// ---- time slider ---------------------------------------------------------------------------------------------
function setupSlider() {
  const s = $("slider"), n = state.dates.length;
  s.max = String(Math.max(0, n - 1));
  s.value = String(state.index);
  $("first-date").textContent = state.dates[0];
  $("last-date").textContent = state.dates[n - 1];
  const gaps = $("gaps");
  gaps.replaceChildren();
  for (const g of state.gaps) {
    const i = state.dates.indexOf(g.after);
    if (i < 0 || n < 2) continue;
    gaps.append(h("span", { class: `gap ${g.kind === "long hole" ? "long" : ""}`,
      style: `left:${(i / (n - 1)) * 100}%;width:${(1 / (n - 1)) * 100}%`,
      title: `gap: ${g.missing_days} missing after ${g.after} (next snapshot ${g.before})` }));
  }
  $("gap-count").textContent = state.gaps.length ? `${state.gaps.length} gap(s) in the archive (red)` : "no gaps";
  showDateLabel();
}

function showDateLabel() { $("date-label").textContent = currentDate() || "—"; }

let slideTimer = null;
$("slider").addEventListener("input", () => {
  state.index = Number($("slider").value);
  showDateLabel();
  clearTimeout(slideTimer);
  slideTimer = setTimeout(() => loadDate(), 120);
});

$("play").addEventListener("click", () => {
  if (state.playing) { clearInterval(state.playing); state.playing = null; $("play").textContent = "▶"; return; }
  if (state.index >= state.dates.length - 1) state.index = 0;
  $("play").textContent = "⏸";
  state.playing = setInterval(() => {
    if (state.index >= state.dates.length - 1) { clearInterval(state.playing); state.playing = null; $("play").textContent = "▶"; return; }
    state.index += 1;
    $("slider").value = String(state.index);
    showDateLabel();
    loadDate();
  }, 1500);
});

async function loadDate() {
  const date = currentDate();
  updateUrl();
  $("map-date").textContent = date;
  $("shares-date").textContent = date;
  updateDownloads();
  await Promise.all([loadLayers(), loadShares(date)]);
}

async function loadLayers() {
  const date = currentDate();
  if (!date) return;
  const token = ++state.layersToken;
  const zoom = Math.floor(WhoMap.zoom() || 5);
  try {
    const g = await api("layers.geojson", { profile: state.profile, date, zoom, method: state.method });
    if (token !== state.layersToken) return;
    $("date-note").textContent = g.note || `snapshot ${g.snapshot_id} · ${g.kind}`;
    const drawn = new Set((g.features || []).map((f) => f.properties.state));
    const prof = state.profiles.find((p) => p.id === state.profile);
    if (prof && drawn.size) legend(prof, drawn);
    await WhoMap.setLayers(g);
    if (g.kind !== state.kind || g.kind === "markers") markerExtras(g);
  } catch (e) { banner(e.message); }
}

async function markerExtras(g) {
  state.kind = g.kind;
  const markers = g.kind === "markers";
  $("method-box").hidden = !markers;
  $("range-box").hidden = !markers;
  if (!markers) { WhoMap.setMarkers(null); return; }
  $("method").value = state.method;
  api("markers.geojson", { profile: state.profile, date: g.date }).then((points) => {
    WhoMap.setMarkers(points);
    document.body.dataset.markers = String(points.features.length);
  }).catch((e) => banner(e.message));
  $("range-box").replaceChildren(h("p", { class: "muted" }, "Computing the range across marker methods…"));
  try {
    const range = await api("marker-range", { profile: state.profile, date: g.date,
                                              by: state.by === "state" ? "actor" : state.by });
    $("range-box").replaceChildren(h("p", {}, `Marker estimate (${state.method}). Range across the methods `
      + `(${range.methods.join(", ")}):`), h("ul", {}, range.summary.map((r) => h("li", {}, r.sentence))));
  } catch (e) { $("range-box").replaceChildren(h("p", { class: "error" }, e.message)); }
}

$("method").addEventListener("change", () => { state.method = $("method").value; updateUrl(); loadLayers(); });

async function loadShares(date) {
  try {
    const r = await api("shares", { profile: state.profile, date, by: state.by });
    const rows = r.rows;
    $("shares-box").replaceChildren(table([
      { label: "", value: (x) => swatch(r.colours[x.group] || "#ccc") },
      { label: state.by, value: (x) => x.name },
      { label: "km²", num: true, value: (x) => km2(x.area_km2), raw: (x) => x.area_km2 },
      { label: "% of the country", num: true, value: (x) => pct(x.share_pct), raw: (x) => x.share_pct },
    ], rows.map((x) => ({ ...x, _attrs: { "data-group": x.group } })), { id: "shares-table", "data-date": r.date }));
    const b = r.boundary;
    $("denominator").textContent = `Denominator: ${b.name} (${km2(b.area_km2)} km², ${b.id}). ${b.note || ""}`;
    const first = rows[0] || {};
    const prov = { method: first.method, snapshot: first.snapshot_id, source: first.source, boundary: b.id,
                   version: first.whoholds_version };
    $("provenance").replaceChildren(...Object.entries(prov).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "—")]));
  } catch (e) { $("shares-box").replaceChildren(h("p", { class: "error" }, e.message)); }
}

// ---- changes -------------------------------------------------------------------------------------------------
function setupChangeControls() {
  const opts = (sel) => state.dates.map((d) => h("option", { value: d, selected: d === sel }, d));
  const n = state.dates.length;
  if (!state.d2 || !state.dates.includes(state.d2)) state.d2 = state.dates[n - 1];
  if (!state.d1 || !state.dates.includes(state.d1)) state.d1 = state.dates[Math.max(0, n - 2)];
  $("d1").replaceChildren(...opts(state.d1));
  $("d2").replaceChildren(...opts(state.d2));
  $("month").replaceChildren(h("option", { value: "" }, "—"),
    ...state.months.map((m) => h("option", { value: m, selected: m === state.month }, m)));
}

$("compare").addEventListener("click", () => {
  state.d1 = $("d1").value; state.d2 = $("d2").value; state.month = ""; $("month").value = "";
  loadChanges();
});
$("month").addEventListener("change", () => { state.month = $("month").value; if (state.month) loadChanges(); });
$("zoom-changes").addEventListener("click", () => WhoMap.zoomChanges());
$("zoom-country").addEventListener("click", () => WhoMap.zoomCountry());
$("show-changes").addEventListener("change", () => WhoMap.showChanges($("show-changes").checked));

function changeParams() {
  return state.month ? { profile: state.profile, month: state.month } : { profile: state.profile, d1: state.d1, d2: state.d2 };
}

async function loadChanges() {
  updateUrl();
  updateDownloads();
  const params = { ...changeParams(), by: state.by };
  $("changes-card").dataset.loading = "1";
  try {
    const g = await api("changes.geojson", params);
    $("changes-how").textContent = g.how;
    $("changes-headline").textContent = g.headline;
    const summary = g.summary.filter((r) => r.gains_km2 >= 0.005 || r.losses_km2 >= 0.005);  // shown to 0.01 km²
    $("changes-summary").replaceChildren(table([
      { label: "", value: (x) => swatch(g.colours[x.group] || "#ccc") },
      { label: state.by, value: (x) => x.name },
      { label: "gains", num: true, value: (x) => km2(x.gains_km2), raw: (x) => x.gains_km2 },
      { label: "losses", num: true, value: (x) => km2(x.losses_km2), raw: (x) => x.losses_km2 },
      { label: "net", num: true, value: (x) => (x.net_km2 >= 0 ? "+" : "") + km2(x.net_km2), raw: (x) => x.net_km2 },
    ], summary.map((x) => ({ ...x, _attrs: { "data-group": x.group } })), { id: "changes-table", "data-d1": g.d1, "data-d2": g.d2 }));
    const m = g.matrix;
    // only the holders that lost or gained anything (the others are all diagonal)
    const moved = (i) => m.km2[i].some((v, j) => j !== i && v >= 0.005) || m.km2.some((row, k) => k !== i && row[i] >= 0.005);
    const keep = m.from.map((_, i) => i).filter(moved);
    $("changes-matrix").replaceChildren(keep.length ? h("table", { class: "matrix" },
      h("thead", {}, h("tr", {}, h("th", {}, "from \\ to"), keep.map((j) => h("th", { class: "num" }, g.names[m.to[j]] || m.to[j])))),
      h("tbody", {}, keep.map((i) => h("tr", {}, h("th", {}, g.names[m.from[i]] || m.from[i]),
        keep.map((j) => h("td", { class: `num ${i === j ? "diag" : m.km2[i][j] >= 0.005 ? "moved" : ""}` }, km2(m.km2[i][j])))))))
      : h("p", { class: "small muted" }, "Nothing changed hands."));
    const box = await WhoMap.setChanges(g);
    $("zoom-changes").disabled = !box;
    $("changes-card").dataset.loaded = `${g.d1}..${g.d2}`;
  } catch (e) {
    $("changes-headline").textContent = e.message;
  } finally { delete $("changes-card").dataset.loading; }
  loadSettlements();
}

async function loadSettlements() {
  try {
    const r = await api("settlements", { ...changeParams(), by: state.by });
    const rows = r.view.slice(0, 30);  // the columns of `whoholds settlements` and the report
    $("settlements").replaceChildren(h("p", { class: "small" }, r.headline),
      rows.length ? table([
        { label: "settlement", value: (x) => x.name_local ? `${x.name} (${x.name_local})` : x.name },
        { label: "region", value: (x) => x.region ?? "" },
        { label: "population", num: true, value: (x) => (x.population == null ? "—" : Number(x.population).toLocaleString("en-GB")) },
        { label: "from", value: (x) => x.from }, { label: "to", value: (x) => x.to },
        { label: "", value: (x) => x.direction === "contested" ? "contested" : "" },
      ], rows, { class: "settlements" }) : "", r.total > rows.length ? h("p", { class: "small muted" }, `… and ${r.total - rows.length} more`) : "");
  } catch (e) { $("settlements").replaceChildren(h("p", { class: "small muted" }, e.message)); }
}

// ---- chart ---------------------------------------------------------------------------------------------------
async function loadChart() {
  try {
    const every = state.dates.length > 120 ? "week" : "snapshot";
    const r = await api("timeline", { profile: state.profile, by: state.by, every });
    const prof = state.profiles.find((p) => p.id === state.profile);
    const colours = {};
    for (const row of r.rows) colours[row.group] = colourOf(prof, row.group);
    WhoChart.draw($("chart"), r.rows, colours, $("tooltip"));
    $("chart-method").textContent = `every ${r.every} · by ${r.by}`;
    const convention = r.convention ? r.convention[0].toUpperCase() + r.convention.slice(1) : "";
    $("chart-note").textContent = `Share = area held / the whole country's area. ${convention}. Method: ${r.method}`;
  } catch (e) { $("chart").replaceChildren(h("p", { class: "error" }, e.message)); }
}

function colourOf(prof, key) {
  for (const list of [prof.actors, prof.coalitions, prof.states]) {
    const hit = list.find((x) => x.id === key);
    if (hit) return hit.colour;
  }
  return "#999999";
}

// ---- downloads -----------------------------------------------------------------------------------------------
function updateDownloads() {
  const date = currentDate();
  const ch = changeParams();
  const a = (href, text, id) => h("a", { href: `/api/export/${href}`, download: "", id }, text);
  const items = [
    ["Layers of ", date, ": ", a(`layers?${qs({ profile: state.profile, date, format: "geojson" })}`, "GeoJSON", "dl-layers-geojson"),
      " · ", a(`layers?${qs({ profile: state.profile, date, format: "gpkg" })}`, "GeoPackage", "dl-layers-gpkg"),
      " · ", a(`layers?${qs({ profile: state.profile, date, format: "parquet" })}`, "GeoParquet")],
    ["Changed areas: ", a(`changes?${qs({ ...ch, format: "geojson" })}`, "GeoJSON", "dl-changes-geojson"),
      " · ", a(`changes?${qs({ ...ch, format: "gpkg" })}`, "GeoPackage")],
    ["Tables (CSV): ", a(`table?${qs({ name: "shares", profile: state.profile, date, by: state.by })}`, "shares"),
      " · ", a(`table?${qs({ name: "changes", ...ch, by: state.by })}`, "transfers"),
      " · ", a(`table?${qs({ name: "timeline", profile: state.profile, by: state.by })}`, "timeline"),
      " · ", a(`catalog?${qs({ profile: state.profile, format: "csv" })}`, "catalog"),
      " · ", a(`catalog?${qs({ format: "sqlite" })}`, "catalog + ledger (SQLite)")],
  ];
  $("downloads").replaceChildren(...items.map((parts) => h("li", {}, parts)));
}

// ---- claims --------------------------------------------------------------------------------------------------
$("check-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const box = $("verdicts");
  box.replaceChildren(h("p", { class: "muted" }, "Checking…"));
  $("check-button").disabled = true;
  try {
    const body = { text: $("claim-text").value, country: state.profile, date: $("claim-date").value || null,
                   speaker: $("claim-speaker").value || null };
    const r = await api("check", {}, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    box.replaceChildren(...r.verdicts.map((v, i) => verdictCard(v, r.claimreview[i])));
  } catch (e) {
    box.replaceChildren(h("p", { class: "error", id: "check-error" }, e.message));
  } finally { $("check-button").disabled = false; }
});

function verdictCard(v, review) {
  const c = v.claim || {};
  const period = c.period_start ? `${c.period_start} → ${c.period_end || c.as_of}` : (c.as_of || "—");
  const readings = [["metric", c.metric], ["subject", c.subject_text ? `${c.subject_text} (${c.subject})` : c.subject],
    ["direction", c.direction], ["period / date", period], ["denominator", c.denominator],
    ["figure claimed", `${c.comparator || ""} ${c.value ?? "—"} ${c.unit || ""}`]];
  // the figure the maps give and the rule the verdict applies: a reader sees both beside the verdict
  const f = v.computed;
  if (f && f.value != null) {
    const unit = f.unit === "percent" ? "%" : f.unit === "km2" ? " km²" : ` ${f.unit || ""}`;
    readings.push(["figure computed", `${Number(f.value).toLocaleString("en-GB", { maximumFractionDigits: 2 })}${unit} — ${f.definition || ""} (${f.date || v.snapshot_date || ""})`]);
  }
  if (v.tolerance) readings.push(["tolerance", v.tolerance]);
  const sens = v.sensitivity || [];
  const blob = new Blob([JSON.stringify(review, null, 2)], { type: "application/ld+json" });
  return h("div", { class: "verdict" },
    h("div", { class: "verdict-head" }, h("span", { class: `label ${String(v.label).replace(/\W+/g, "-")}`, "data-label": v.label }, v.label),
      h("span", {}, c.description || c.quote || "")),
    h("table", { class: "readings" }, h("tbody", {}, readings.map(([k, val]) => h("tr", {}, h("th", {}, k), h("td", {}, val ?? "—"))))),
    h("p", { class: "explanation" }, v.explanation || v.reason || ""),
    sens.length ? table([
      { label: "definition", value: (s) => s.variant }, { label: "figure", num: true, value: (s) => s.value == null ? "—" : Number(s.value).toFixed(2) },
      { label: "verdict", value: (s) => s.label }, { label: "note", value: (s) => s.note || "" },
    ], sens, { class: "sensitivity" }) : "",
    review ? h("a", { href: URL.createObjectURL(blob), download: "claimreview.json", class: "small" }, "Download ClaimReview (JSON-LD)") : "");
}

// A ledger value as people read it: thousands separators, a range by its ends, "not" for a negated figure.
function ledgerValue(x) {
  const n = (v) => Number(v).toLocaleString("en-GB", { maximumFractionDigits: 2 });
  let text = x.low != null && x.high != null && x.low !== x.high ? `${n(x.low)}–${n(x.high)}` : (x.value == null ? "—" : n(x.value));
  if (x.unit) text += x.unit === "%" ? " %" : ` ${x.unit}`;
  if (x.per) text += ` a ${x.per}`;
  return x.negated ? `not ${text}` : text;
}

async function loadLedger() {
  try {
    const r = await api("ledger");
    if (!r.total) { $("ledger").replaceChildren(h("p", { class: "small muted" }, "The ledger is empty (whoholds read / ledger add-csv).")); return; }
    const counts = {};
    for (const f of r.flags) counts[f.flag] = (counts[f.flag] || 0) + 1;
    // every kind of flag with what it means, flagged or not, so a reader knows what was checked
    const kinds = h("dl", { class: "flag-kinds small" }, Object.entries(r.flag_kinds).flatMap(([k, why]) => [
      h("dt", {}, `${k} (${counts[k] || 0})`), h("dd", {}, why)]));
    $("ledger").replaceChildren(
      h("p", { class: "small" }, `${r.total} reported figure(s)${r.shown < r.total ? ` (first ${r.shown} shown)` : ""}; ${r.flags.length} flag(s).`),
      kinds,
      r.flags.length ? table([
        { label: "flag", value: (x) => x.flag }, { label: "party", value: (x) => x.party ?? "" },
        { label: "source", value: (x) => x.source ?? "" }, { label: "reason", value: (x) => x.message ?? "" },
      ], r.flags, { class: "ledger-flags" }) : "",
      table([
        { label: "as of", value: (x) => x.as_of ?? "" }, { label: "speaker", value: (x) => x.speaker ?? "" },
        { label: "measure", value: (x) => x.measure ?? "" }, { label: "series", value: (x) => x.series ?? "" },
        { label: "party", value: (x) => x.party ?? "" }, { label: "value", num: true, value: ledgerValue, raw: (x) => x.value },
        { label: "verdict", value: (x) => x.verdict ?? "" },
      ], r.figures.slice(0, 200), { class: "ledger-figures" }));
  } catch (e) { $("ledger").replaceChildren(h("p", { class: "small muted" }, e.message)); }
}

// ---- controls ------------------------------------------------------------------------------------------------
$("profile").addEventListener("change", () => {
  state.profile = $("profile").value; state.d1 = state.d2 = null; state.month = "";
  link.delete("date");
  loadProfile();
});
$("by").addEventListener("change", () => {
  state.by = $("by").value;
  loadShares(currentDate()); loadChanges(); loadChart(); updateDownloads(); updateUrl();
});

start().catch((e) => banner(e.message));
