/* eventcat schema explorer: a collapsible tree of an event's payload, drawn from the version's
 * node table (assets/eventcat/schemas/<Name>/v<N>.json, see eventcat/docsite/explorer.py).
 * Hand-written on purpose: ~300 lines, no dependency; rows are built lazily (one level per
 * expand) and every text goes in through textContent, so catalog text stays inert. */
(function () {
  "use strict";

  var MAX_ROWS = 6000;      /* "expand all" stops here: beyond, a tree is no longer readable */
  var MAX_MATCHES = 300;
  var MAX_DEPTH = 40;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* The site's text helpers, from eventcat-compare.js (loaded on every page before this one):
   * identifiers and values with wrap points, descriptions with their links. */
  function text() { return window.eventcatText; }

  function short(value) {
    var text = JSON.stringify(value);
    if (text === undefined) { text = String(value); }
    return text.length > 80 ? text.slice(0, 79) + "…" : text;
  }

  function Explorer(box, data) {
    this.box = box;
    this.data = data;
    this.nodes = data.nodes;
    this.root = box.getAttribute("data-root") || "";
    this.tree = box.querySelector(".ec-explorer-tree");
    this.status = box.querySelector(".ec-explorer-status");
    this.count = 0;
  }

  /* Follow a node's $ref chain: the node that holds the content, the refs passed, nullability. */
  Explorer.prototype.resolve = function (id) {
    var node = this.nodes[id], refs = [], nullable = !!node.nl, hops = 0, at = id;
    while (node && node.ref !== undefined && hops < 32) {
      if (node.rl) { refs.push({ label: node.rl, url: node.ru || "" }); }
      at = node.ref;
      node = this.nodes[at];
      nullable = nullable || !!(node && node.nl);
      hops += 1;
    }
    return { id: at, node: node || {}, first: this.nodes[id], refs: refs, nullable: nullable };
  };

  Explorer.prototype.typeText = function (r) {
    var n = r.node, t = n.t;
    if (Array.isArray(t)) { t = t.filter(function (x) { return x !== "null"; }).join(" | ") || "null"; }
    if (!t) {
      if (n.p || n.ap !== undefined || n.pp) { t = "object"; }
      else if (n.one) { t = "one of " + n.one.length; }
      else if (n.any) { t = "any of " + n.any.length; }
      else if (n.all) { t = "all of " + n.all.length; }
      else if (n.e) { t = "enum"; }
      else if (n.c !== undefined) { t = "const"; }
      else { t = "any"; }
    }
    if (t === "array" && n.i !== undefined) {
      var inner = this.resolve(n.i);
      t = "array of " + (inner.refs.length ? inner.refs[inner.refs.length - 1].label : this.typeText(inner));
    }
    return t;
  };

  /* The children of a (resolved) node: properties, items, branches, as entries to render. */
  Explorer.prototype.children = function (id) {
    var n = this.nodes[id] || {}, out = [];
    (n.p || []).forEach(function (p) { out.push({ key: "p:" + p[0], label: p[0], id: p[1], req: p[2] }); });
    (n.pp || []).forEach(function (p, i) { out.push({ key: "pp:" + i, label: "/" + p[0] + "/", id: p[1], extra: "pattern" }); });
    if (typeof n.ap === "number") { out.push({ key: "ap", label: "*", id: n.ap, extra: "any other property" }); }
    if (n.i !== undefined) { out.push({ key: "i", label: "[ ] items", id: n.i, extra: "each item" }); }
    (n.pi || []).forEach(function (x, i) { out.push({ key: "pi:" + i, label: "[" + i + "]", id: x }); });
    var self = this;
    [["one", "exactly one of"], ["any", "at least one of"], ["all", "all of"]].forEach(function (g) {
      if (!n[g[0]]) { return; }
      out.push({ key: g[0], label: g[1], group: n[g[0]].map(function (x, i) {
        var branch = self.resolve(x);
        var name = branch.node.ti || (branch.refs.length ? branch.refs[branch.refs.length - 1].label : self.typeText(branch));
        return { key: g[0] + ":" + i, label: "option " + (i + 1) + ": " + name, id: x, branch: true };
      }) });
    });
    ["not", "if", "then", "else"].forEach(function (k) {
      if (n[k] !== undefined) { out.push({ key: k, label: k, id: n[k], branch: true }); }
    });
    return out;
  };

  Explorer.prototype.hasChildren = function (entry) {
    if (entry.group) { return true; }
    return this.children(this.resolve(entry.id).id).length > 0;
  };

  Explorer.prototype.row = function (entry, ancestors, depth) {
    var li = el("li", "ec-x-row");
    li.setAttribute("role", "treeitem");
    li.setAttribute("data-key", entry.key);
    var line = el("div", "ec-x-line"), toggle = el("button", "ec-x-toggle");
    toggle.type = "button";
    line.appendChild(toggle);
    var name = el("span", entry.group ? "ec-x-group" : entry.branch ? "ec-x-branch" : "ec-x-name", entry.label);
    line.appendChild(name);
    li.appendChild(line);
    li.ecEntry = entry;
    li.ecAncestors = ancestors;
    li.ecDepth = depth;
    this.count += 1;
    if (entry.group) {
      line.appendChild(el("span", "ec-x-type", entry.group.length + " branches"));
      this.setToggle(li, true);
      return li;
    }
    var r = this.resolve(entry.id);
    var type = el("span", "ec-x-type", this.typeText(r));
    line.appendChild(type);
    if (entry.req) { line.appendChild(el("span", "ec-x-badge ec-x-req", "required")); }
    if (r.nullable) { line.appendChild(el("span", "ec-x-badge ec-x-null", "nullable")); }
    if (r.first.dep || r.node.dep) { line.appendChild(el("span", "ec-x-badge ec-x-dep", "deprecated")); }
    if (entry.extra) { line.appendChild(el("span", "ec-x-muted", entry.extra)); }
    var self = this;
    r.refs.forEach(function (ref) {
      var a = el(ref.url ? "a" : "span", "ec-x-ref", "→ " + ref.label);
      if (ref.url) { a.href = self.root + ref.url; }
      line.appendChild(a);
    });
    var recursive = ancestors.indexOf(r.id) >= 0;
    var info = el("div", "ec-x-info");
    var desc = r.first.d || r.node.d;
    if (desc) { info.appendChild(text().description(el("div", "ec-x-desc"), desc)); }
    var k = Object.assign({}, r.node.k || {}, r.first.k || {});
    var keys = Object.keys(k);
    if (keys.length) {
      var cons = el("div", "ec-x-cons");
      keys.forEach(function (key) { cons.appendChild(text().ident("code", "", key + ": " + short(k[key]))); });
      info.appendChild(cons);
    }
    if (r.node.e) {
      var en = el("div", "ec-x-enum");
      en.appendChild(el("span", "ec-x-muted", "one of "));
      r.node.e.forEach(function (v) { en.appendChild(text().ident("code", "", short(v))); });
      info.appendChild(en);
    }
    if (r.node.c !== undefined) {
      var c = el("div", "ec-x-enum");
      c.appendChild(el("span", "ec-x-muted", "always "));
      c.appendChild(text().ident("code", "", short(r.node.c)));
      info.appendChild(c);
    }
    if (r.node.ap === false && r.node.p) { info.appendChild(el("div", "ec-x-muted", "no other properties")); }
    if (recursive) {
      var back = el("a", "ec-x-recursive", "↻ recursive: the same schema as an enclosing level");
      back.href = "#";
      back.addEventListener("click", function (event) {
        event.preventDefault();
        var up = li.parentElement && li.parentElement.closest(".ec-x-row");
        while (up && up.ecTarget !== r.id) { up = up.parentElement && up.parentElement.closest(".ec-x-row"); }
        if (up) { up.scrollIntoView({ block: "center" }); up.classList.add("ec-x-flash"); }
      });
      info.appendChild(back);
    }
    if (info.childNodes.length) { li.appendChild(info); }
    li.ecTarget = r.id;
    this.setToggle(li, !recursive && this.children(r.id).length > 0);
    return li;
  };

  Explorer.prototype.setToggle = function (li, expandable) {
    var toggle = li.querySelector(".ec-x-toggle"), self = this;
    if (!expandable) {
      toggle.disabled = true;
      toggle.setAttribute("aria-hidden", "true");
      toggle.textContent = "";
      return;
    }
    li.setAttribute("aria-expanded", "false");
    toggle.textContent = "▸";
    toggle.setAttribute("aria-label", "Expand " + li.ecEntry.label);
    toggle.addEventListener("click", function () { self.toggle(li); });
  };

  Explorer.prototype.expand = function (li) {
    if (li.getAttribute("aria-expanded") !== "false") { return; }
    var list = li.querySelector(":scope > ul");
    if (!list) {
      list = el("ul", "ec-x-children");
      list.setAttribute("role", "group");
      var entry = li.ecEntry, self = this;
      var entries = entry.group ? entry.group : this.children(li.ecTarget);
      var ancestors = entry.group ? li.ecAncestors : li.ecAncestors.concat([li.ecTarget]);
      entries.forEach(function (child) { list.appendChild(self.row(child, ancestors, li.ecDepth + 1)); });
      li.appendChild(list);
    }
    list.hidden = false;
    li.setAttribute("aria-expanded", "true");
    li.querySelector(".ec-x-toggle").textContent = "▾";
  };

  Explorer.prototype.collapse = function (li) {
    if (li.getAttribute("aria-expanded") !== "true") { return; }
    var list = li.querySelector(":scope > ul");
    if (list) { list.hidden = true; }
    li.setAttribute("aria-expanded", "false");
    li.querySelector(".ec-x-toggle").textContent = "▸";
  };

  Explorer.prototype.toggle = function (li) {
    if (li.getAttribute("aria-expanded") === "true") { this.collapse(li); } else { this.expand(li); }
  };

  Explorer.prototype.draw = function () {
    this.tree.textContent = "";
    this.count = 0;
    var top = el("ul", "ec-x-top"), self = this;
    var root = this.resolve(this.data.root);
    this.children(root.id).forEach(function (entry) { top.appendChild(self.row(entry, [root.id], 0)); });
    this.tree.appendChild(top);
  };

  Explorer.prototype.expandAll = function () {
    var queue = Array.prototype.slice.call(this.tree.querySelectorAll(".ec-x-row[aria-expanded]"));
    var stopped = false;
    while (queue.length) {
      var li = queue.shift();
      if (this.count > MAX_ROWS || li.ecDepth > MAX_DEPTH) { stopped = true; break; }
      this.expand(li);
      var list = li.querySelector(":scope > ul");
      if (list) {
        for (var i = 0; i < list.children.length; i++) {
          if (list.children[i].hasAttribute("aria-expanded")) { queue.push(list.children[i]); }
        }
      }
    }
    this.say(stopped ? "Expanded the first " + this.count + " rows; search to find the rest." : this.count + " rows");
  };

  Explorer.prototype.collapseAll = function () {
    var self = this;
    this.tree.querySelectorAll(".ec-x-row[aria-expanded='true']").forEach(function (li) { self.collapse(li); });
    this.tree.querySelectorAll(".ec-x-hit").forEach(function (x) { x.classList.remove("ec-x-hit"); });
    this.say("");
  };

  Explorer.prototype.say = function (text) { this.status.textContent = text; };

  /* Paths (lists of row keys) to every property whose name or description holds the query. */
  Explorer.prototype.search = function (query) {
    var q = query.trim().toLowerCase(), found = [], self = this;
    if (!q) { return found; }
    var root = this.resolve(this.data.root);
    function visit(entries, path, ancestors) {
      for (var i = 0; i < entries.length && found.length < MAX_MATCHES; i++) {
        var entry = entries[i], here = path.concat([entry.key]);
        if (entry.group) { visit(entry.group, here, ancestors); continue; }
        var r = self.resolve(entry.id);
        var text = (entry.label + " " + (r.first.d || r.node.d || "")).toLowerCase();
        if (!entry.branch && text.indexOf(q) >= 0) { found.push(here); }
        if (ancestors.indexOf(r.id) < 0 && here.length < MAX_DEPTH) {
          visit(self.children(r.id), here, ancestors.concat([r.id]));
        }
      }
    }
    visit(this.children(root.id), [], [root.id]);
    return found;
  };

  Explorer.prototype.reveal = function (path) {
    var list = this.tree.querySelector(".ec-x-top"), li = null;
    for (var i = 0; i < path.length; i++) {
      li = null;
      for (var j = 0; list && j < list.children.length; j++) {
        if (list.children[j].getAttribute("data-key") === path[i]) { li = list.children[j]; break; }
      }
      if (!li) { return null; }
      if (i < path.length - 1) { this.expand(li); list = li.querySelector(":scope > ul"); }
    }
    return li;
  };

  Explorer.prototype.find = function (query) {
    this.collapseAll();
    var paths = this.search(query), first = null, self = this;
    paths.forEach(function (path) {
      var li = self.reveal(path);
      if (li) { li.classList.add("ec-x-hit"); first = first || li; }
    });
    if (first) { first.scrollIntoView({ block: "nearest" }); }
    this.say(query.trim() ? (paths.length >= MAX_MATCHES ? "more than " + MAX_MATCHES : String(paths.length))
      + " match" + (paths.length === 1 ? "" : "es") : "");
  };

  function start() {
    document.querySelectorAll(".ec-explorer:not([data-ready])").forEach(function (box) {
      box.setAttribute("data-ready", "0");
      var started = window.performance ? performance.now() : 0;
      fetch(box.getAttribute("data-schema")).then(function (r) {
        if (!r.ok) { throw new Error("cannot load the schema"); }
        return r.json();
      }).then(function (data) {
        var explorer = new Explorer(box, data);
        explorer.draw();
        box.ecExplorer = explorer;
        var search = box.querySelector(".ec-explorer-search"), timer = null;
        search.addEventListener("input", function () {
          clearTimeout(timer);
          timer = setTimeout(function () { explorer.find(search.value); }, 150);
        });
        box.querySelectorAll(".ec-explorer-btn").forEach(function (button) {
          button.addEventListener("click", function () {
            if (button.getAttribute("data-act") === "expand") { explorer.expandAll(); } else { explorer.collapseAll(); }
          });
        });
        box.setAttribute("data-ms", String(Math.round((window.performance ? performance.now() : 0) - started)));
        box.setAttribute("data-ready", "1");
      }).catch(function (err) {
        box.querySelector(".ec-explorer-tree").appendChild(el("p", "ec-muted", err.message));
      });
    });
  }

  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(start); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
