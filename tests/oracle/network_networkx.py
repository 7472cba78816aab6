#!/usr/bin/env python3
"""Expected walking distances for network_fixture.json, computed with networkx.

An independent implementation of the contract in src/network (not a port of it):
- noding: vertices join when bitwise equal; line endpoints snap to any vertex
  within the tolerance (union-find; a cluster sits on its first vertex);
  lines crossing without a shared vertex stay apart;
- the graph keeps every polyline vertex as a node and every segment as an edge;
- a feature joins at the exact nearest point of the nearest segment (brute
  force over all segments); that point splits the segment; the connector is an
  edge; connectors longer than the maximum mean unreachable;
- per kind, one networkx multi_source_dijkstra from the amenities' nodes.

Run: python3 tests/oracle/network_networkx.py  (writes network_expected.json)
"""
import json
import math
import os

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    fx = json.load(open(os.path.join(HERE, "network_fixture.json")))
    tol = fx["snap_tolerance_m"]
    max_conn = fx["max_connector_m"]
    lines = [[tuple(map(float, c)) for c in s["coords"]] for s in fx["streets"]]

    # Unique vertices in order of first appearance.
    vid, verts, endpoint = {}, [], []
    for line in lines:
        for j, c in enumerate(line):
            if c not in vid:
                vid[c] = len(verts)
                verts.append(c)
                endpoint.append(False)
            if j == 0 or j == len(line) - 1:
                endpoint[vid[c]] = True
    parent = list(range(len(verts)))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for i, c in enumerate(verts):
        for j, d in enumerate(verts):
            if i != j and (endpoint[i] or endpoint[j]) and math.dist(c, d) <= tol:
                a, b = find(i), find(j)
                parent[max(a, b)] = min(a, b)
    pos = {i: verts[find(i)] for i in range(len(verts))}

    G = nx.Graph()
    segs = []  # (node u, node v, coord u, coord v)
    for line in lines:
        for a, b in zip(line, line[1:]):
            u, v = find(vid[a]), find(vid[b])
            pu, pv = pos[u], pos[v]
            w = math.dist(pu, pv)
            if w == 0:
                continue
            if G.has_edge(u, v):
                w = min(w, G[u][v]["weight"])
            G.add_edge(u, v, weight=w)
            segs.append((u, v, pu, pv))

    def project(p):
        best = None
        for k, (u, v, a, b) in enumerate(segs):
            dx, dy = b[0] - a[0], b[1] - a[1]
            t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)
            t = min(1.0, max(0.0, t))
            q = (a[0] + t * dx, a[1] + t * dy)
            d = math.dist(p, q)
            if best is None or d < best[0] - 1e-12:
                best = (d, k, t, q)
        return best

    # Join features: group split points per segment, then split.
    feats = [("b", f["id"], (f["x"], f["y"])) for f in fx["buildings"]]
    feats += [("a", f["id"], (f["x"], f["y"])) for f in fx["amenities"]]
    per_seg = {}
    node_of = {}
    for kind, fid, p in feats:
        d, k, t, q = project(p)
        if d > max_conn:
            continue
        node_of[(kind, fid)] = ("f", kind, fid)
        per_seg.setdefault(k, []).append((t, q, ("f", kind, fid), d))
    for k, pts in per_seg.items():
        u, v, a, b = segs[k]
        if G.has_edge(u, v):
            G.remove_edge(u, v)
        prev, prev_q = u, a
        for t, q, f, d in sorted(pts, key=lambda x: x[0]):
            s = ("split", f)
            G.add_edge(prev, s, weight=math.dist(prev_q, q))
            G.add_edge(s, f, weight=d)
            prev, prev_q = s, q
        G.add_edge(prev, v, weight=math.dist(prev_q, b))

    kinds = sorted({a["kind"] for a in fx["amenities"]})
    out = {"about": "written by network_networkx.py with networkx " + nx.__version__, "buildings": {}}
    for b in fx["buildings"]:
        out["buildings"][b["id"]] = {}
    for kind in kinds:
        sources = [node_of[("a", a["id"])] for a in fx["amenities"] if a["kind"] == kind and ("a", a["id"]) in node_of]
        dist, paths = nx.multi_source_dijkstra(G, sources, weight="weight")
        for b in fx["buildings"]:
            n = node_of.get(("b", b["id"]))
            if n is None or n not in dist:
                out["buildings"][b["id"]][kind] = None
            else:
                out["buildings"][b["id"]][kind] = {"metres": round(dist[n], 9), "nearest": paths[n][0][2]}
    with open(os.path.join(HERE, "network_expected.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
