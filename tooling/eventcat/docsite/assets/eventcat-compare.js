/* eventcat compare view: the engine's semantic changes between two versions of an event, read
 * from the event's precomputed JSON (assets/eventcat/compare/<Name>.json). Hand-written on purpose
 * (a few dozen lines); every text goes in through textContent.
 *
 * This file is also the one home of the site scripts' text helpers (window.eventcatText, used by
 * the schema explorer too): the JavaScript twin of html.wbr, and catalog prose with its Markdown
 * links. */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* Text split into parts with a <wbr> between them, in a new element (or appended to one). */
  function parted(target, parts) {
    parts.forEach(function (part, i) {
      if (i) { target.appendChild(document.createElement("wbr")); }
      target.appendChild(document.createTextNode(part));
    });
    return target;
  }

  /* An identifier that may wrap after a separator or between camelCase words, never inside a
   * word: the same break points as the site's html.wbr. */
  var BREAK = /(?<=[.\/_:,|)\]-])(?=[^.\/_:,|)\]\s-])|(?<=[a-z0-9])(?=[A-Z])/;
  function ident(tag, cls, text) {
    return parted(el(tag, cls), String(text).split(BREAK));
  }

  /* A URL wraps after its separators: / . ? & = (and #), never inside a word. */
  var URL_BREAK = /(?<=[\/.?&=#])(?=[^\/.?&=#])/;
  var BARE_URL = /\bhttps?:\/\/[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'"]/;
  /* A Markdown link: [text](href), and the hrefs a link may have (http, https, or relative). */
  var LINK = /\[([^\[\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)/;  /* one level of (…) in an href */
  function safeHref(href) {
    if (/^https?:\/\//i.test(href)) { return href; }
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || /^\/\//.test(href) || /^[\\]/.test(href)) { return null; }
    return href;  /* relative: a path, a query or a #fragment */
  }

  /* Plain prose with its bare URLs given wrap points, appended to ``node``. */
  function prose(node, text) {
    var rest = String(text), m;
    while ((m = BARE_URL.exec(rest))) {
      if (m.index) { node.appendChild(document.createTextNode(rest.slice(0, m.index))); }
      parted(node, m[0].split(URL_BREAK));
      rest = rest.slice(m.index + m[0].length);
    }
    if (rest) { node.appendChild(document.createTextNode(rest)); }
    return node;
  }

  /* A catalog description into ``node``: Markdown links become links (a safe href only, else
   * their text), URLs wrap after separators; everything else stays text. */
  function description(node, text) {
    var rest = String(text), m;
    while ((m = LINK.exec(rest))) {
      prose(node, rest.slice(0, m.index));
      var href = safeHref(m[2]);
      if (href) {
        var a = prose(el("a"), m[1]);
        a.href = href;
        a.rel = "nofollow noopener";
        node.appendChild(a);
      } else {
        prose(node, m[1]);
      }
      rest = rest.slice(m.index + m[0].length);
    }
    return prose(node, rest);
  }

  window.eventcatText = { ident: ident, description: description };

  /* The gate's words for a change (gate/messages.py): `backticked` parts become code, as the
   * site's html.code_spans does on the server. */
  function words(node, text) {
    String(text).split(/`([^`]+)`/).forEach(function (part, i) {
      if (i % 2) { node.appendChild(ident("code", "", part)); }
      else if (part) { node.appendChild(document.createTextNode(part)); }
    });
  }

  function badge(text, kind) { return el("span", "ec-badge" + (kind ? " ec-" + kind : ""), text); }

  var KIND = { compatible: "latest", breaking: "deprecated" };

  function render(box, data, oldV, newV) {
    var out = box.querySelector(".ec-compare-out");
    out.textContent = "";
    if (oldV === newV) { out.appendChild(el("p", "ec-muted", "Pick two different versions.")); return; }
    if (oldV > newV) { var t = oldV; oldV = newV; newV = t; }
    var root = box.getAttribute("data-root") || "";
    var pair = data.pairs[oldV + "-" + newV];
    var head = el("p", "ec-compare-head");
    head.appendChild(el("strong", "", "v" + oldV + " → v" + newV + ": "));
    if (!pair) {
      out.appendChild(head);
      head.appendChild(document.createTextNode("this pair is not precomputed (the event has many versions); "
        + "compare each version with the one before it, or with the latest."));
      return;
    }
    if (pair.message) { head.appendChild(document.createTextNode(pair.message)); out.appendChild(head); return; }
    head.appendChild(badge(pair.verdict, KIND[pair.verdict] || "draft"));
    head.appendChild(document.createTextNode(" under " + pair.mode + " " + pair.policy + " rules " + pair.rules
      + ": " + pair.changes.length + " change" + (pair.changes.length === 1 ? "" : "s") + ", "
      + pair.breaking + " breaking."));
    out.appendChild(head);
    if (!pair.changes.length) {
      out.appendChild(el("p", "ec-muted", "No schema change (only annotations or metadata)."));
      return;
    }
    var wrap = el("div", "ec-table ec-changes");
    var table = el("table"), thead = el("thead"), tr = el("tr");
    tr.appendChild(el("th", "", "Change and where"));
    tr.appendChild(el("th", "", "What it means"));
    thead.appendChild(tr);
    table.appendChild(thead);
    var body = el("tbody");
    pair.changes.forEach(function (change) {
      var row = el("tr"), what = el("td"), why = el("td");
      var link = ident("a", "ec-id", change.type);
      link.href = root + data.rule.replace("{}", encodeURIComponent(change.type));
      what.appendChild(link);
      what.appendChild(el("br"));
      what.appendChild(change.breaking ? badge("breaking", "deprecated")
        : change.unknown ? badge("unknown", "draft") : badge("compatible", "latest"));
      if (change.additive) { what.appendChild(document.createTextNode(" ")); what.appendChild(badge("additive", "kind")); }
      what.appendChild(el("br"));
      what.appendChild(ident("code", "ec-id", change.pointer));
      words(why, change.words + ".");
      if (change.counterexample) {
        why.appendChild(el("br"));
        why.appendChild(el("span", "ec-muted", "Counterexample: "));
        why.appendChild(ident("code", "", change.counterexample));
      }
      if (change.breaking && change.fix) {
        why.appendChild(el("br"));
        why.appendChild(el("span", "ec-muted", "Fix: " + change.fix));
      }
      row.appendChild(what);
      row.appendChild(why);
      body.appendChild(row);
    });
    table.appendChild(body);
    wrap.appendChild(table);
    out.appendChild(wrap);
  }

  function start() {
    document.querySelectorAll(".ec-compare:not([data-ready])").forEach(function (box) {
      box.setAttribute("data-ready", "0");
      var oldSel = box.querySelector(".ec-compare-old"), newSel = box.querySelector(".ec-compare-new");
      var match = /#compare=(\d+)-(\d+)/.exec(window.location.hash);
      if (match) { oldSel.value = match[1]; newSel.value = match[2]; }
      fetch(box.getAttribute("data-compare")).then(function (r) {
        if (!r.ok) { throw new Error("cannot load the changes"); }
        return r.json();
      }).then(function (data) {
        function update() {
          render(box, data, parseInt(oldSel.value, 10), parseInt(newSel.value, 10));
          box.setAttribute("data-shown", oldSel.value + "-" + newSel.value);
        }
        oldSel.addEventListener("change", update);
        newSel.addEventListener("change", update);
        update();
        box.setAttribute("data-ready", "1");
        if (match) { box.scrollIntoView(); }
      }).catch(function (err) {
        box.querySelector(".ec-compare-out").appendChild(el("p", "ec-muted", err.message));
      });
    });
  }

  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(start); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
