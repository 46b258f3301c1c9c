// whoholds page: plain JavaScript over the JSON API (no libraries, no external URLs).
"use strict";

const $ = (id) => document.getElementById(id);
const state = { profiles: [], profile: null, dates: [], date: null, by: "actor", every: "month" };
const urls = {}; // object URLs of the current images, revoked when replaced
// Deep links: /?profile=ukraine&date=2024-12-01&by=coalition&claim=Russia+holds+18%25+of+Ukraine
const link = new URLSearchParams(window.location.search);

// ---- helpers -----------------------------------------------------------------------------------------------
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

async function api(path, params = {}, options = {}) {
  const url = `/api/${path}` + (Object.keys(params).length ? `?${qs(params)}` : "");
  const res = await fetch(url, options);
  const type = res.headers.get("content-type") || "";
  if (!res.ok) {
    let msg = `HTTP ${res.status}`;
    if (type.includes("json")) msg = (await res.json()).error || msg;
    throw new Error(msg);
  }
  return type.includes("json") ? res.json() : res.blob();
}

const km2 = (v) => (v === null || v === undefined ? "—" : Number(v).toLocaleString("en-US", { maximumFractionDigits: 0 }));
const km2x = (v) => Number(v).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pct = (v) => (v === null || v === undefined ? "—" : `${Number(v).toFixed(2)}%`);
const signed = (v) => (v > 0 ? "+" : v < 0 ? "−" : "") + km2x(Math.abs(v));
const base = (p) => String(p || "").split(/[\\/]/).pop();

function placeholder(box, text) { box.replaceChildren(h("div", { class: "placeholder" }, text)); }
function showError(box, err) { box.replaceChildren(h("div", { class: "error" }, err.message || String(err))); }
function banner(text) { const b = $("banner"); b.hidden = !text; b.textContent = text || ""; }

async function showImage(box, key, path, params, alt, link) {
  placeholder(box, "Drawing…");
  try {
    const blob = await api(path, params);
    if (urls[key]) URL.revokeObjectURL(urls[key]);
    urls[key] = URL.createObjectURL(blob);
    box.replaceChildren(h("img", { src: urls[key], alt }));
    if (link) link.href = `/api/${path}?${qs(params)}`;
  } catch (err) { showError(box, err); }
}

// ---- profiles and dates ------------------------------------------------------------------------------------
async function loadProfiles() {
  const data = await api("profiles");
  state.profiles = data.profiles;
  $("store-path").textContent = `store: ${data.store}`;
  if (data.store_error) banner(data.store_error);
  const sel = $("profile");
  sel.replaceChildren(...data.profiles.map((p) => h("option", { value: p.id, disabled: !p.snapshot_dates },
    `${p.id} — ${p.snapshot_dates} snapshot dates`)));
  const first = data.profiles.find((p) => p.id === link.get("profile"))
    || data.profiles.find((p) => p.snapshot_dates) || data.profiles[0];
  sel.value = first.id;
  if (!first.snapshot_dates) banner(data.store_error || "The store holds no snapshots yet: run `whoholds ingest PATH --profile NAME`.");
  await selectProfile(first.id);
}

async function selectProfile(id) {
  state.profile = id;
  const data = await api("snapshots", { profile: id });
  state.dates = data.dates;
  const sel = $("date");
  sel.replaceChildren(...[...data.dates].reverse().map((d) => h("option", { value: d }, d)));
  const wanted = link.get("date");
  state.date = data.dates.includes(wanted) ? wanted : data.dates.length ? data.dates[data.dates.length - 1] : null;
  link.delete("date");
  sel.value = state.date || "";
  refreshAll(true);
}

