/* kaart.html: the interactive map (src/render/kaart.rs writes the data; Leaflet draws).
 * Everything a planner reads is Dutch; keys from the data go through D.labels. */
(function () {
  'use strict';
  var T0 = performance.now(), timings = {};
  function mark(name) { timings[name] = Math.round(performance.now() - T0); }
  var D = JSON.parse(document.getElementById('kaart-data').textContent);
  mark('parse');
  var LB = D.labels, COL = D.colours;
  var groups = D.groups;

  // ---- small helpers -------------------------------------------------------
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  /** A number in Dutch prose: 1.234,5 (the page's one number format). */
  function nl(v, d) {
    if (v == null || !isFinite(v)) return '–';
    var s = Math.abs(v).toFixed(d || 0), parts = s.split('.');
    var int = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    var neg = v < 0 && Number(s) !== 0 ? '-' : '';
    return neg + int + (parts[1] ? ',' + parts[1] : '');
  }
  function kindNl(k) { return LB.kind[k] || k; }
  function groupLabel(key) {
    for (var i = 0; i < groups.length; i++) if (groups[i].key === key) return groups[i].label;
    return key || 'geen';
  }
  /** A ring of microdegree differences → Leaflet [lat, lng] pairs. */
  function ring(r) {
    var out = new Array(r.length / 2), x = 0, y = 0;
    for (var i = 0, j = 0; i < r.length; i += 2, j++) { x += r[i]; y += r[i + 1]; out[j] = [y / 1e6, x / 1e6]; }
    return out;
  }
  function polys(g) { return g.map(function (p) { return p.map(ring); }); }
  function pt(p) { return [p[1] / 1e6, p[0] / 1e6]; }

  // ---- the map ---------------------------------------------------------------
  document.getElementById('titel').textContent = D.title;
  document.getElementById('ondertitel').textContent = D.subtitle;
  var map = L.map('kaart', { preferCanvas: true, zoomSnap: 0.25, minZoom: 10, maxZoom: 21 });
  map.attributionControl.setPrefix('Leaflet');
  map.attributionControl.addAttribution(esc(D.attribution));
  L.control.scale({ metric: true, imperial: false }).addTo(map);
  function pane(name, z) {
    map.createPane(name).style.zIndex = z;
    return L.canvas({ pane: name, padding: 0.2, tolerance: 4 });
  }
  var rZones = pane('zones', 350), rCover = pane('bereik', 360), rStreets = pane('straten', 370),
    rPoints = pane('punten', 400),
    rSel = pane('keuze', 410);

  // Zones.
  var zoneLayer = L.layerGroup();
  D.zones.forEach(function (z) {
    L.polygon(polys(z[1]), { renderer: rZones, interactive: false, stroke: false,
      fillColor: COL.zone[z[0]], fillOpacity: 0.45 }).addTo(zoneLayer);
  });
  // Streets (context: there are no background tiles).
  var streetLayer = L.layerGroup();
  D.streets.forEach(function (s) {
    L.polyline(ring(s), { renderer: rStreets, interactive: false, color: COL.street, weight: 1, opacity: 0.8 }).addTo(streetLayer);
  });

  // Buildings: drawn, not interactive; clicks go through the grid below.
  var B = D.buildings, N = B.length;
  var shapes = new Array(N), boxes = new Float64Array(N * 4);
  var minLat = 90, minLng = 180, maxLat = -90, maxLng = -180;
  for (var i = 0; i < N; i++) {
    var ll = polys(B[i][4]);
    shapes[i] = ll;
    var a = 90, b = 180, c = -90, d = -180;
    for (var p = 0; p < ll.length; p++) {
      var outer = ll[p][0];
      for (var k = 0; k < outer.length; k++) {
        var q = outer[k];
        if (q[0] < a) a = q[0]; if (q[0] > c) c = q[0];
        if (q[1] < b) b = q[1]; if (q[1] > d) d = q[1];
      }
    }
    boxes[i * 4] = a; boxes[i * 4 + 1] = b; boxes[i * 4 + 2] = c; boxes[i * 4 + 3] = d;
    if (a < minLat) minLat = a; if (b < minLng) minLng = b; if (c > maxLat) maxLat = c; if (d > maxLng) maxLng = d;
  }
  mark('decode');
  // A grid over the buildings' boxes: each cell lists the buildings touching it.
  var CELL = 0.001, grid = new Map();
  function cellKey(lat, lng) { return Math.floor(lat / CELL) * 100000 + Math.floor(lng / CELL); }
  for (i = 0; i < N; i++) {
    for (var la = Math.floor(boxes[i * 4] / CELL); la <= Math.floor(boxes[i * 4 + 2] / CELL); la++) {
      for (var ln = Math.floor(boxes[i * 4 + 1] / CELL); ln <= Math.floor(boxes[i * 4 + 3] / CELL); ln++) {
        var key = la * 100000 + ln, list = grid.get(key);
        if (!list) grid.set(key, list = []);
        list.push(i);
      }
    }
  }
  function inRing(lat, lng, r) {
    var inside = false;
    for (var j = 0, k = r.length - 1; j < r.length; k = j++) {
      var yi = r[j][0], xi = r[j][1], yk = r[k][0], xk = r[k][1];
      if ((yi > lat) !== (yk > lat) && lng < (xk - xi) * (lat - yi) / (yk - yi) + xi) inside = !inside;
    }
    return inside;
  }
  /** The building under a position (the last drawn, as the eye sees it), or -1. */
  function buildingAt(latlng) {
    var list = grid.get(cellKey(latlng.lat, latlng.lng)) || [];
    for (var n = list.length - 1; n >= 0; n--) {
      var bi = list[n], o = bi * 4;
      if (latlng.lat < boxes[o] || latlng.lat > boxes[o + 2] || latlng.lng < boxes[o + 1] || latlng.lng > boxes[o + 3]) continue;
      var ps = shapes[bi];
      for (var p = 0; p < ps.length; p++) {
        if (!inRing(latlng.lat, latlng.lng, ps[p][0])) continue;
        var hole = false;
        for (var h = 1; h < ps[p].length; h++) if (inRing(latlng.lat, latlng.lng, ps[p][h])) hole = true;
        if (!hole) return bi;
      }
    }
    return -1;
  }

  mark('grid');
  var groupIndex = Math.max(0, groups.findIndex(function (g) { return g.key === D.map_group; }));
  function buildingColour(i) {
    var per = B[i][6][groupIndex];
    return per && per[1] != null ? COL.verdict[per[1]] : COL.none;
  }
  /* Buildings and sites are drawn by one Leaflet layer on its own canvas, one
   * path per colour, culled to the view: 70,000 L.polygon objects took seconds
   * to project and draw on every zoom. Positions are projected once, to Web
   * Mercator pixels at zoom 0 (what Leaflet's EPSG:3857 does), and scaled per draw. */
  var P = new Array(N);
  for (i = 0; i < N; i++) {
    P[i] = shapes[i].map(function (poly) {
      return poly.map(function (r) {
        var f = new Float64Array(r.length * 2);
        for (var k = 0; k < r.length; k++) {
          f[2 * k] = 256 * (0.5 + r[k][1] / 360);
          f[2 * k + 1] = 256 * (0.5 - Math.log(Math.tan(Math.PI / 4 + r[k][0] * Math.PI / 360)) / (2 * Math.PI));
        }
        return f;
      });
    });
  }
  var ShapeCanvas = L.Layer.extend({
    initialize: function (items, style, paneName) { this._items = items; this._style = style; this._paneName = paneName; },
    onAdd: function () {
      this._canvas = L.DomUtil.create('canvas', 'leaflet-zoom-hide');
      this.getPane(this._paneName).appendChild(this._canvas);
      this._draw();
    },
    onRemove: function () { L.DomUtil.remove(this._canvas); },
    // A zoom fires zoomend, moveend and viewreset: one draw per frame answers them all.
    getEvents: function () { return { moveend: this._schedule, zoomend: this._schedule, resize: this._schedule, viewreset: this._schedule }; },
    _schedule: function () {
      if (!this._frame) this._frame = L.Util.requestAnimFrame(function () { this._frame = null; if (this._map) this._draw(); }, this);
    },
    redraw: function () { if (this._map) this._draw(); },
    _draw: function () {
      var map = this._map, size = map.getSize(), pad = 0.3;
      var min = map.containerPointToLayerPoint(size.multiplyBy(-pad)).round();
      var w = Math.round(size.x * (1 + 2 * pad)), h = Math.round(size.y * (1 + 2 * pad));
      var dpr = window.devicePixelRatio || 1, c = this._canvas;
      c.width = w * dpr; c.height = h * dpr; c.style.width = w + 'px'; c.style.height = h + 'px';
      L.DomUtil.setPosition(c, min);
      var ctx = c.getContext('2d');
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      var z = map.getZoom(), scale = Math.pow(2, z), origin = map.getPixelOrigin();
      var ox = origin.x + min.x, oy = origin.y + min.y;
      var view = L.latLngBounds(map.layerPointToLatLng(min), map.layerPointToLatLng(min.add([w, h])));
      var s = view.getSouth(), n = view.getNorth(), we = view.getWest(), e = view.getEast();
      var st = this._style, batches = new Map();
      for (var t = 0; t < this._items.length; t++) {
        var bi = this._items[t], o = bi * 4;
        if (boxes[o + 2] < s || boxes[o] > n || boxes[o + 3] < we || boxes[o + 1] > e) continue;
        var col = st.fill(bi), list = batches.get(col);
        if (!list) batches.set(col, list = []);
        list.push(bi);
      }
      var stroke = z >= st.strokeFrom;
      // One path per colour and per few hundred buildings: Chromium's canvas
      // slows down sharply on single paths of tens of thousands of rings.
      var CHUNK = 200;
      batches.forEach(function (list, col) {
        ctx.fillStyle = col; ctx.lineWidth = st.weight; ctx.strokeStyle = st.stroke;
        for (var from = 0; from < list.length; from += CHUNK) {
          ctx.beginPath();
          for (var t = from; t < list.length && t < from + CHUNK; t++) {
            var ps = P[list[t]];
            for (var p = 0; p < ps.length; p++) {
              for (var r = 0; r < ps[p].length; r++) {
                var f = ps[p][r];
                ctx.moveTo(f[0] * scale - ox, f[1] * scale - oy);
                for (var k = 2; k < f.length; k += 2) ctx.lineTo(f[k] * scale - ox, f[k + 1] * scale - oy);
                ctx.closePath();
              }
            }
          }
          ctx.globalAlpha = st.fillOpacity; ctx.fill('evenodd');
          if (stroke) { ctx.globalAlpha = st.strokeOpacity; ctx.stroke(); }
        }
      });
    }
  });
  var all = new Array(N);
  for (i = 0; i < N; i++) all[i] = i;
  map.createPane('gebouwen').style.zIndex = 380;
  map.createPane('locaties').style.zIndex = 390;
  var buildingLayer = new ShapeCanvas(all, { fill: buildingColour, fillOpacity: 0.85, stroke: '#555', strokeOpacity: 0.7, weight: 0.5, strokeFrom: 15 }, 'gebouwen');
  function recolour() {
    buildingLayer.redraw();
    legend();
  }
  mark('buildings');

  // Sites: outlines on their own canvas and numbered markers for the first ones.
  var siteByRank = {}, siteOfBuilding = new Map();
  D.sites.forEach(function (s) { siteByRank[s[0]] = s; siteOfBuilding.set(s[1], s[0]); });
  var siteCanvas = new ShapeCanvas(D.sites.map(function (s) { return s[1]; }),
    { fill: function () { return COL.site; }, fillOpacity: 0.25, stroke: COL.site, strokeOpacity: 1, weight: 2.5, strokeFrom: 0 }, 'locaties');
  var siteLayer = L.layerGroup([siteCanvas]);
  var SITE_NUMBERS = 25;
  D.sites.forEach(function (s) {
    if (s[0] > SITE_NUMBERS) return;
    var o = s[1] * 4, centre = [(boxes[o] + boxes[o + 2]) / 2, (boxes[o + 1] + boxes[o + 3]) / 2];
    var icon = L.divIcon({ className: 'site-nummer', html: '<div>' + s[0] + '</div>', iconSize: [20, 18] });
    var m = L.marker(centre, { icon: icon, keyboard: false, title: 'Locatie #' + s[0] });
    m.on('click', function (e) { L.DomEvent.stopPropagation(e); showSite(s[0]); });
    m.addTo(siteLayer);
  });
  mark('sites');
  // Amenities and horeca.
  var amenityLayer = L.layerGroup();
  D.amenities.forEach(function (a) {
    var m = L.circleMarker(pt(a[0]), { renderer: rPoints, radius: 5, weight: 1, color: '#fff', fillColor: COL.kind[a[1]] || '#333', fillOpacity: 1 });
    m.bindTooltip(esc(kindNl(a[1]) + (a[2] ? ': ' + a[2] : '')));
    m.on('click', function (e) { L.DomEvent.stopPropagation(e); showPoint('Voorziening', kindNl(a[1]), a[2]); });
    m.addTo(amenityLayer);
  });
  var horecaLayer = L.layerGroup();
  D.horeca.forEach(function (h) {
    var m = L.circleMarker(pt(h[0]), { renderer: rPoints, radius: 2 + h[1] * 1.5, weight: 0.5, color: '#400', fillColor: COL.horeca[h[1] - 1], fillOpacity: 0.9 });
    m.bindTooltip(esc((LB.horeca[h[2]] || h[2]) + (h[3] ? ': ' + h[3] : '')));
    m.on('click', function (e) { L.DomEvent.stopPropagation(e); showPoint(LB.horeca_category[h[1] - 1], LB.horeca[h[2]] || h[2], h[3]); });
    m.addTo(horecaLayer);
  });

  // Coverage: one need of one group at a time.
  var coverLayer = L.layerGroup(), coverSelect = document.getElementById('bereik');
  D.coverage.forEach(function (c, ci) {
    var o = document.createElement('option');
    o.value = String(ci);
    // No share (null) where the map has too few of the kind: onbekend, not 0 %.
    var share = c[3] === null ? 'aandeel onbekend: te weinig in de kaart' : nl(c[3] * 100, 0) + ' % van de woningen';
    o.textContent = groupLabel(c[0]) + ': ' + kindNl(c[1]) + ' (≤ ' + nl(c[2], 0) + ' min, ' + share + ')';
    coverSelect.appendChild(o);
  });
  coverSelect.addEventListener('change', function () {
    coverLayer.clearLayers();
    var c = D.coverage[Number(coverSelect.value)];
    if (coverSelect.value !== '' && c) {
      L.polygon(polys(c[4]), { renderer: rCover, interactive: false, color: COL.coverage, weight: 1, fillColor: COL.coverage, fillOpacity: 0.3 }).addTo(coverLayer);
      if (!map.hasLayer(coverLayer)) coverLayer.addTo(map);
    }
  });

  mark('points');
  // Layer switches.
  var layers = [
    ['zones', 'Zones rust / gemengd / reuring', zoneLayer, true],
    ['straten', 'Straten', streetLayer, true],
    ['gebouwen', 'Gebouwen (oordeel per doelgroep)', buildingLayer, true],
    ['locaties', 'Transformatielocaties', siteLayer, true],
    ['voorzieningen', 'Voorzieningen', amenityLayer, true],
    ['horeca', 'Horeca', horecaLayer, false],
    ['bereik', 'Loopbereik (kies hieronder)', coverLayer, true]
  ];
  var box = document.getElementById('lagen');
  layers.forEach(function (l) {
    var lab = document.createElement('label'), cb = document.createElement('input');
    cb.type = 'checkbox'; cb.checked = l[3]; cb.id = 'laag-' + l[0];
    cb.addEventListener('change', function () { if (cb.checked) l[2].addTo(map); else map.removeLayer(l[2]); });
    lab.appendChild(cb); lab.appendChild(document.createTextNode(' ' + l[1]));
    box.appendChild(lab);
    if (l[3]) l[2].addTo(map);
  });

  mark('layers');
  var groupSelect = document.getElementById('doelgroep');
  groups.forEach(function (g, gi) {
    var o = document.createElement('option');
    o.value = String(gi); o.textContent = g.label; o.selected = gi === groupIndex;
    groupSelect.appendChild(o);
  });
  groupSelect.addEventListener('change', function () { groupIndex = Number(groupSelect.value); recolour(); });

  function legend() {
    var h = '<b>Gebouwen voor ' + esc(groups[groupIndex] ? groups[groupIndex].label : '') + '</b><br>';
    LB.verdict.forEach(function (v, vi) { h += '<span class="vak" style="background:' + COL.verdict[vi] + '"></span>' + esc(v) + ' '; });
    h += '<br><span class="vak" style="background:' + COL.none + '"></span>geen woongebouw<br><b>Zones</b><br>';
    LB.zone.forEach(function (z) { h += '<span class="vak" style="background:' + COL.zone[z] + '"></span>' + esc(z) + ' '; });
    h += '<br><span class="vak" style="background:' + COL.site + '"></span>transformatielocatie';
    document.getElementById('legenda').innerHTML = h;
  }
  legend();

  // ---- what a click shows ----------------------------------------------------
  var info = document.getElementById('info');
  var selected = L.layerGroup().addTo(map);
  function highlight(i) {
    selected.clearLayers();
    L.polygon(shapes[i], { renderer: rSel, interactive: false, color: '#000', weight: 3, fill: false }).addTo(selected);
  }
  function buildingTitle(b, i) { return b[1] || ('Gebouw ' + b[0]); }

  /* A reason that holds for the whole map is written short in the data
   * ("monumentstatus onbekend"); D.caveats holds its explanation once. Shown
   * whole, as the site command says it: "x: onbekend (geen data: uitleg)". */
  function explained(r) {
    var e = D.caveats && Object.prototype.hasOwnProperty.call(D.caveats, r) ? D.caveats[r] : null;
    if (e === null) return r;
    return r.charAt(r.length - 1) === ')' ? r.slice(0, -1) + ': ' + e + ')' : r + ' (' + e + ')';
  }

  function showBuilding(i) {
    var b = B[i];
    highlight(i);
    var h = '<h2 id="info-titel">' + esc(buildingTitle(b, i)) + '</h2>';
    h += '<p class="zacht">id ' + esc(b[0]) + ' · ' + esc(LB.use[b[2]] || b[2]) + (b[3] ? ' · zone ' + esc(b[3]) : '') + '</p>';
    var site = siteOfBuilding.has(i) ? siteByRank[siteOfBuilding.get(i)] : null;
    if (site) h += '<p><a href="#" id="naar-locatie">Transformatielocatie #' + site[0] + '</a></p>';
    h += '<h3>Geschiktheid per doelgroep</h3>';
    groups.forEach(function (g, gi) {
      var per = b[6][gi];
      h += '<div class="groep" data-groep="' + esc(g.key) + '"><b>' + esc(g.label) + '</b> ';
      if (!per) { h += '<span class="zacht">geen oordeel: geen woongebouw</span></div>'; return; }
      h += '<span class="oordeel" style="background:' + COL.verdict[per[1]] + '">' + esc(LB.verdict[per[1]]) + '</span> score ' + nl(per[0], 0) + ' van 100';
      if (per[2].length === 0) h += '<ul><li>voldoet aan alle criteria</li></ul>';
      else h += '<ul class="redenen">' + per[2].map(function (r) { return '<li>' + esc(explained(D.reasons[r])) + '</li>'; }).join('') + '</ul>';
      h += '</div>';
    });
    h += '<h3>Loopminuten per behoefte</h3><table id="loopminuten"><tr><th>doelgroep</th><th>voorziening</th><th>min</th><th>max</th><th></th></tr>';
    groups.forEach(function (g) {
      g.needs.forEach(function (n) {
        var ki = D.kinds.indexOf(n[0]), m = ki >= 0 ? b[5][ki] : null;
        var min = m == null ? null : Math.round(m / g.m_per_min);
        var ok = min != null && min <= n[1], unknown = D.unknown.indexOf(n[0]) >= 0;
        h += '<tr><td>' + esc(g.label) + '</td><td>' + esc(kindNl(n[0])) + '</td><td>' +
          (unknown ? 'geen data' : min == null ? 'onbereikbaar' : nl(min, 0)) +
          '</td><td>' + nl(n[1], 0) + '</td><td class="' + (unknown ? 'zacht">?' : ok ? 'ok">✓' : 'nok">✗') + '</td></tr>';
      });
    });
    h += '</table>';
    info.innerHTML = h;
    info.dataset.gebouw = b[0];
    var link = document.getElementById('naar-locatie');
    if (link) link.addEventListener('click', function (e) { e.preventDefault(); showSite(site[0]); });
  }

  function showSite(rank) {
    var s = siteByRank[rank];
    if (!s) return;
    var b = B[s[1]];
    highlight(s[1]);
    markRow(rank);
    var h = '<h2 id="info-titel">Locatie #' + s[0] + ': ' + esc(b[1] || 'gebouw ' + b[0]) + '</h2>';
    h += '<p class="zacht">id ' + esc(b[0]) + ' · ' + esc(LB.use[b[2]] || b[2]) + (b[3] ? ' · zone ' + esc(b[3]) : '') + '</p>';
    h += '<table><tr><th>type</th><td>' + esc(LB.site_type[s[2]] || s[2]) + '</td></tr>';
    h += '<tr><th>potentie</th><td>' + nl(s[3], 0) + ' van 100</td></tr>';
    h += '<tr><th>beste doelgroep</th><td>' + esc(groupLabel(s[5])) + ' (score ' + nl(s[6], 0) + ')</td></tr>';
    h += '<tr><th>bruikbaar vloeroppervlak</th><td>' + nl(s[8], 0) + ' m²</td></tr></table>';
    h += '<h3>Woningen per doelgroep</h3><table id="woningen">';
    groups.forEach(function (g, gi) { h += '<tr><td>' + esc(g.label) + '</td><td>' + nl(s[7][gi], 0) + '</td></tr>'; });
    h += '</table><h3>Scorecomponenten</h3><table id="componenten">';
    s[4].forEach(function (v, ci) { var c = D.components[ci]; h += '<tr><td>' + esc(LB.component[c] || c) + '</td><td>' + nl(v * 100, 0) + ' %</td></tr>'; });
    h += '</table>';
    if (s[9].length) h += '<h3>Voorwaarden</h3><ul>' + s[9].map(function (c) { return '<li>' + esc(explained(D.reasons[c])) + '</li>'; }).join('') + '</ul>';
    h += '<p><a href="#" id="naar-gebouw">Oordeel per doelgroep van dit gebouw</a></p>';
    info.innerHTML = h;
    info.dataset.gebouw = b[0];
    document.getElementById('naar-gebouw').addEventListener('click', function (e) { e.preventDefault(); showBuilding(s[1]); });
  }

  function showPoint(what, kind, name) {
    selected.clearLayers();
    info.innerHTML = '<h2 id="info-titel">' + esc(name || kind) + '</h2><p>' + esc(what) + (name ? ': ' + esc(kind) : '') + '</p>';
  }

  // A click on a site (when sites are shown) shows the site; on any other building, its verdicts.
  map.on('click', function (e) {
    var i = buildingAt(e.latlng);
    if (i >= 0 && map.hasLayer(siteLayer) && siteOfBuilding.has(i)) showSite(siteOfBuilding.get(i));
    else if (i >= 0) showBuilding(i);
    else { selected.clearLayers(); info.innerHTML = '<p class="zacht">Geen gebouw op deze plek.</p>'; }
  });

  function zoomTo(i) {
    var o = i * 4;
    map.fitBounds([[boxes[o], boxes[o + 1]], [boxes[o + 2], boxes[o + 3]]], { maxZoom: 19, padding: [60, 60] });
  }

  // ---- the sites table -------------------------------------------------------
  var tbody = document.querySelector('#locatietabel tbody');
  function makeRow(s) {
    var b = B[s[1]], tr = document.createElement('tr');
    tr.dataset.rang = s[0];
    var homes = s[5] ? s[7][groups.findIndex(function (g) { return g.key === s[5]; })] : 0;
    tr.innerHTML = '<td>' + s[0] + '</td><td>' + esc(b[1] || b[0]) + '</td><td>' + esc(LB.site_type[s[2]] || s[2]) +
      '</td><td>' + esc(groupLabel(s[5])) + '</td><td>' + nl(homes, 0) + '</td><td>' + nl(s[3], 0) + '</td>';
    tr.addEventListener('click', function () { zoomTo(s[1]); showSite(s[0]); });
    return tr;
  }
  // The first rows at once; all of them on request (thousands of rows slow the page's start).
  var TABLE_ROWS = 1000;
  function fill(n) {
    var frag = document.createDocumentFragment();
    D.sites.slice(tbody.children.length, n).forEach(function (s) { frag.appendChild(makeRow(s)); });
    tbody.appendChild(frag);
  }
  fill(TABLE_ROWS);
  if (D.sites.length > TABLE_ROWS) {
    var more = document.createElement('button');
    more.id = 'alle-locaties';
    more.textContent = 'Toon alle ' + nl(D.sites.length, 0) + ' locaties';
    more.addEventListener('click', function () { fill(D.sites.length); more.remove(); });
    document.getElementById('locaties').appendChild(more);
  }
  function markRow(rank) {
    for (var r = tbody.firstChild; r; r = r.nextSibling) r.classList.toggle('gekozen', Number(r.dataset.rang) === rank);
  }

  mark('table');
  // ---- search ----------------------------------------------------------------
  var search = document.getElementById('zoek'), results = document.getElementById('zoekresultaten');
  var byId = new Map();
  for (i = 0; i < N; i++) byId.set(B[i][0], i);
  function find(q) {
    q = q.trim().toLowerCase();
    var out = [];
    if (!q) return out;
    var m = /^#?(\d{1,5})$/.exec(q);
    if (m && siteByRank[Number(m[1])] && q.charAt(0) === '#') {
      out.push(['Locatie #' + m[1], function () { var s = siteByRank[Number(m[1])]; zoomTo(s[1]); showSite(s[0]); }]);
    }
    for (var i = 0; i < N && out.length < 12; i++) {
      var b = B[i];
      if ((b[1] && b[1].toLowerCase().indexOf(q) >= 0) || b[0].toLowerCase().indexOf(q) >= 0) {
        out.push([(b[1] ? b[1] + ' · ' : '') + b[0], (function (i) { return function () { zoomTo(i); showBuilding(i); }; })(i)]);
      }
    }
    D.amenities.forEach(function (a) {
      if (out.length < 12 && a[2] && a[2].toLowerCase().indexOf(q) >= 0) {
        out.push([a[2] + ' · ' + kindNl(a[1]), function () { map.setView(pt(a[0]), 19); showPoint('Voorziening', kindNl(a[1]), a[2]); }]);
      }
    });
    D.horeca.forEach(function (h) {
      if (out.length < 12 && h[3] && h[3].toLowerCase().indexOf(q) >= 0) {
        out.push([h[3] + ' · ' + (LB.horeca[h[2]] || h[2]), function () { map.setView(pt(h[0]), 19); showPoint(LB.horeca_category[h[1] - 1], LB.horeca[h[2]] || h[2], h[3]); }]);
      }
    });
    return out;
  }
  var found = [];
  search.addEventListener('input', function () {
    found = find(search.value);
    results.innerHTML = '';
    found.forEach(function (f) {
      var li = document.createElement('li');
      li.textContent = f[0];
      li.addEventListener('click', f[1]);
      results.appendChild(li);
    });
    if (search.value.trim() && !found.length) results.innerHTML = '<li class="zacht">niets gevonden</li>';
  });
  search.addEventListener('keydown', function (e) { if (e.key === 'Enter' && found.length) found[0][1](); });

  if (N) map.fitBounds([[minLat, minLng], [maxLat, maxLng]]);
  else map.setView([52.37, 4.89], 14);
  mark('view');

  /* For the browser test and for a planner's console: select and locate by id. */
  window.kaart = {
    map: map,
    buildingIndex: function (id) { return byId.has(id) ? byId.get(id) : -1; },
    /** A position inside building i (its outer ring's first vertex nudged inwards is not
     * guaranteed inside; the centre of its box is tried first, then a scan). */
    insidePoint: function (i) {
      var o = i * 4, best = null;
      for (var s = 1; s < 16 && !best; s++) {
        for (var a = 1; a < s * 2 && !best; a += 2) {
          for (var c = 1; c < s * 2 && !best; c += 2) {
            var lat = boxes[o] + (boxes[o + 2] - boxes[o]) * a / (2 * s), lng = boxes[o + 1] + (boxes[o + 3] - boxes[o + 1]) * c / (2 * s);
            if (buildingAt(L.latLng(lat, lng)) === i) best = [lat, lng];
          }
        }
      }
      return best;
    },
    zoomTo: zoomTo,
    showBuilding: showBuilding,
    showSite: showSite,
    timings: timings,
    layers: { buildings: buildingLayer, sites: siteCanvas }
  };
  document.body.dataset.klaar = '1';
})();
