#!/usr/bin/python3
"""Check binnenstad's QGIS styles with QGIS itself.

Usage (Debian: apt-get install qgis python3-qgis):

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis/check_styles.py OUT_DIR [--map-group G]

OUT_DIR is the output of `binnenstad plan`: either GeoJSON layers with .qml
sidecars, or (`--format gpkg`) one binnenstad.gpkg with the styles in its
layer_styles table. Every layer in LAYERS must be there. For each layer this script
  1. opens the layer the way QGIS does (the default style is the .qml beside
     the GeoJSON, or the gpkg's layer_styles row),
  2. checks that the renderer QGIS built has the type and attribute the .qml
     names, and that the attribute is one of the layer's fields (a wrong field
     name draws nothing and QGIS does not warn),
  3. renders the layer alone with QgsMapRendererParallelJob and checks that the
     image is not blank and shows at least one of the style's colours.
     Each rendering is saved as OUT_DIR/qgis_<layer>.png.
With --map-group G, buildings must be styled on verdict_G.
Then it opens OUT_DIR/binnenstad.qgs (if present), checks that every layer is
valid and styled, and renders the whole project to OUT_DIR/qgis_check.png.
Exit code 0 when all checks pass, 1 otherwise.
"""

import os
import sqlite3
import sys
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

FAILURES = []

# The layers `binnenstad plan` writes, in drawing order.
LAYERS = ["sites", "amenities", "horeca", "conflicts", "buildings", "coverage", "zones", "streets"]
GPKG = "binnenstad.gpkg"


def fail(msg):
    FAILURES.append(msg)
    print("FAIL:", msg)


def ok(msg):
    print("ok:  ", msg)


def qml_renderer(path=None, text=None):
    """(type, attr, colours) from a .qml file or QML text."""
    root = ET.parse(path).getroot() if text is None else ET.fromstring(text)
    r = root.find("renderer-v2")
    colours = []
    for o in r.iter("Option"):
        if o.get("name") in ("color", "line_color"):
            parts = [int(float(v)) for v in o.get("value").split(",")[:4]]
            colours.append(tuple(parts))
    return r.get("type"), r.get("attr"), colours


def over_white(c):
    r, g, b, a = c
    f = a / 255.0
    return tuple(round(v * f + 255 * (1 - f)) for v in (r, g, b))


def render(layers, extent, crs, size=400):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(size, size))
    settings.setDestinationCrs(crs)
    settings.setExtent(extent)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


def colours_in(image, step=2):
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            c = QColor(image.pixel(x, y))
            seen.add((c.red(), c.green(), c.blue()))
    return seen


def near(a, b, tol=12):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def blend_of(seen, colour, min_alpha=0.3, tol=0.08):
    """True when `seen` is `colour` drawn over white with coverage >= min_alpha:
    an antialiased edge (a one-pixel line on a pixel boundary is never drawn
    in its full colour)."""
    alphas = []
    for s, c in zip(seen, colour[:3]):
        if c >= 250:
            if s < 240:
                return False
            continue
        alphas.append((255 - s) / (255 - c))
    if not alphas:
        return False
    return min(alphas) >= min_alpha and max(alphas) - min(alphas) <= tol and max(alphas) <= 1 + tol


