// Enhances the static SVG map of an area page with Leaflet: the area's boundary, one marker
// per record (clustered), popups that link to the record pages, and a toggle per kind.
// Without JavaScript (or if anything here fails) the SVG map and the lists remain.

import { site } from "./page.js";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for HTML that Leaflet inserts (popups, icons, attribution): safe in element content and
 *  in quoted attribute values. (A span's innerHTML, used before, leaves quotes as they are, so a
 *  `"` in a URL ended the href and could add attributes.) */
export function escapeHtml(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** The tile attribution as the HTML Leaflet takes: the text, linked only to an http(s) URL.
 *  Both come from site.yaml (checked by the build; checked again here as every site file may
 *  come from an untrusted pull request). */
export function attributionHtml(text, url) {
  const label = escapeHtml(text);
  return /^https?:\/\//i.test(url || "") ? `<a href="${escapeHtml(url)}">${label}</a>` : label;
}

/** The marker of each kind as the page's legend draws it (`<li data-kind>` with the glyph the
 *  build drew from src/render/svg.rs, which defines every kind's colour and shape once): the
 *  Leaflet markers look like the static map's without a copy of those here. */
export function legendGlyphs(legend) {
  const glyphs = {};
  for (const item of legend?.querySelectorAll("li[data-kind]") || []) {
    const g = item.querySelector("svg g");
    if (g) glyphs[item.dataset.kind] = g.outerHTML;
  }
  return glyphs;
}

/** A plain dot for a kind the legend does not draw (a theme that leaves the legend out). */
const FALLBACK_GLYPH = '<g fill="currentColor" stroke="#fff" stroke-width="1.5"><circle r="6"/></g>';

function icon(L, glyphs, kind) {
  const svg = `<svg viewBox="-8 -8 16 16" width="18" height="18" aria-hidden="true">${glyphs[kind] || FALLBACK_GLYPH}</svg>`;
  // The target is 24 × 24 px (the symbol 18): a finger or a pointer need not be precise.
  return L.divIcon({ html: svg, className: "km-marker", iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -10] });
}

