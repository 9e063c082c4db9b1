#!/usr/bin/env python3
"""Build the world-map outlines embedded in waico (assets/maps/outlines.bin).

Usage:
    python3 tools/build_outlines.py --atlas ATLAS_DIR --iso ISO3166_CSV \\
        --out assets/maps/outlines.bin

ATLAS_DIR holds `countries-50m.json` of the npm package world-atlas 2.0.2
(Natural Earth 4.1.0 Admin 0 countries, 1:50m, as TopoJSON); ISO3166_CSV is
the ISO 3166 table of lukes/ISO-3166-Countries-with-Regional-Codes (`all.csv`),
used only to turn the atlas' numeric ids into alpha-3 codes. Both are
described in assets/maps/README.md.

What it does:
  1. decodes the TopoJSON arcs (delta-encoded, quantised: position =
     cumulative sum * transform.scale + transform.translate);
  2. simplifies every arc once (Douglas-Peucker on Equal Earth coordinates,
     tolerance TOLERANCE in projected units; shared borders are simplified
     once, so neighbours still meet exactly);
  3. assembles each country's rings from its arcs, cuts the three rings that
     cross 180 degrees into their parts on either side, leaves out Antarctica,
     drops rings that collapse to fewer than three distinct points and small
     islands (projected area below MIN_AREA) unless a ring is the country's
     largest;
  4. writes rings of points quantised to 1/UNIT degree, delta-encoded as
     zigzag varints, countries sorted by code.

Standard library only (Python 3.11). Deterministic: the same inputs give the
same output bytes.
"""

import argparse
import csv
import json
import math
import struct
import sys

# Points per degree of the stored coordinates (0.01 degree, about 1 km).
UNIT = 100

# Douglas-Peucker tolerance in Equal Earth units (the map is 5.41 units wide:
# on a map 1,100 pixels wide this is about 0.16 pixel).
TOLERANCE = 0.0008

# Rings smaller than this (Equal Earth units squared, about 0.25 square
# pixel at 1,100 pixels wide) are dropped unless they are a country's largest.
MIN_AREA = 6e-6

# Antarctica: left out of the map.
LEAVE_OUT = {"010"}

# Atlas features without an ISO numeric id, and what they are drawn as.
# Somaliland and Northern Cyprus are drawn with the UN member states whose
# territory the UN counts them in; Kosovo keeps the user-assigned code XKX
# (so a custom world file can give it a row); the Siachen Glacier (disputed
# between India and Pakistan) and Australia's Indian Ocean Territories
# (Christmas and Cocos Islands) are left out.
UNNUMBERED = {
    "Somaliland": "SOM",
    "N. Cyprus": "CYP",
    "Kosovo": "XKX",
    "Siachen Glacier": None,
    "Indian Ocean Ter.": None,
}

MAGIC = b"WOUT"
VERSION = 1

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3.0) / 2.0


