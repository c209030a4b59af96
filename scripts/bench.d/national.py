#!/usr/bin/env python3
"""Generates the national benchmark site from ../shared/data/national.

- data/areas/<pref>.yaml and boundaries: `kenkomap import areas` per prefecture (47), cut from
  the national N03 file with the A38 membership (the importer filters by prefecture);
- the 79,481 points of points_benchmark.csv as records, one registry file per prefecture and
  kind, mapped to the four kinds by category, with a municipality code where the point has
  one (others are placed by point-in-polygon when the site is checked);
- optionally scaled xN: copies offset by ~100 m, with their own ids.

Usage: national.py DATA_DIR SITE_DIR KENKOMAP_BIN [SCALE]
The OpenStreetMap points are ODbL: this site is for benchmarks only, never published.
"""
import csv
import json
import os
import subprocess
import sys

data, site, kenkomap = sys.argv[1], sys.argv[2], sys.argv[3]
scale = int(sys.argv[4]) if len(sys.argv) > 4 else 1

# category -> (kind, type)
KINDS = {
    "hospital": ("facilities", "hospital"),
    "bedded_facility": ("facilities", "clinic"),
    "public_health_center": ("facilities", "health_center"),
    "municipal_office": ("consultation", "other"),
    "osm_restaurant": ("restaurants", "restaurant"),
    "osm_cafe": ("restaurants", "cafeteria"),
    "osm_convenience": ("restaurants", "takeout"),
    "osm_theme_park": ("parks", "park"),
}
OTHER = ("parks", "other")
HOURS = {
    "hospital": "Mo-Fr 08:30-17:00; Sa 08:30-12:00; PH off; Dec 29-Jan 03 off",
    "public_health_center": "Mo-Fr 08:30-17:15; PH off; Dec 29-Jan 03 off",
    "municipal_office": "Mo-Fr 08:30-17:15; PH off; Dec 29-Jan 03 off",
    "osm_cafe": "Mo-Su 08:00-20:00",
}


def check_digit(code5):
    d = [int(c) for c in code5]
    return (11 - sum(x * w for x, w in zip(d, [6, 5, 4, 3, 2])) % 11) % 10


def quote(s):
    # A JSON string is a YAML double-quoted scalar (OSM names hold newlines and backslashes).
    return json.dumps(s, ensure_ascii=False)


os.makedirs(os.path.join(site, "data", "areas"), exist_ok=True)
with open(os.path.join(site, "site.yaml"), "w") as f:
    f.write(
        "title: 全国 健康情報マップ（ベンチマーク）\n"
        "title_en: National health resource map (benchmark)\n"
        "base_url: https://bench.example.jp/\n"
        "map: { tiles: false }\n"
    )

prefs = sorted({row["pref_code"] for row in csv.DictReader(open(os.path.join(data, "municipality_to_secondary_area_A38-20.csv"), encoding="utf-8-sig"))})
known = set()
for pref in prefs:
    subprocess.run(
        [kenkomap, "--site", site, "import", "areas",
         os.path.join(data, "municipalities_N03-21_all_s0010.geojson"),
         "--membership", os.path.join(data, "municipality_to_secondary_area_A38-20.csv"),
         "--prefecture", pref, "--slug", f"pref-{pref}", "--force"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
for row in csv.DictReader(open(os.path.join(data, "municipality_to_secondary_area_A38-20.csv"), encoding="utf-8-sig")):
    known.add(row["muni_code5"])

files = {}
points = list(csv.DictReader(open(os.path.join(data, "points_benchmark.csv"), encoding="utf-8-sig")))
for copy in range(scale):
    for n, p in enumerate(points):
        kind, rtype = KINDS.get(p["category"], OTHER)
        code5 = p["muni_code5"]
        lat, lon = float(p["lat"]), float(p["lon"])
        # Files per prefecture; points without a code go to files per 1° cell, as a
        # registry split by region would, so files parse in parallel.
        pref = code5[:2] if code5 else f"cell-{int(lat)}-{int(lon)}"
        lines = [f"  - id: p{copy}-{n}", f"    name: {quote(p['name'] or p['category'])}", f"    type: {rtype}"]
        if code5 in known:
            lines.append(f'    municipality: "{code5}{check_digit(code5)}"')
        # A few OpenStreetMap points lie on the Northern Territories, which belong to no 二次医療圏.
        if not code5 and lon > 145.9 and lat > 43.3:
            continue
        # Copies move ~100 m north-east each, so they stay in (almost) the same place.
        lines.append(f"    location: {{ lat: {lat + copy * 0.001:.6f}, lon: {lon + copy * 0.001:.6f} }}")
        if p["category"] in HOURS:
            lines.append(f"    hours: {HOURS[p['category']]}")
        files.setdefault((kind, pref), []).append("\n".join(lines))

for (kind, pref), records in files.items():
    path = os.path.join(site, "data", kind, f"{pref}.yaml")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(f"# Benchmark records (category mapping in scripts/bench.d/national.py)\ndefaults:\n  source: points_benchmark.csv (ODbL / 国土数値情報 / 厚生労働省)\nrecords:\n")
        f.write("\n".join(records))
        f.write("\n")
print(f"{sum(len(r) for r in files.values())} records in {len(files)} files, {len(prefs)} prefectures")