async function getJSON(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

async function enhance(host) {
  const L = window.L;
  if (!L || !L.markerClusterGroup) return;
  const { lang, pages: pagePrefix } = site();
  const [records, boundary] = await Promise.all([getJSON(host.dataset.geojson), getJSON(host.dataset.boundary)]);

  const container = document.createElement("div");
  container.className = "leaflet-host";
  // A group inside the map's own region (a second landmark of the same name would be ambiguous).
  container.setAttribute("role", "group");
  container.setAttribute("aria-label", `${host.closest("section")?.getAttribute("aria-label") || "map"} (Leaflet)`);
  // The static map's proportions (same bounds and nearly the same projection), so the area fills
  // the map instead of floating in a tall box on a phone; CSS clamps the height.
  const box = host.querySelector("svg.map-svg")?.viewBox?.baseVal;
  if (box && box.width > 0 && box.height > 0) container.style.aspectRatio = `${box.width} / ${box.height}`;
  host.append(container);
  try {
    return build(L, host, container, records, boundary, pagePrefix, lang);
  } catch (error) {
    container.remove();
    throw error;
  }
}

function build(L, host, container, records, boundary, pagePrefix, lang) {
  const maxZoom = Number(host.dataset.maxZoom) || 18;
  // Leaflet's controls speak English; the page's language comes from data-label-* attributes.
  const labels = host.dataset;
  const legend = host.parentElement.querySelector(".legend");
  const glyphs = legendGlyphs(legend);
  const map = L.map(container, { scrollWheelZoom: false, maxZoom, zoomSnap: 0.25, zoomControl: false });
  L.control.zoom({ zoomInTitle: labels.labelZoomIn || "Zoom in", zoomOutTitle: labels.labelZoomOut || "Zoom out" }).addTo(map);
  map.on("popupopen", (event) => {
    const close = event.popup.getElement()?.querySelector(".leaflet-popup-close-button");
    if (close && labels.labelClose) close.setAttribute("aria-label", labels.labelClose);
  });
  if (host.dataset.tiles) {
    const attribution = attributionHtml(host.dataset.attribution, host.dataset.attributionUrl);
    L.tileLayer(host.dataset.tiles, { attribution, maxZoom }).addTo(map);
  }
  const outline = L.geoJSON(boundary, { style: { color: "#334155", weight: 2, fillColor: "#fbfaf6", fillOpacity: host.dataset.tiles ? 0.15 : 0.9 } }).addTo(map);
  map.fitBounds(outline.getBounds(), { padding: [8, 8] });

  // Clustering a thousand markers takes a phone's main thread for about a second: in chunks
  // (markercluster's chunkedLoading) the page stays responsive while they are placed.
  let loaded;
  const ready = new Promise((resolve) => (loaded = resolve));
  const cluster = L.markerClusterGroup({
    chunkedLoading: true,
    chunkInterval: 25,
    chunkDelay: 10,
    chunkProgress(done, total) {
      if (done === total) loaded();
    },
    showCoverageOnHover: false,
    // Wide enough that a marker (24 px) and a cluster (40 px) next to it do not overlap (targets of 24 × 24 px).
    maxClusterRadius: 56,
    // As markercluster's default icon, plus a name for screen readers ("12 places (select to zoom in)").
    iconCreateFunction(group) {
      const n = group.getChildCount();
      const size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      const name = (labels.labelCluster || "{n}").replace("{n}", String(n));
      return L.divIcon({
        html: `<div><span class="cluster-count" aria-hidden="true">${n}</span><span class="visually-hidden">${escapeHtml(name)}</span></div>`,
        className: `marker-cluster marker-cluster-${size}`,
        iconSize: L.point(40, 40),
      });
    },
  });
  const byKind = {};
  // One icon per kind, shared by its markers (Leaflet creates each marker's element from it):
  // a thousand icon objects were a good part of the page's longest task on a phone.
  const icons = {};
  for (const feature of records.features) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const kindIcon = (icons[p.kind] ||= icon(L, glyphs, p.kind));
    const marker = L.marker([lat, lon], { icon: kindIcon, title: p.name, alt: p.name, keyboard: true });
    const href = pagePrefix + p.page;
    const name = lang === "en" && p.name_en ? p.name_en : p.name;
    marker.bindPopup(`<div class="map-popup"><a href="${escapeHtml(href)}">${escapeHtml(name)}</a></div>`);
    marker.feature = feature;
    (byKind[p.kind] ||= []).push(marker);
  }
  // One call: chunkProgress counts per call, so with one call per kind `ready` came when the
  // first kind was placed, while the others still were.
  cluster.addLayers(Object.values(byKind).flat());
  map.addLayer(cluster);
  // The Leaflet map takes the static map's place now (CSS: .map.live); `enhanced` once every
  // marker is placed.
  host.classList.add("live");
  ready.then(() => {
    host.classList.add("enhanced");
    host.dataset.markers = String(records.features.length);
  });

  // One checkbox per kind present on the page, labelled like the legend.
  if (legend) {
    const fieldset = document.createElement("fieldset");
    fieldset.className = "map-toggles";
    const caption = document.createElement("legend");
    caption.textContent = legend.getAttribute("aria-label") || "";
    fieldset.append(caption);
    for (const item of legend.querySelectorAll("li")) {
      const kind = item.dataset.kind;
      if (!kind || !byKind[kind]) continue;
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = kind;
      // After the first placing, as the filters' narrowing (a chunked add must not interleave with removals).
      box.addEventListener("change", () =>
        ready.then(() => {
          if (box.checked) cluster.addLayers(byKind[kind]);
          else cluster.removeLayers(byKind[kind]);
        }),
      );
      label.append(box, ...item.cloneNode(true).childNodes);
      fieldset.append(label);
    }
    legend.replaceWith(fieldset);
  }
  // filters.js narrows the markers to the records it shows.
  const narrow = (detail) => {
    const visible = detail.visible;
    for (const [kind, markers] of Object.entries(byKind)) {
      cluster.removeLayers(markers);
      const box = host.parentElement.querySelector(`.map-toggles input[value="${kind}"]`);
      if (box && !box.checked) continue;
      cluster.addLayers(markers.filter((m) => !visible || visible.has(m.feature.properties.id)));
    }
    host.dataset.shown = String(visible ? records.features.filter((f) => visible.has(f.properties.id)).length : records.features.length);
  };
  // After the first placing of the markers (a chunked add must not interleave with removals).
  document.addEventListener("kenkomap:filter", (event) => ready.then(() => narrow(event.detail)));
  // Filters applied before the map was ready (a shared filter URL).
  ready.then(() => document.kenkomapFilter && narrow(document.kenkomapFilter));
  return map;
}

// Only in a page: the node tests import the functions above without a document.
if (typeof document !== "undefined") {
  for (const host of document.querySelectorAll(".map[data-geojson]")) {
    enhance(host).catch((error) => console.warn("map enhancement failed; the static map remains", error));
  }
}
