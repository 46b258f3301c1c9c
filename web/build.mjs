// Copies the prebuilt MapLibre GL JS bundle (UMD, worker inlined) from node_modules into the Python package's
// static assets, so `whoholds serve` works with no internet. Run: npm ci && npm run build (see docs/web.md).
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, "node_modules", "maplibre-gl", "dist");
const out = join(here, "..", "src", "whoholds", "api", "static", "vendor");
mkdirSync(out, { recursive: true });
for (const name of ["maplibre-gl.js", "maplibre-gl.css", "LICENSE.txt"]) {
  const target = name === "LICENSE.txt" ? "maplibre-gl.LICENSE.txt" : name;
  copyFileSync(join(src, name), join(out, target));
}
const version = JSON.parse(readFileSync(join(here, "node_modules", "maplibre-gl", "package.json"))).version;
console.log(`maplibre-gl ${version} -> ${out}`);