function refreshAll(withTimeline) {
  if (!state.date) {
    const none = `No ${state.profile} snapshots in the store.`;
    for (const id of ["map-box", "shares-box", "changes-box", "timeline-box"]) placeholder($(id), none);
    return;
  }
  $("claim-date").value = state.date;
  loadShares();
  loadChanges();
  const mapParams = { profile: state.profile, date: state.date };
  $("map-date").textContent = state.date;
  showImage($("map-box"), "map", "map.svg", mapParams, `Control map ${state.profile} ${state.date}`, $("map-link"));
  if (withTimeline) loadTimeline();
  const end = new Date(`${state.date}T00:00:00Z`);
  const start = new Date(end); start.setUTCMonth(start.getUTCMonth() - 3);
  const from = state.dates.find((d) => d >= start.toISOString().slice(0, 10) && d < state.date) || state.dates[0];
  $("report-link").href = `/api/report.html?${qs({ profile: state.profile, from, to: state.date, every: "week" })}`;
  $("report-link").hidden = from >= state.date;
}

// ---- shares ------------------------------------------------------------------------------------------------
async function loadShares() {
  const box = $("shares-box");
  placeholder(box, "Computing…");
  try {
    const data = await api("shares", { profile: state.profile, date: state.date, by: state.by });
    $("shares-date").textContent = data.date;
    $("shares-boundary").textContent = `% of ${data.boundary.name}, ${km2(data.boundary.area_km2)} km²`;
    const rows = data.rows;
    const max = Math.max(...rows.map((r) => r.share_pct), 1);
    const body = rows.map((r) => h("tr", {},
      h("td", {}, h("span", { class: "swatch", style: `background:${data.colours[r.group] || "#ddd"}` }), r.name,
        " ", h("span", { class: "kind" }, r.kind)),
      h("td", { class: "num" }, km2(r.area_km2)),
      h("td", { class: "num" }, pct(r.share_pct)),
      h("td", { style: "width:26%" }, h("div", { class: "bar" },
        h("span", { style: `width:${(100 * r.share_pct / max).toFixed(1)}%;background:${data.colours[r.group] || "#bbb"}` })))));
    const total = rows.reduce((s, r) => s + r.area_km2, 0);
    box.replaceChildren(h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "Holder"), h("th", { class: "num" }, "km²"), h("th", { class: "num" }, "share"), h("th", {}, ""))),
      h("tbody", {}, body, h("tr", { class: "total" }, h("td", {}, "Total"), h("td", { class: "num" }, km2(total)),
        h("td", { class: "num" }, pct(100 * total / data.boundary.area_km2)), h("td", {})))));
    const r0 = rows[0] || {};
    const prov = [["snapshot", r0.snapshot_id], ["source", base(r0.source)], ["boundary", r0.boundary],
      ["overlap resolved", r0.overlap_km2 !== undefined ? `${km2x(r0.overlap_km2)} km²` : ""],
      ["method", r0.method], ["whoholds", r0.whoholds_version]];
    $("provenance").replaceChildren(...prov.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v || "—")]));
    $("version").textContent = r0.whoholds_version || "";
  } catch (err) { showError(box, err); }
}

async function loadChanges() {
  const box = $("changes-box");
  const i = state.dates.indexOf(state.date);
  if (i <= 0) { $("changes-title").textContent = "Changes"; placeholder(box, "This is the first stored snapshot."); return; }
  const prev = state.dates[i - 1];
  $("changes-title").textContent = `Changes since ${prev}`;
  placeholder(box, "Computing…");
  try {
    const data = await api("changes", { profile: state.profile, d1: prev, d2: state.date, by: state.by });
    const rows = data.summary.filter((r) => r.gains_km2 > 0.05 || r.losses_km2 > 0.05);
    if (!rows.length) { placeholder(box, "Nothing changed hands."); return; }
    box.replaceChildren(h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "Holder"), h("th", { class: "num" }, "gained km²"),
        h("th", { class: "num" }, "lost km²"), h("th", { class: "num" }, "net km²"))),
      h("tbody", {}, rows.map((r) => h("tr", {},
        h("td", {}, h("span", { class: "swatch", style: `background:${data.colours[r.group] || "#ddd"}` }), r.name),
        h("td", { class: "num" }, km2x(r.gains_km2)), h("td", { class: "num" }, km2x(r.losses_km2)),
        h("td", { class: `num ${r.net_km2 > 0 ? "pos" : r.net_km2 < 0 ? "neg" : ""}` }, signed(r.net_km2)))))));
  } catch (err) { showError(box, err); }
}

