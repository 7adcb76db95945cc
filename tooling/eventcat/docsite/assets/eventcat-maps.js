/* eventcat maps: draws the shared graph (assets/eventcat/graph.json) with Cytoscape.js.
 * Hand-written on purpose (one small file, no build step): it loads Cytoscape and the dagre layout
 * from the site only on pages that have a map, and builds every label through Cytoscape's canvas
 * or textContent, never as HTML. */
(function () {
  "use strict";

  var KIND_LABEL = { domain: "domain", service: "service", event: "event", channel: "exchange / topic",
                     queue: "queue", dlq: "dead-letter queue" };
  var loading = null;
  /* The explorer and maps are drawn by script: no inline styles in the page, sizes set here. */

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(script);
    });
  }

  function loadLibrary(root) {
    if (!loading) {
      loading = (window.cytoscape ? Promise.resolve() : loadScript(root + "assets/eventcat/cytoscape.min.js"))
        .then(function () { return loadScript(root + "assets/eventcat/cytoscape-dagre.min.js"); });
    }
    return loading;
  }

  var graphs = {};
  function loadGraph(url) {
    if (!graphs[url]) {
      graphs[url] = fetch(url).then(function (r) {
        if (!r.ok) { throw new Error("cannot load " + url); }
        return r.json();
      });
    }
    return graphs[url];
  }

  /* A node's label size in model pixels, and the smallest it is drawn on screen when a map opens
   * (a map too large to fit at that size opens at it, at its top left corner, and pans). */
  var FONT = 11, LEGIBLE = 10, PAD = 16;
  /* nodes beyond which a map opens with its domains collapsed */
  var LARGE = 60;

  var STYLE = [
    { selector: "node", style: {
      "label": "data(label)", "font-size": FONT, "text-wrap": "wrap", "text-max-width": 130,
      "text-valign": "center", "text-halign": "center", "width": "data(w)", "height": "data(h)", "shape": "round-rectangle", "border-width": 1, "color": "#1d1b20" } },
    { selector: "node[kind = 'service']", style: { "background-color": "#e3f2fd", "border-color": "#1565c0" } },
    { selector: "node[kind = 'event']", style: { "background-color": "#ede7f6", "border-color": "#5e35b1",
      "shape": "round-tag" } },
    { selector: "node[kind = 'channel']", style: { "background-color": "#fff3e0", "border-color": "#e65100",
      "shape": "hexagon" } },
    { selector: "node[kind = 'queue']", style: { "background-color": "#e0f2f1", "border-color": "#00695c",
      "shape": "barrel" } },
    { selector: "node[kind = 'dlq']", style: { "background-color": "#ffebee", "border-color": "#c62828",
      "shape": "barrel", "border-style": "dashed" } },
    { selector: "node[kind = 'domain']", style: { "background-color": "#f5f5f5", "background-opacity": 0.6,
      "border-color": "#9e9e9e", "border-style": "dashed", "text-valign": "top", "text-halign": "center",
      "font-weight": "bold", "font-size": 12, "color": "#424242" } },
    { selector: "node.collapsed", style: { "border-style": "solid", "border-width": 2, "background-opacity": 1,
      "text-valign": "center", "background-color": "#eeeeee" } },
    { selector: "node.focus", style: { "border-width": 3, "border-color": "#d81b60" } },
    { selector: "edge", style: {
      "width": 1.4, "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "#90a4ae",
      "target-arrow-color": "#90a4ae", "font-size": 9, "color": "#546e7a", "text-rotation": "autorotate",
      "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1 } },
    { selector: "edge[l]", style: { "label": "data(l)" } },
    { selector: "edge[k = 'dead-letter']", style: { "line-style": "dashed", "line-color": "#e57373",
      "target-arrow-color": "#e57373" } },
    { selector: "edge[k = 'meta']", style: { "line-color": "#b0bec5", "target-arrow-color": "#b0bec5",
      "width": "mapData(n, 1, 20, 1.4, 6)" } },
    { selector: "edge.wrapped", style: { "opacity": 0.45 } },  /* edges cross wrapped columns: under the labels */
    { selector: ".faded", style: { "opacity": 0.15 } }
  ];

  function visibleNodes(data, view) {
    var byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    var ids;
    if (view) {
      ids = {};
      (data.views[view] || [view]).forEach(function (id) {
        ids[id] = true;
        var node = byId[id];
        if (node && node.parent) { ids[node.parent] = true; }
      });
      if (view.indexOf("d:") === 0) { ids[view] = true; }
    }
    return { byId: byId, ids: ids };
  }

  /* Node boxes sized to their label (Cytoscape's width: "label" is deprecated). */
  function size(d) {
    var chars = d.label.length, perLine = 21;
    var lines = Math.min(4, Math.ceil(chars / perLine));
    d.w = Math.max(56, Math.min(150, chars * 6.4 + 22));
    d.h = 14 * lines + 16;
    if (d.kind === "channel") { d.w += 18; }
  }

  function elements(data, picked, collapsed) {
    var byId = picked.byId, ids = picked.ids, out = [], hasChild = {};
    function keep(n) { return !ids || ids[n.id]; }
    function rep(id) {
      var node = byId[id];
      return node && node.parent && collapsed[node.parent] ? node.parent : id;
    }
    data.nodes.forEach(function (n) { if (keep(n) && n.parent) { hasChild[n.parent] = (hasChild[n.parent] || 0) + 1; } });
    data.nodes.forEach(function (n) {
      if (!keep(n)) { return; }
      if (n.kind === "domain" && !hasChild[n.id]) { return; }  /* an empty domain box says nothing */
      if (n.parent && collapsed[n.parent]) { return; }
      var d = { id: n.id, label: n.label, kind: n.kind, url: n.url || "", detail: n.detail || "" };
      if (n.parent && !collapsed[n.parent] && keep(byId[n.parent] || {})) { d.parent = n.parent; }
      var classes = "";
      if (collapsed[n.id]) { d.label = n.label + " (" + hasChild[n.id] + ")"; classes = "collapsed"; }
      size(d);
      out.push({ group: "nodes", data: d, classes: classes });
    });
    var seen = {};
    data.edges.forEach(function (e) {
      if (!keep(byId[e.s] || {}) || !keep(byId[e.t] || {})) { return; }
      var s = rep(e.s), t = rep(e.t);
      if (s === t) { return; }
      var meta = s !== e.s || t !== e.t;
      var id = (meta ? "m|" : e.k + "|") + s + "|" + t;
      if (seen[id]) { seen[id].data.n += 1; return; }
      var d = { id: id, source: s, target: t, k: meta ? "meta" : e.k, n: 1 };
      if (e.l && !meta) { d.l = e.l; }
      seen[id] = { group: "edges", data: d };
      out.push(seen[id]);
    });
    return out;
  }

  function layoutOptions(count) {
    return { name: "dagre", rankDir: "LR", nodeSep: 18, rankSep: count > 200 ? 40 : 60, edgeSep: 8,
             padding: PAD, animate: false, fit: false };
  }

  /* Wrapping tall columns. Dagre stacks all the nodes of a rank in one column: a service that
   * produces 215 events, or a catalog of 62 collapsed domains, is one column thousands of pixels
   * tall, and fitting it shrinks every label to a dot. So, after dagre, the map's top-level boxes
   * (nodes, and domains with everything inside them) are grouped into bands (boxes whose
   * horizontal extents overlap: one rank, or the domains spanning several), and every band taller
   * than a limit is wrapped into side-by-side columns, in dagre's order. The limit is the one that
   * lets the whole map fit the canvas at the largest zoom (up to 1: fewer columns win a tie). An
   * expanded domain's own nodes are wrapped the same way first. */
  var STACK_GAP = 14, COLUMN_GAP = 28, BOX_HEIGHT = 416;

  function leaves(node) { return node.isParent() ? node.descendants().filter(function (n) { return !n.isParent(); }) : node; }

  function shift(node, dx, dy) {
    if (!dx && !dy) { return; }
    leaves(node).forEach(function (n) { var p = n.position(); n.position({ x: p.x + dx, y: p.y + dy }); });
  }

  function bands(nodes) {
    var units = nodes.map(function (n) { return { node: n, bb: n.boundingBox() }; });
    units.sort(function (a, b) { return a.bb.x1 - b.bb.x1; });
    var out = [];
    units.forEach(function (u) {
      var last = out[out.length - 1];
      if (last && u.bb.x1 < last.x2) { last.units.push(u); last.x2 = Math.max(last.x2, u.bb.x2); }
      else { out.push({ units: [u], x1: u.bb.x1, x2: u.bb.x2 }); }
    });
    out.forEach(function (band) {
      band.units.sort(function (a, b) { return a.bb.y1 - b.bb.y1; });
      band.tallest = Math.max.apply(null, band.units.map(function (u) { return u.bb.h; }));
      band.height = band.units.reduce(function (h, u) { return h + u.bb.h; }, 0) + STACK_GAP * (band.units.length - 1);
    });
    return out;
  }

  /* A band's columns under a height limit: [[unit, ...], ...] with each column's width. */
  function columns(band, limit) {
    var cols = [], col = null;
    band.units.forEach(function (u) {
      if (!col || (col.units.length && col.h + STACK_GAP + u.bb.h > limit)) {
        col = { units: [], h: 0, w: 0 };
        cols.push(col);
      }
      col.h += (col.units.length ? STACK_GAP : 0) + u.bb.h;
      col.w = Math.max(col.w, u.bb.w);
      col.units.push(u);
    });
    return cols;
  }

  function measure(list, limit) {
    var w = 0, h = 0;
    list.forEach(function (band, i) {
      var cols = columns(band, limit);
      cols.forEach(function (c) { w += c.w; h = Math.max(h, c.h); });
      w += COLUMN_GAP * (cols.length - 1) + (i ? band.gap : 0);
    });
    return { w: w, h: h };
  }

  /* Wrap the bands of ``nodes`` (siblings) to fit a width × height canvas; true when moved. */
  function arrange(nodes, width, height) {
    var moved = false;
    nodes.forEach(function (n) { if (n.isParent() && arrange(n.children(), width, height)) { moved = true; } });
    if (nodes.length < 2) { return moved; }
    var list = bands(nodes);
    list.forEach(function (band, i) { band.gap = i ? Math.max(COLUMN_GAP, band.x1 - list[i - 1].x2) : 0; });
    var tallest = Math.max.apply(null, list.map(function (b) { return b.height; }));
    var floor = Math.max.apply(null, list.map(function (b) { return b.tallest; }));
    var best = null;
    for (var k = 1; k <= 60; k++) {
      var limit = Math.max(floor, tallest / k);
      var size = measure(list, limit);
      var zoom = Math.min(1, (width - 2 * PAD) / size.w, (height - 2 * PAD) / size.h);
      if (!best || zoom > best.zoom * 1.02) { best = { zoom: zoom, limit: limit }; }
      if (limit === floor) { break; }
    }
    var wraps = list.some(function (band) { return columns(band, best.limit).length > 1; });
    if (!wraps && !moved) { return false; }
    nodes.connectedEdges().addClass("wrapped");
    var x = list[0].x1;
    list.forEach(function (band) {
      x += band.gap;
      if (columns(band, best.limit).length > 1) {  /* a long list reads best in alphabetical order */
        band.units.sort(function (a, b) { return a.node.data("label").localeCompare(b.node.data("label")); });
      }
      columns(band, best.limit).forEach(function (col) {
        var y = -col.h / 2;
        col.units.forEach(function (u) {
          var bb = u.node.boundingBox();  /* anew: wrapping inside a domain moved its box */
          shift(u.node, x + (col.w - bb.w) / 2 - bb.x1, y - bb.y1);
          y += bb.h + STACK_GAP;
        });
        x += col.w + COLUMN_GAP;
      });
      x -= COLUMN_GAP;
    });
    return true;
  }

  /* The viewport that shows ``eles`` whole when its labels stay legible, else at the smallest
   * legible zoom, centred on ``anchor`` (a node) as far as the map's edges allow, or from the top
   * left corner of ``eles``. */
  function viewport(cy, eles, anchor) {
    var bb = eles.boundingBox(), w = cy.width(), h = cy.height();
    var fit = Math.min((w - 2 * PAD) / Math.max(bb.w, 1), (h - 2 * PAD) / Math.max(bb.h, 1));
    var zoom = Math.min(cy.maxZoom(), Math.max(fit, LEGIBLE / FONT));
    var at = anchor && anchor.length ? anchor.position() : null;
    function axis(size, lo, hi, centre) {
      if ((hi - lo) * zoom <= size - 2 * PAD) { return (size - (hi - lo) * zoom) / 2 - lo * zoom; }
      var start = PAD - lo * zoom;
      return centre === null ? start : Math.max(size - PAD - hi * zoom, Math.min(start, size / 2 - centre * zoom));
    }
    return { zoom: zoom, pan: { x: axis(w, bb.x1, bb.x2, at && at.x), y: axis(h, bb.y1, bb.y2, at && at.y) } };
  }

  function Map(box, data) {
    this.box = box;
    this.data = data;
    this.root = box.getAttribute("data-root") || "";
    this.view = box.getAttribute("data-view") || "";
    this.full = box.classList.contains("ec-map-full");
    this.picked = visibleNodes(data, this.view);
    this.collapsed = {};
    var self = this, picked = this.picked;
    var shown = data.nodes.filter(function (n) { return !picked.ids || picked.ids[n.id]; });
    /* the domains this map folds into one node each: all but a domain page's own */
    this.domains = shown.filter(function (n) { return n.kind === "domain" && n.id !== self.view; })
      .map(function (n) { return n.id; });
    this.folds = this.full || (this.domains.length > 0 && shown.length > LARGE);
    if (this.folds && shown.length > LARGE) {  /* a large map opens as one node per domain */
      this.domains.forEach(function (id) { self.collapsed[id] = true; });
    }
    box.querySelectorAll("[data-folds]").forEach(function (el) { el.hidden = !self.folds; });
    this.cy = window.cytoscape({ container: box.querySelector(".ec-map-canvas"), style: STYLE,
                                 minZoom: 0.05, maxZoom: 3, boxSelectionEnabled: false });
    this.draw();
    this.wire();
  }

  Map.prototype.draw = function () {
    var items = elements(this.data, this.picked, this.collapsed);
    this.cy.elements().remove();
    this.cy.add(items);
    var nodes = this.cy.nodes().length;
    if (nodes > 200) { this.cy.edges().removeData("l"); }
    this.cy.layout(layoutOptions(nodes)).run();
    var canvas = this.cy.container();
    arrange(this.cy.nodes().orphans(), canvas.clientWidth, this.full ? canvas.clientHeight : BOX_HEIGHT);
    if (!this.full) {  /* a wide, flat flow gets a short box rather than a sea of white */
      var bb = this.cy.elements().boundingBox();
      var wanted = Math.max(180, Math.min(BOX_HEIGHT, canvas.clientWidth * bb.h / Math.max(bb.w, 1) + 48));
      canvas.style.height = Math.round(wanted) + "px";
      this.cy.resize();
    }
    this.home();
    this.box.setAttribute("data-nodes", String(nodes));
  };

  /* The first view: everything, or as much as fits with legible labels around the page's subject. */
  Map.prototype.home = function () {
    this.cy.elements().removeClass("faded focus");
    var subject = this.cy.getElementById(this.view);  /* a service page's service */
    this.cy.viewport(viewport(this.cy, this.cy.elements(), subject.isParent() ? null : subject));
  };

  Map.prototype.go = function (node) {
    var url = node.data("url");
    if (url) { window.location.href = this.root + url; }
  };

  Map.prototype.toggle = function (id) {
    this.collapsed[id] = !this.collapsed[id];
    this.draw();
  };

  Map.prototype.focus = function (id) {
    var node = this.picked.byId[id];
    if (!node) { return false; }
    if (node.parent && this.collapsed[node.parent]) { this.collapsed[node.parent] = false; this.draw(); }
    var target = this.cy.getElementById(id);
    if (!target.length) { return false; }
    var near = target.closedNeighborhood();
    if (target.isParent()) { near = near.union(target.descendants()).union(target.descendants().connectedEdges()); }
    this.cy.elements().addClass("faded").removeClass("focus");
    near.removeClass("faded");
    near.ancestors().removeClass("faded");
    target.addClass("focus");
    this.cy.animate(viewport(this.cy, near, target), { duration: 250 });
    this.box.setAttribute("data-focus", id);
    if (this.full && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#focus=" + encodeURIComponent(id));
    }
    return true;
  };

  Map.prototype.find = function (text) {
    var query = text.trim().toLowerCase();
    if (!query) { return null; }
    var nodes = this.data.nodes, picked = this.picked, best = null;
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      if (picked.ids && !picked.ids[n.id]) { continue; }
      var label = n.label.toLowerCase();
      var option = (n.label + " · " + (KIND_LABEL[n.kind] || n.kind)).toLowerCase();
      if (label === query || option === query || n.id.toLowerCase() === query) { return n.id; }
      if (!best && (label.indexOf(query) >= 0 || (n.detail || "").toLowerCase().indexOf(query) >= 0)) { best = n.id; }
    }
    return best;
  };

  Map.prototype.wire = function () {
    var self = this, box = this.box;
    this.cy.on("tap", "node", function (event) {
      var node = event.target;
      if (self.folds && self.domains.indexOf(node.id()) >= 0) { self.toggle(node.id()); return; }
      self.go(node);
    });
    this.cy.on("tap", function (event) {
      if (event.target === self.cy) { self.cy.elements().removeClass("faded focus"); box.removeAttribute("data-focus"); }
    });
    var search = box.querySelector(".ec-map-search");
    var list = document.createElement("datalist");
    list.id = "ec-map-list-" + Math.random().toString(36).slice(2);
    this.data.nodes.forEach(function (n) {
      if (self.picked.ids && !self.picked.ids[n.id]) { return; }
      var option = document.createElement("option");
      option.value = n.label + " · " + (KIND_LABEL[n.kind] || n.kind);
      list.appendChild(option);
    });
    box.appendChild(list);
    search.setAttribute("list", list.id);
    function run() {
      var id = self.find(search.value);
      search.classList.toggle("ec-miss", !!search.value.trim() && !id);
      if (id) { self.focus(id); }
    }
    search.addEventListener("change", run);
    search.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); run(); } });
    box.querySelectorAll(".ec-map-btn").forEach(function (button) {
      button.addEventListener("click", function () {
        var act = button.getAttribute("data-act");
        if (act === "fit") { self.cy.elements().removeClass("faded focus"); self.cy.fit(undefined, PAD); return; }
        self.domains.forEach(function (id) { self.collapsed[id] = act === "collapse"; });
        self.draw();
      });
    });
    if (this.full) {
      var match = /#focus=([^&]+)/.exec(window.location.hash);
      if (match) { this.focus(decodeURIComponent(match[1])); }
    }
    box.setAttribute("data-ready", "1");
  };

  function start() {
    var boxes = document.querySelectorAll(".ec-map:not([data-ready])");
    if (!boxes.length) { return; }
    var root = boxes[0].getAttribute("data-root") || "";
    loadLibrary(root).then(function () {
      boxes.forEach(function (box) {
        loadGraph(box.getAttribute("data-graph")).then(function (data) {
          box.ecMap = new Map(box, data);
        }).catch(function (err) {
          var note = document.createElement("p");
          note.className = "ec-muted";
          note.textContent = "The map could not be drawn: " + err.message;
          box.appendChild(note);
        });
      });
    });
  }

  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(start); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
