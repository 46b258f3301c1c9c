// Shares over time: one SVG line per group (plain SVG, no library), with hover values.
"use strict";

const WhoChart = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const el = (tag, attrs = {}) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };

  // rows: [{date, group, name, share_pct, area_km2}], colours: {group: "#rrggbb"}
  function draw(box, rows, colours, tooltip) {
    box.textContent = "";
    if (!rows.length) { box.textContent = "No data."; return; }
    const dates = [...new Set(rows.map((r) => r.date))].sort();
    const groups = [...new Set(rows.map((r) => r.group))];
    const names = Object.fromEntries(rows.map((r) => [r.group, r.name]));
    const byKey = new Map(rows.map((r) => [`${r.group}|${r.date}`, r]));
    const W = Math.max(box.clientWidth || 800, 400), H = 260, L = 46, R = 12, T = 10, B = 26;
    const t = dates.map((d) => Date.parse(d));
    const t0 = t[0], t1 = t[t.length - 1] === t0 ? t0 + 1 : t[t.length - 1];
    const top = Math.max(...rows.map((r) => r.share_pct || 0));
    const step = top > 50 ? 20 : 10;
    const vmax = Math.min(100, Math.ceil(top / step) * step || step);
    const x = (ms) => L + ((ms - t0) / (t1 - t0)) * (W - L - R);
    const y = (v) => T + (1 - v / vmax) * (H - T - B);
    const svg = el("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Shares over time" });
    for (let v = 0; v <= vmax; v += step) {
      svg.append(el("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }));
      const lab = el("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" });
      lab.textContent = `${Math.round(v)}%`;
      svg.append(lab);
    }
    const years = [...new Set(dates.map((d) => d.slice(0, 4)))];
    for (const yr of years) {
      const ms = Date.parse(`${yr}-01-01`);
      if (ms < t0 || ms > t1) continue;
      svg.append(el("line", { x1: x(ms), x2: x(ms), y1: T, y2: H - B, class: "grid" }));
      const lab = el("text", { x: x(ms) + 3, y: H - 8, class: "axis" });
      lab.textContent = yr;
      svg.append(lab);
    }
    for (const g of groups) {
      const pts = dates.map((d, i) => [t[i], byKey.get(`${g}|${d}`)]).filter(([, r]) => r);
      const path = pts.map(([ms, r], i) => `${i ? "L" : "M"}${x(ms).toFixed(1)},${y(r.share_pct).toFixed(1)}`).join("");
      svg.append(el("path", { d: path, fill: "none", stroke: colours[g] || "#666", "stroke-width": 2, "data-group": g }));
    }
    const cursor = el("line", { y1: T, y2: H - B, class: "cursor", visibility: "hidden" });
    svg.append(cursor);
    svg.addEventListener("mousemove", (ev) => {
      const rect = svg.getBoundingClientRect();
      const px = ev.clientX - rect.left;
      let best = 0;
      for (let i = 1; i < t.length; i++) if (Math.abs(x(t[i]) - px) < Math.abs(x(t[best]) - px)) best = i;
      cursor.setAttribute("x1", x(t[best])); cursor.setAttribute("x2", x(t[best]));
      cursor.setAttribute("visibility", "visible");
      const lines = groups.map((g) => byKey.get(`${g}|${dates[best]}`)).filter(Boolean)
        .map((r) => `<span class="swatch" style="background:${colours[r.group] || "#666"}"></span>${names[r.group]}: `
          + `${r.share_pct.toFixed(2)} % (${Math.round(r.area_km2).toLocaleString("en-GB")} km²)`);
      tooltip.innerHTML = `<b>${dates[best]}</b><br>${lines.join("<br>")}`;
      tooltip.hidden = false;
      tooltip.style.left = `${ev.pageX + 14}px`;
      tooltip.style.top = `${ev.pageY + 10}px`;
    });
    svg.addEventListener("mouseleave", () => { cursor.setAttribute("visibility", "hidden"); tooltip.hidden = true; });
    box.append(svg);
    const legend = document.createElement("div");
    legend.className = "legend small";
    legend.innerHTML = groups.map((g) => `<span><span class="swatch" style="background:${colours[g] || "#666"}"></span>${names[g]}</span>`).join(" ");
    box.append(legend);
  }

  return { draw };
})();