function loadTimeline() {
  const params = { profile: state.profile, every: state.every, by: state.by };
  showImage($("timeline-box"), "timeline", "timeline.svg", params, `Timeline ${state.profile}`);
}

// ---- claims ------------------------------------------------------------------------------------------------
function verdictCard(v, review) {
  const label = v.label || "cannot be checked";
  const c = v.computed;
  const unit = c ? (c.unit === "percent" ? "%" : ` ${String(c.unit).replace(/^km2$/, "km²")}`) : "";
  const value = c ? (c.unit === "percent" ? Number(c.value).toFixed(2) : km2x(c.value)) : null;
  return h("div", { class: `verdict label-${label.replace(/\s+/g, "-")}` },
    h("div", { class: "head" }, h("span", { class: "badge" }, label), h("strong", {}, v.claim.description || v.claim.quote)),
    c ? h("p", { class: "figureline" }, "Computed: ", h("strong", {}, `${value}${unit}`),
      ` on ${v.snapshot_date}`, v.distance_days ? ` (${v.distance_days} day${v.distance_days === 1 ? "" : "s"} from the claim's date)` : "") : null,
    h("p", {}, v.explanation),
    v.sensitivity && v.sensitivity.length ? h("details", {}, h("summary", {}, "Sensitivity"),
      h("table", {}, h("tbody", {}, v.sensitivity.map((s) => h("tr", {}, h("td", {}, s.variant),
        h("td", { class: "num" }, s.value === null ? "—" : (c && c.unit === "percent" ? pct(s.value) : km2x(s.value))),
        h("td", {}, s.label)))))) : null,
    c ? h("details", {}, h("summary", {}, "Provenance"), h("pre", {}, [
      `snapshots: ${c.snapshot_ids}`, `sources: ${c.sources}`, `boundary: ${c.boundary}`,
      `definition: ${c.definition}`, `method: ${c.method}`, `tolerance: ${v.tolerance}`].join("\n"))) : null,
    h("details", {}, h("summary", {}, "ClaimReview (schema.org JSON-LD)"), h("pre", {}, JSON.stringify(review, null, 2))));
}

async function checkClaim(event) {
  event.preventDefault();
  const out = $("verdicts");
  const button = $("check-button");
  button.disabled = true;
  placeholder(out, "Checking…");
  try {
    const data = await api("check", {}, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: $("claim-text").value, country: state.profile,
        date: $("claim-date").value || null, speaker: $("claim-speaker").value || null }),
    });
    out.replaceChildren(...data.verdicts.map((v, i) => verdictCard(v, data.claimreview[i])));
  } catch (err) { showError(out, err); } finally { button.disabled = false; }
}

// ---- wiring ------------------------------------------------------------------------------------------------
$("profile").addEventListener("change", (e) => selectProfile(e.target.value).catch((err) => banner(err.message)));
$("date").addEventListener("change", (e) => { state.date = e.target.value; refreshAll(false); });
$("by").addEventListener("change", (e) => { state.by = e.target.value; refreshAll(true); });
$("every").addEventListener("change", (e) => { state.every = e.target.value; loadTimeline(); });
$("check-form").addEventListener("submit", checkClaim);
if (["actor", "coalition", "state"].includes(link.get("by"))) { state.by = link.get("by"); $("by").value = state.by; }
loadProfiles().then(() => {
  if (link.get("claim")) {
    $("claim-text").value = link.get("claim");
    if (link.get("speaker")) $("claim-speaker").value = link.get("speaker");
    $("check-form").requestSubmit();
  }
}).catch((err) => banner(`Cannot load the profiles: ${err.message}`));
