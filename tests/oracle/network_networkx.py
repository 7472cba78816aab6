#!/usr/bin/env python3
"""Expected walking distances for network_fixture.json, computed with networkx.

An independent implementation of the contract in src/network (not a port of it):
- noding: vertices join when bitwise equal; line endpoints snap to any vertex
  within the tolerance (union-find; a cluster sits on its first vertex);
  lines crossing without a shared vertex stay apart, unless node_crossings
  asks for a node at every crossing of two lines at the same grade (bridge,
  tunnel, layer); before vertex snapping, a line end with no vertex within the
  tolerance but within it of a segment of a line at the same grade moves onto
  the nearest point of the nearest such segment, which is split there
  (T-junctions and near misses);
- the graph keeps every polyline vertex as a node and every segment as an edge;
- a feature joins at the exact nearest point of the nearest segment (brute
  force over all segments); that point splits the segment; the connector is an
  edge; connectors longer than the maximum mean unreachable;
- per kind, one networkx multi_source_dijkstra from the amenities' nodes.

Fixtures: network_fixture.json (crossings off) and network_junctions_fixture.json
(T-junctions, a near miss, a bridge over a street, a multipolygon square whose
rings are walked as lines; run with node_crossings off and on).

Run: python3 tests/oracle/network_networkx.py  (writes the *_expected.json files)
"""
import json
import math
import os

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))


def grade(s):
    return (bool(s.get("bridge", False)), bool(s.get("tunnel", False)), int(s.get("layer", 0)))


def closest(a, b, p):
    """(t, point, distance) of the closest point of segment a-b to p."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    l2 = dx * dx + dy * dy
    t = 0.0 if l2 == 0 else min(1.0, max(0.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2))
    q = (a[0] + t * dx, a[1] + t * dy)
    return t, q, math.dist(p, q)


def insert(lines, inserts):
    """Inserts points {(line, seg): [points]} in order along each segment."""
    out = []
    for li, line in enumerate(lines):
        new = [line[0]]
        for si, (a, b) in enumerate(zip(line, line[1:])):
            for q in sorted(inserts.get((li, si), []), key=lambda q: math.dist(a, q)):
                if q != new[-1] and q != b:
                    new.append(q)
            if b != new[-1]:
                new.append(b)
        out.append(new)
    return out


def crossings(lines, grades):
    """A shared point at every crossing of two segments at the same grade (brute force)."""
    segs = [(li, si, a, b) for li, l in enumerate(lines) for si, (a, b) in enumerate(zip(l, l[1:]))]
    inserts = {}
    for i, (l1, s1, a, b) in enumerate(segs):
        for l2, s2, c, d in segs[i + 1:]:
            if grades[l1] != grades[l2] or (l1 == l2 and abs(s1 - s2) == 1):
                continue
            r = (b[0] - a[0], b[1] - a[1])
            s = (d[0] - c[0], d[1] - c[1])
            den = r[0] * s[1] - r[1] * s[0]
            if den == 0:
                continue  # parallel: the fixtures have no collinear overlaps
            t = ((c[0] - a[0]) * s[1] - (c[1] - a[1]) * s[0]) / den
            u = ((c[0] - a[0]) * r[1] - (c[1] - a[1]) * r[0]) / den
            if not (0 <= t <= 1 and 0 <= u <= 1):
                continue
            q = (a[0] + t * r[0], a[1] + t * r[1])
            for e in (a, b, c, d):  # a crossing on an end is that end
                if math.dist(q, e) < 1e-7:
                    q = e
                    break
            inserts.setdefault((l1, s1), []).append(q)
            inserts.setdefault((l2, s2), []).append(q)
    return insert(lines, inserts)


def t_junctions(lines, grades, tol):
    """Line ends onto the nearest segment of a line at the same grade (brute force)."""
    moves, inserts = [], {}
    for li, line in enumerate(lines):
        for end in (0, len(line) - 1):
            p = line[end]
            verts = [v for l in lines for v in l]
            if any(v != p and math.dist(v, p) <= tol for v in verts):
                continue  # vertex snapping joins it
            best = None
            for lj, other in enumerate(lines):
                if grades[lj] != grades[li]:
                    continue
                for sj, (a, b) in enumerate(zip(other, other[1:])):
                    if p in (a, b):
                        continue
                    t, q, d = closest(a, b, p)
                    if d <= tol and 0 < t < 1 and (best is None or (d, lj, sj) < best[:3]):
                        best = (d, lj, sj, q)
            if best is not None:
                moves.append((li, end, best[3]))
                inserts.setdefault((best[1], best[2]), []).append(best[3])
    lines = [list(l) for l in lines]
    for li, end, q in moves:
        lines[li][end] = q
    return insert(lines, inserts)


def compute(fx, node_crossings):
    tol = fx["snap_tolerance_m"]
    max_conn = fx["max_connector_m"]
    # A walkable area (a square as a multipolygon) is walked along each ring
    # that a street meets (a vertex of it within the tolerance of the ring), or
    # that meets such a ring; other rings are left out.
    lines, grades, ring = [], [], []
    for s in fx["streets"]:
        parts = s.get("rings", [s.get("coords")])
        for part in parts:
            lines.append([tuple(map(float, c)) for c in part])
            grades.append(grade(s))
            ring.append("rings" in s)

    def meets(i, j):
        """A vertex of line j lies within the tolerance of line i."""
        return any(closest(a, b, v)[2] <= tol for v in lines[j] for a, b in zip(lines[i], lines[i][1:]))

    met = {i for i in range(len(lines)) if ring[i]
           and any(not ring[j] and meets(i, j) for j in range(len(lines)) if j != i)}
    grown = True
    while grown:
        grown = False
        for i in range(len(lines)):
            if ring[i] and i not in met and any(j in met and (meets(i, j) or meets(j, i)) for j in range(len(lines)) if j != i):
                met.add(i)
                grown = True
    keep = [not ring[i] or i in met for i in range(len(lines))]
    lines = [l for l, k in zip(lines, keep) if k]
    grades = [g for g, k in zip(grades, keep) if k]
    if node_crossings:
        lines = crossings(lines, grades)
    lines = t_junctions(lines, grades, tol)

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
    out = {}
    for b in fx["buildings"]:
        out[b["id"]] = {}
    for kind in kinds:
        sources = [node_of[("a", a["id"])] for a in fx["amenities"] if a["kind"] == kind and ("a", a["id"]) in node_of]
        dist, paths = nx.multi_source_dijkstra(G, sources, weight="weight")
        for b in fx["buildings"]:
            n = node_of.get(("b", b["id"]))
            if n is None or n not in dist:
                out[b["id"]][kind] = None
            else:
                out[b["id"]][kind] = {"metres": round(dist[n], 9), "nearest": paths[n][0][2]}
    return out


def main():
    about = "written by network_networkx.py with networkx " + nx.__version__
    fx = json.load(open(os.path.join(HERE, "network_fixture.json")))
    runs = {"network_expected.json": {"about": about, "buildings": compute(fx, False)}}
    fx = json.load(open(os.path.join(HERE, "network_junctions_fixture.json")))
    runs["network_junctions_expected.json"] = {
        "about": about,
        "node_crossings=false": compute(fx, False),
        "node_crossings=true": compute(fx, True),
    }
    for name, out in runs.items():
        with open(os.path.join(HERE, name), "w") as f:
            json.dump(out, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
