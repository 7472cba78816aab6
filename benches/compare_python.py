#!/usr/bin/env python3
"""The whole `binnenstad plan` against the Python stack computing only the distances.

    cargo run --release --example synth_map -- --buildings 70000 --out /tmp/synth70k
    python3 benches/compare_python.py /tmp/synth70k [--bin target/release/binnenstad] [--runs 3]

Python side, on the same map folder, timed from reading the files to the last
distance, the way a planner's script would do it (adapted from
benches/compare_networkx.py):

- json.load of buildings, amenities and streets;
- pyproj: a Transformer from the layer's CRS to EPSG:28992, applied to every
  coordinate read (the synthetic map is RD New already, so it is the identity
  transform, but it is paid for as in a real script);
- building anchors = mean of the footprint's outer ring vertices;
- networkx Graph with every street vertex a node (rounded to the millimetre);
- scipy cKDTree snapping buildings and amenities to the nearest node;
- one nx.multi_source_dijkstra_path_length per amenity kind, looked up per building.

Rust side: the whole `binnenstad plan` (load, zoning, network, distances, VNG,
suitability, sites, coverage, every output file incl. map.png), wall time of the
process, median of --runs; and, from its --timings, the stages that do the
Python script's work (load of every layer + network + distances for every
kind). Prints both ratios.
"""
import argparse
import json
import math
import os
import re
import statistics
import subprocess
import tempfile
import time

import networkx as nx
import numpy as np
from pyproj import Transformer
from scipy.spatial import cKDTree


def crs_of(layer):
    name = ((layer.get("crs") or {}).get("properties") or {}).get("name", "EPSG:4326")
    return "EPSG:" + name.rsplit(":", 1)[-1] if "EPSG" in name else name


def python_distances(folder):
    t0 = time.perf_counter()
    c0 = time.process_time()
    layers = {}
    for name in ("buildings", "amenities", "streets"):
        with open(os.path.join(folder, "map", f"{name}.geojson")) as f:
            layers[name] = json.load(f)
    to_rd = {
        name: Transformer.from_crs(crs_of(layer), "EPSG:28992", always_xy=True)
        for name, layer in layers.items()
    }

    def project(name, coords):
        xs, ys = to_rd[name].transform([c[0] for c in coords], [c[1] for c in coords])
        return list(zip(xs, ys))

    anchors = []
    for f in layers["buildings"]["features"]:
        g = f["geometry"]
        ring = g["coordinates"][0] if g["type"] == "Polygon" else g["coordinates"][0][0]
        pts = project("buildings", ring[:-1])
        anchors.append((sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)))
    amenities = []
    for f in layers["amenities"]["features"]:
        (x, y), = project("amenities", [f["geometry"]["coordinates"]])
        amenities.append((f["properties"]["kind"], x, y))

    G = nx.Graph()
    key = lambda c: (round(c[0], 3), round(c[1], 3))  # noqa: E731
    for f in layers["streets"]["features"]:
        g = f["geometry"]
        lines = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        for line in lines:
            line = project("streets", line)
            for a, b in zip(line, line[1:]):
                ka, kb = key(a), key(b)
                if ka != kb:
                    G.add_edge(ka, kb, weight=math.dist(a, b))
    nodes = list(G.nodes)
    tree = cKDTree(np.array(nodes))
    bd, bi = tree.query(np.array(anchors))
    _, ai = tree.query(np.array([[x, y] for _, x, y in amenities]))
    kinds = sorted({k for k, _, _ in amenities})
    result = {}
    for kind in kinds:
        sources = {nodes[ai[j]] for j, a in enumerate(amenities) if a[0] == kind}
        dist = nx.multi_source_dijkstra_path_length(G, sources, weight="weight")
        out = np.full(len(anchors), np.nan)
        for i in range(len(anchors)):
            d = dist.get(nodes[bi[i]])
            if d is not None:
                out[i] = d + bd[i]
        result[kind] = out
    return time.perf_counter() - t0, time.process_time() - c0, len(anchors), len(kinds)


def rust_plan(folder, binary, runs):
    """Median wall time of the whole plan, and the median of the stages that do
    what the Python script does (load + network + distances, from --timings)."""
    walls, same_work = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            run = subprocess.run(
                [binary, "plan", os.path.join(folder, "scenario.toml"), "--out", os.path.join(out, "o"), "--timings"],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            walls.append(time.perf_counter() - t0)
            stages = {}
            for line in run.stderr.splitlines():
                m = re.match(r"^([a-z][\w+]*)\s+([0-9.]+) s$", line)
                if m:
                    stages[m.group(1)] = float(m.group(2))
            same_work.append(sum(stages.get(k, 0.0) for k in ("load", "network", "distances")))
    return statistics.median(walls), statistics.median(same_work)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--bin", default="target/release/binnenstad")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    py, py_cpu, n, kinds = python_distances(a.folder)
    rs, same = rust_plan(a.folder, a.bin, a.runs)
    print(f"buildings {n}, amenity kinds {kinds}, cores {os.cpu_count()}")
    print(f"python (json + pyproj + cKDTree + networkx, distances only): {py:.2f} s wall, {py_cpu:.2f} s CPU")
    print(f"binnenstad plan (everything, all outputs), median of {a.runs}: {rs:.2f} s wall")
    print(f"  of which the same work (load + network + distances): {same:.2f} s")
    print(f"ratio python / whole plan: {py / rs:.1f}x")
    print(f"ratio python / the same work: {py / same:.1f}x")

if __name__ == "__main__":
    main()
