#!/usr/bin/env python3
"""Independent counts of an OSM file with pyosmium, the oracle for the Rust importer.

Usage: python3 tests/oracle/osm_counts.py FILE.osm[.gz|.pbf] [...]
Prints one JSON object per file (keyed by file name) with:
  buildings            closed ways (>= 4 refs, first == last) and type=multipolygon
                       relations tagged building=* other than "no"
  buildings_complete   of those, the ones whose nodes / member ways are all in the file
  horeca               by kind: nodes, ways and multipolygon relations with amenity in
                       the horeca list (ways/relations counted even if incomplete)
  walkable_ways        ways passing the walkability rule (same rule as src/io/osm/tags.rs)
  walkable_ways_drawable  of those, ways with >= 2 consecutive nodes present
  walkable_areas       type=multipolygon relations passing the walkability rule (a
                       highway=pedestrian square) whose member ways and nodes are all present
  active_shops         nodes/ways/relations with shop=* (not no/vacant, not vacant/disused)
  landuse_retail       closed ways and multipolygon relations with landuse=retail
Written independently of the Rust code; keep the rules in step with maps/README.md.
"""
import json
import sys

import osmium

HORECA = {"restaurant", "cafe", "fast_food", "ice_cream", "food_court", "pub", "bar",
          "biergarten", "nightclub"}
WALKABLE = {"footway", "pedestrian", "path", "steps", "living_street", "residential",
            "service", "unclassified", "tertiary", "tertiary_link", "secondary",
            "secondary_link", "primary", "primary_link", "cycleway", "track", "road",
            "bridleway", "platform"}


def walkable(t):
    hw = t.get("highway")
    if hw is None:
        return False
    foot = t.get("foot")
    allowed = foot in ("yes", "designated", "permissive")
    if foot in ("no", "private", "use_sidepath"):
        return False
    if hw not in WALKABLE:
        return allowed and hw not in ("construction", "proposed")
    return allowed or t.get("access") not in ("private", "no")


def active_shop(t):
    s = t.get("shop")
    vacant = ("disused:shop" in t or t.get("vacant") == "yes" or s == "vacant"
              or t.get("disused") == "yes")
    return s is not None and s not in ("no", "vacant") and not vacant


def count(path):
    nodes = set()
    ways = {}
    rels = []
    for o in osmium.FileProcessor(path):
        if o.is_node():
            nodes.add(o.id)
            t = dict(o.tags)
            if t:
                rels.append(("n", o.id, t, None))
        elif o.is_way():
            refs = [n.ref for n in o.nodes]
            ways[o.id] = refs
            rels.append(("w", o.id, dict(o.tags), refs))
        elif o.is_relation():
            members = [(m.type, m.ref) for m in o.members]
            rels.append(("r", o.id, dict(o.tags), members))
    out = {"buildings": 0, "buildings_complete": 0, "horeca": {}, "walkable_ways": 0,
           "walkable_ways_drawable": 0, "walkable_areas": 0, "active_shops": 0, "landuse_retail": 0}
    for kind, oid, t, extra in rels:
        closed = kind == "w" and len(extra) >= 4 and extra[0] == extra[-1]
        mp = kind == "r" and t.get("type") == "multipolygon"
        if kind == "w":
            complete = all(r in nodes for r in extra)
        elif kind == "r":
            complete = all(r in ways and all(n in nodes for n in ways[r])
                           for ty, r in extra if ty == "w")
        else:
            complete = True
        if t.get("building", "no") != "no" and (closed or mp):
            out["buildings"] += 1
            out["buildings_complete"] += complete
        if t.get("landuse") == "retail" and (closed or mp):
            out["landuse_retail"] += 1
        if kind != "r" or mp:
            a = t.get("amenity")
            if a in HORECA:
                out["horeca"][a] = out["horeca"].get(a, 0) + 1
            if active_shop(t):
                out["active_shops"] += 1
        if kind == "w" and walkable(t):
            out["walkable_ways"] += 1
            run = best = 0
            for r in extra:
                run = run + 1 if r in nodes else 0
                best = max(best, run)
            out["walkable_ways_drawable"] += best >= 2
        if mp and walkable(t):
            out["walkable_areas"] += complete
    out["horeca"] = dict(sorted(out["horeca"].items()))
    out["horeca_total"] = sum(out["horeca"].values())
    return out


if __name__ == "__main__":
    result = {p.rsplit("/", 1)[-1]: count(p) for p in sys.argv[1:]}
    print(json.dumps(result, indent=2, ensure_ascii=False))
