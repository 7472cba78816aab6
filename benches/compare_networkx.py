#!/usr/bin/env python3
"""Compare binnenstad's walking distances with the Python stack a planner would use.

    cargo bench --bench network -- 70000 --json /tmp/city70k.json
    python3 benches/compare_networkx.py /tmp/city70k.json

Reads the plain JSON the Rust bench writes (streets as RD New coordinate lists,
building anchors, amenities, Rust's distances and timings) and computes the same
table the way a planner typically would:

- json for loading; pyproj only if the file is in lon/lat (the bench writes
  EPSG:28992 metres, so no transformation is needed or timed);
- networkx Graph with every polyline vertex as a node (vertices rounded to the
  millimetre, so shared vertices join) and every segment as an edge;
- scipy cKDTree snapping of buildings and amenities to the NEAREST NODE (vertex),
  the building's snap distance added, the amenity's ignored;
- one nx.multi_source_dijkstra_path_length per amenity kind.

Rust snaps to the nearest point on the nearest edge and counts both connectors,
so the two differ by a few metres by construction (mostly the amenity
connector, plus node vs edge snapping); the exact agreement of the two methods
with identical rules is pinned by tests/oracle (networkx on a small network).
Prints the timing ratio (networkx / Rust) and the agreement statistics.
"""
import json
import math
import sys
import time

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree


def main(path):
    t0 = time.perf_counter()
    data = json.load(open(path))
    t_load = time.perf_counter() - t0
    if data.get("crs", "EPSG:28992") != "EPSG:28992":
        from pyproj import Transformer  # lon/lat input: project once

        tr = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
        proj = lambda xy: tr.transform(xy[0], xy[1])  # noqa: E731
        data["streets"] = [[proj(c) for c in s] for s in data["streets"]]

    c0 = time.process_time()
    t0 = time.perf_counter()
    G = nx.Graph()
    key = lambda c: (round(c[0], 3), round(c[1], 3))  # noqa: E731
    for line in data["streets"]:
        for a, b in zip(line, line[1:]):
            ka, kb = key(a), key(b)
            if ka != kb:
                G.add_edge(ka, kb, weight=math.dist(a, b))
    nodes = list(G.nodes)
    tree = cKDTree(np.array(nodes))
    bxy = np.array(data["buildings"])
    bd, bi = tree.query(bxy)
    kinds = sorted({a["kind"] for a in data["amenities"]})
    axy = np.array([[a["x"], a["y"]] for a in data["amenities"]])
    _, ai = tree.query(axy)
    t_build = time.perf_counter() - t0

    t0 = time.perf_counter()
    result = {}
    for kind in kinds:
        sources = {nodes[ai[j]] for j, a in enumerate(data["amenities"]) if a["kind"] == kind}
        dist = nx.multi_source_dijkstra_path_length(G, sources, weight="weight")
        out = np.full(len(bxy), np.nan)
        for i in range(len(bxy)):
            d = dist.get(nodes[bi[i]])
            if d is not None:
                out[i] = d + bd[i]
        result[kind] = out
    t_search = time.perf_counter() - t0
    py_total = t_build + t_search
    py_cpu = time.process_time() - c0

    rs = data["rust_seconds"]
    rust_total = rs["build"] + rs["distances"]
    diffs = []
    both_none = mismatch_reach = 0
    for kind in kinds:
        r = np.array([np.nan if v is None else v for v in data["rust"][kind]], dtype=float)
        p = result[kind]
        ok = ~np.isnan(r) & ~np.isnan(p)
        both_none += int((np.isnan(r) & np.isnan(p)).sum())
        mismatch_reach += int((np.isnan(r) != np.isnan(p)).sum())
        diffs.append(np.abs(r[ok] - p[ok]))
    diffs = np.concatenate(diffs)
    n = len(bxy)
    print(f"buildings {n}, kinds {len(kinds)}, graph nodes {G.number_of_nodes()}, edges {G.number_of_edges()}")
    print(f"python: load {t_load:.2f} s (not counted), graph+kdtree {t_build:.2f} s, dijkstra+lookup {t_search:.2f} s, total {py_total:.2f} s")
    print(f"rust:   build {rs['build']:.3f} s, distances {rs['distances']:.3f} s, total {rust_total:.3f} s ({rs['threads']} threads)")
    print(f"ratio networkx / rust: wall {py_total / rust_total:.1f}x")
    if rs.get("cpu"):
        print(
            f"cpu seconds: python {py_cpu:.2f}, rust {rs['cpu']:.2f} (all threads); "
            f"ratio {py_cpu / rs['cpu']:.1f}x in work, ~{py_cpu / rs['cpu'] * rs['threads']:.1f}x wall on {rs['threads']} idle cores"
        )
    print(
        "agreement: |rust - networkx| median {:.2f} m, p95 {:.2f} m, max {:.2f} m, within 25 m {:.2%}; "
        "reachability differs for {} of {} pairs".format(
            float(np.median(diffs)),
            float(np.percentile(diffs, 95)),
            float(diffs.max()),
            float((diffs <= 25).mean()),
            mismatch_reach,
            n * len(kinds),
        )
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/city70k.json")