def equal_earth(lon, lat):
    """Equal Earth (Savric, Patterson & Jenny 2018), unit sphere."""
    lam = math.radians(lon)
    theta = math.asin(M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    denom = 3.0 * (9.0 * A4 * t6 * t2 + 7.0 * A3 * t6 + 3.0 * A2 * t2 + A1)
    x = 2.0 * math.sqrt(3.0) * lam * math.cos(theta) / denom
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def perpendicular(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    if length == 0.0:
        return math.hypot(px - ax, py - ay)
    return abs(dy * px - dx * py + bx * ay - by * ax) / length


def douglas_peucker(projected, first, last, keep):
    """Marks in `keep` the points of projected[first..=last] to keep."""
    stack = [(first, last)]
    while stack:
        i, j = stack.pop()
        best, index = 0.0, None
        for k in range(i + 1, j):
            d = perpendicular(projected[k], projected[i], projected[j])
            if d > best:
                best, index = d, k
        if index is not None and best > TOLERANCE:
            keep[index] = True
            stack.append((i, index))
            stack.append((index, j))


def simplify(points):
    n = len(points)
    if n <= 2:
        return points
    projected = [equal_earth(lon, lat) for lon, lat in points]
    keep = [False] * n
    keep[0] = keep[-1] = True
    if points[0] == points[-1]:
        # A closed arc (an island): keep its extreme points, so that even a small
        # island keeps a shape, and simplify between them.
        for pick in (min, max):
            for axis in (0, 1):
                keep[pick(range(n - 1), key=lambda k: (projected[k][axis], k))] = True
    marks = [k for k in range(n) if keep[k]]
    for i, j in zip(marks, marks[1:]):
        douglas_peucker(projected, i, j, keep)
    return [p for p, k in zip(points, keep) if k]


def quantise(point):
    return (round(point[0] * UNIT), round(point[1] * UNIT))


def clip(ring, lo, hi):
    """Sutherland-Hodgman: the part of a ring with lo <= longitude <= hi."""
    for inside, edge in ((lambda p: p[0] <= hi, hi), (lambda p: p[0] >= lo, lo)):
        out = []
        for k, p in enumerate(ring):
            q = ring[k - 1]
            if inside(p) != inside(q):
                t = (edge - q[0]) / (p[0] - q[0])
                out.append((edge, q[1] + t * (p[1] - q[1])))
            if inside(p):
                out.append(p)
        ring = out
        if not ring:
            break
    return ring


def cut_at_antimeridian(ring):
    """A ring that crosses 180 degrees (Russia's Chukotka, Wrangel Island, a Fijian
    island) as the pieces on either side, each closed along the meridian."""
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        prev = unwrapped[-1][0]
        lon += 360.0 * round((prev - lon) / 360.0)
        unwrapped.append((lon, lat))
    lons = [p[0] for p in unwrapped]
    if min(lons) >= -180.0 and max(lons) <= 180.0:
        return [ring]
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        part = clip(unwrapped, -180.0 + shift, 180.0 + shift)
        if len(part) >= 3:
            pieces.append([(lon - shift, lat) for lon, lat in part])
    return pieces


def ring_of(indices, arcs):
    """The rings (one, or the pieces of one cut at 180 degrees) of quantised points."""
    ring = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(arc if not ring else arc[1:])
    rings = []
    for piece in cut_at_antimeridian(ring):
        out = []
        for p in map(quantise, piece):
            if not out or out[-1] != p:
                out.append(p)
        if len(out) > 1 and out[0] == out[-1]:
            out.pop()
        rings.append(out)
    return rings


def area(ring):
    """Projected area (Equal Earth units squared) of a ring of quantised points."""
    pts = [equal_earth(x / UNIT, y / UNIT) for x, y in ring]
    s = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
        s += x0 * y1 - x1 * y0
    return abs(s) / 2.0


def polygons(geometry):
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return geometry["arcs"]
    return []


def iso3_codes(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {row["country-code"]: row["alpha-3"] for row in csv.DictReader(f)}


def varint(value, out):
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def zigzag(value):
    return (value << 1) if value >= 0 else ((-value << 1) - 1)


def build(atlas, iso_path):
    with open(atlas, encoding="utf-8") as f:
        topo = json.load(f)
    codes = iso3_codes(iso_path)
    arcs = [simplify(a) for a in decode_arcs(topo)]
    countries = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        number = geometry.get("id")
        name = geometry.get("properties", {}).get("name", "")
        if number in LEAVE_OUT:
            continue
        if number is None:
            if name not in UNNUMBERED:
                sys.exit(f"no code for the atlas feature without id `{name}`")
            code = UNNUMBERED[name]
            if code is None:
                continue
        else:
            code = codes.get(number)
            if code is None:
                sys.exit(f"no ISO 3166 alpha-3 code for numeric id {number} ({name})")
        for polygon in polygons(geometry):
            for ring in polygon:
                for r in ring_of(ring, arcs):
                    if len(set(r)) >= 3:
                        countries.setdefault(code, []).append(r)
    out = bytearray(MAGIC)
    out += struct.pack("<BIH", VERSION, UNIT, len(countries))
    points = 0
    for code in sorted(countries):
        rings = countries[code]
        areas = [area(r) for r in rings]
        largest = max(range(len(rings)), key=lambda k: (areas[k], -k))
        kept = [r for k, r in enumerate(rings) if k == largest or areas[k] >= MIN_AREA]
        encoded = code.encode("ascii")
        out += struct.pack("<B", len(encoded)) + encoded
        out += struct.pack("<H", len(kept))
        for ring in kept:
            varint(len(ring), out)
            px = py = 0
            for x, y in ring:
                varint(zigzag(x - px), out)
                varint(zigzag(y - py), out)
                px, py = x, y
            points += len(ring)
    return bytes(out), len(countries), points


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--atlas", required=True, help="folder of countries-50m.json")
    parser.add_argument("--iso", required=True, help="the ISO 3166 CSV (all.csv)")
    parser.add_argument("--out", required=True, help="the file to write")
    args = parser.parse_args()
    data, count, points = build(f"{args.atlas}/countries-50m.json", args.iso)
    with open(args.out, "wb") as f:
        f.write(data)
    print(f"wrote {args.out}: {count} outlines, {points} points, {len(data)} bytes")


if __name__ == "__main__":
    main()