def gpkg_styles(path):
    """{table: styleQML} of the default styles in a GeoPackage's layer_styles."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault"
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def check_layer(folder, name, map_group=None, gpkg_qml=None):
    if gpkg_qml is None:
        path = os.path.join(folder, name + ".geojson")
        qml = os.path.join(folder, name + ".qml")
        if not os.path.exists(path) or not os.path.exists(qml):
            fail(f"{name}: {name}.geojson or {name}.qml missing")
            return None
        want_type, want_attr, colours = qml_renderer(qml)
    else:
        if name not in gpkg_qml:
            fail(f"{name}: no default style in layer_styles")
            return None
        path = os.path.join(folder, GPKG) + "|layername=" + name
        want_type, want_attr, colours = qml_renderer(text=gpkg_qml[name])
    # QGIS applies the default style on load: <name>.qml beside a file, the
    # layer_styles row (useAsDefault) in a GeoPackage.
    layer = QgsVectorLayer(path, name, "ogr")
    if not layer.isValid():
        fail(f"{name}: layer not valid")
        return None
    if name == "buildings" and map_group and want_attr != f"verdict_{map_group}":
        fail(f"buildings: styled on {want_attr!r}, want 'verdict_{map_group}'")
    r = layer.renderer()
    if r is None and layer.featureCount() == 0 and gpkg_qml is None:
        # An empty FeatureCollection has no geometry type for GDAL to report,
        # so QGIS opens it as a table and has nothing to style (GeoJSON cannot
        # say "empty point layer"; the GeoPackage can, and is checked for it).
        ok(f"{name}: empty GeoJSON, opened as a table without geometry (nothing to style)")
        return layer
    if r is None:
        fail(f"{name}: no renderer (layer without geometry?)")
        return layer
    got_type = r.type()
    if got_type != want_type:
        fail(f"{name}: renderer {got_type}, .qml says {want_type} (style not applied?)")
        return layer
    if want_attr is not None:
        got_attr = r.classAttribute()
        fields = [f.name() for f in layer.fields()]
        if got_attr != want_attr:
            fail(f"{name}: attribute {got_attr!r}, .qml says {want_attr!r}")
        elif want_attr not in fields:
            fail(f"{name}: attribute {want_attr!r} is not a field of the layer {fields}")
        else:
            ok(f"{name}: {got_type} on {got_attr!r} ({len(fields)} fields)")
    else:
        ok(f"{name}: {got_type}")
    if layer.featureCount() == 0:
        ok(f"{name}: no features, nothing to render")
        return layer
    image = render([layer], layer.extent(), layer.crs())
    image.save(os.path.join(folder, f"qgis_{name}.png"))
    seen = colours_in(image)
    non_white = [c for c in seen if c != (255, 255, 255)]
    if not non_white:
        fail(f"{name}: rendered image is all white")
        return layer
    expected = [over_white(c) for c in colours] + [c[:3] for c in colours]
    hits = [e for e in expected if any(near(e, s) or blend_of(s, e) for s in seen)]
    if hits:
        ok(f"{name}: {layer.featureCount()} features ({layer.crs().authid()}), rendered, {len(set(hits))} of the style's colours seen")
    else:
        fail(f"{name}: none of the style colours {colours[:5]} found in the rendering")
    return layer


def check_project(folder, gpkg_qml=None):
    path = os.path.join(folder, "binnenstad.qgs")
    if not os.path.exists(path):
        print("no binnenstad.qgs; skipped")
        return
    project = QgsProject.instance()
    if not project.read(path):
        fail("binnenstad.qgs: QGIS could not read it")
        return
    layers = list(project.mapLayers().values())
    if not layers:
        fail("binnenstad.qgs: no layers")
        return
    for layer in layers:
        if not layer.isValid():
            fail(f"project layer {layer.name()}: not valid ({layer.source()})")
            continue
        qml = os.path.join(folder, layer.name() + ".qml")
        want = None
        if gpkg_qml is not None and layer.name() in gpkg_qml:
            want = qml_renderer(text=gpkg_qml[layer.name()])
        elif os.path.exists(qml):
            want = qml_renderer(qml)
        else:
            fail(f"project layer {layer.name()}: no style to compare with")
        # QGIS believes the CRS stored in the project over the file's own.
        own = QgsVectorLayer(layer.source(), "own", "ogr").crs().authid()
        if layer.featureCount() > 0 and layer.crs().authid() != own:
            fail(f"project layer {layer.name()}: project says {layer.crs().authid()}, the file is {own}")
        r = layer.renderer()
        if r is None and layer.featureCount() == 0 and gpkg_qml is None:
            ok(f"project layer {layer.name()}: empty GeoJSON, nothing to style")
            continue
        if r is None:
            fail(f"project layer {layer.name()}: no renderer")
            continue
        if want is not None:
            want_type, want_attr, _ = want
            attr = r.classAttribute() if hasattr(r, "classAttribute") else None
            if r.type() != want_type or (want_attr and attr != want_attr):
                fail(f"project layer {layer.name()}: renderer {r.type()}/{attr}, want {want_type}/{want_attr}")
            else:
                ok(f"project layer {layer.name()}: {layer.crs().authid()}, styled {r.type()} {attr or ''}")
    order = [l.name() for l in project.layerTreeRoot().layerOrder()]
    ok(f"project drawing order: {order}")
    if not project.crs().isValid():
        fail("binnenstad.qgs: project CRS not read")
    ok(f"project CRS {project.crs().authid()}, title {project.title()!r}, abstract {project.metadata().abstract()!r}")
    visible = [l for l in project.layerTreeRoot().checkedLayers()]
    extent = None
    for l in visible:
        if l.featureCount() == 0:
            continue  # an empty layer has no extent to add
        e = project.layerTreeRoot().findLayer(l.id()) and l.extent()
        if e is None:
            continue
        from qgis.core import QgsCoordinateTransform
        t = QgsCoordinateTransform(l.crs(), project.crs(), project)
        e = t.transformBoundingBox(e)
        if extent is None:
            extent = e
        else:
            extent.combineExtentWith(e)
    image = render(visible, extent, project.crs(), size=800)
    out = os.path.join(folder, "qgis_check.png")
    image.save(out)
    seen = colours_in(image)
    if len([c for c in seen if c != (255, 255, 255)]) < 5:
        fail("project rendering is (nearly) blank")
    else:
        ok(f"project rendered to {out} ({len(seen)} distinct colours)")


def main():
    args = sys.argv[1:]
    map_group = None
    if "--map-group" in args:
        i = args.index("--map-group")
        if i + 1 >= len(args):
            print(__doc__)
            return 2
        map_group = args[i + 1]
        del args[i : i + 2]
    if len(args) != 1:
        print(__doc__)
        return 2
    folder = args[0]
    gpkg = os.path.join(folder, GPKG)
    gpkg_qml = gpkg_styles(gpkg) if os.path.exists(gpkg) else None
    print("checking", gpkg if gpkg_qml is not None else folder + "/*.geojson")
    app = QgsApplication([], False)
    app.initQgis()
    try:
        for name in LAYERS:
            check_layer(folder, name, map_group, gpkg_qml)
        check_project(folder, gpkg_qml)
    finally:
        QgsProject.instance().clear()
        app.exitQgis()
    print(f"{len(FAILURES)} failed" if FAILURES else "all QGIS checks passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
