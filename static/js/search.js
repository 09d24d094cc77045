// Site search, for the search box of partials/chrome.html. The page
// loads this script only when the box is first focused or typed in (the
// search page loads it at once). It reads the index that dealsite builds
// under search/ (see internal/search for the format), fetching the
// manifest, then only the term shards, year orders and document chunks
// a query needs, from the site's own host. Results show as the visitor
// types; the arrow keys move through them, Enter opens one, Escape
// closes them.
//
// Folding and tokenizing follow the same rules as internal/search/fold.go,
// with the fold table from the manifest: the Go tests run this script in
// Node (internal/search/testdata/fold_test.mjs and query_test.mjs) on the
// same cases as the Go code. Outside a page, the script only exports its
// functions.
(function () {
  "use strict";
  var MAX_TERM = 32; // search.MaxTermLen
  var FIELD_BITS = 4, TITLE = 8, FACTS = 4, SUMMARY = 2;
  var SHOWN = 10; // results listed
  var WAIT = 200; // ms without a keystroke before fetching what a query needs
  var PHRASE_CHECKS = 100; // candidates checked for a quoted phrase
  var MARK = /\p{M}/u, WORD = /[\p{L}\p{N}]/u, ASCII_WORD = /[a-z0-9]/;
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  // foldTable maps a code point to its folding, from the manifest's fold
  // groups ({"ae": "æÆǢ…"}).
  function foldTable(groups) {
    var table = new Map();
    Object.keys(groups).forEach(function (to) {
      for (var ch of groups[to]) table.set(ch, to);
    });
    return table;
  }

  // fold is search.Fold: marks dropped, the table's foldings, the rest
  // lower-cased.
  function fold(s, table) {
    var out = "";
    for (var ch of s) {
      if (ch.charCodeAt(0) < 128) { out += ch.toLowerCase(); continue; }
      if (MARK.test(ch)) continue;
      var f = WORD.test(ch) ? table.get(ch) : undefined;
      out += f !== undefined ? f : ch.toLowerCase();
    }
    return out;
  }

  // tokens is search.Tokens: the folded runs of letters and digits, each
  // cut to MAX_TERM code points.
  function tokens(s, table) {
    var out = [], cur = "", n = 0;
    function push(c) { if (n < MAX_TERM) cur += c; n++; }
    function end() { if (n > 0) out.push(cur); cur = ""; n = 0; }
    for (var ch of s) {
      if (ch.charCodeAt(0) < 128) {
        var l = ch.toLowerCase();
        if (ASCII_WORD.test(l)) push(l); else end();
        continue;
      }
      if (MARK.test(ch)) continue;
      if (!WORD.test(ch)) { end(); continue; }
      var f = table.get(ch);
      if (f !== undefined) { for (var fc of f) push(fc); } else push(ch.toLowerCase());
    }
    end();
    return out;
  }

  // parse reads a query: filters (tag:slug, party:slug, year:2013),
  // "quoted phrases" and words. Every word must match; the last one
  // matches as a prefix while it is being typed (no space after it).
  function parse(q, table) {
    var query = { words: [], phrases: [], filters: [] };
    q = q.replace(/(^|\s)(tag|party|year):(\S+)/gi, function (_, sp, kind, value) {
      query.filters.push(kind.toLowerCase() + ":" + value.toLowerCase());
      return sp + " ";
    });
    var typing = !/\s$/.test(q);
    var seen = {};
    function add(term, prefix) {
      // A word of one or two letters is not read as a prefix: it would
      // fetch every shard of the words it starts, for little.
      if (prefix && Array.from(term).length < 3) prefix = false;
      var key = term + (prefix ? "*" : "");
      if (!seen[key]) { seen[key] = true; query.words.push({ term: term, prefix: prefix }); }
    }
    var parts = q.split('"');
    parts.forEach(function (part, i) {
      var terms = tokens(part, table);
      var last = i === parts.length - 1;
      if (i % 2 === 1 && terms.length > 1) query.phrases.push(terms);
      terms.forEach(function (t, j) { add(t, last && typing && j === terms.length - 1); });
    });
    return query;
  }

  // numbers reads a string of numbers, each written low five bits first
  // with 32 added to every digit but its last.
  function numbers(s) {
    var out = [], v = 0, scale = 1;
    for (var i = 0; i < s.length; i++) {
      var d = DIGITS.indexOf(s[i]);
      v += (d & 31) * scale;
      if (d & 32) { scale *= 32; continue; }
      out.push(v);
      v = 0; scale = 1;
    }
    return out;
  }

  // decode reads a posting list into [document, fields, document, fields…].
  function decode(s) {
    var out = [], id = -1;
    numbers(s).forEach(function (v) {
      id += Math.floor(v / (1 << FIELD_BITS)) + 1;
      out.push(id, v % (1 << FIELD_BITS));
    });
    return out;
  }

  // ranks reads an order file (document numbers less the first of
  // their year's, newest first) into a Map from document to its place.
  function ranks(order, start) {
    var rank = new Map();
    numbers(order).forEach(function (n, i) { rank.set(start + n, i); });
    return rank;
  }

  // yearOf is the year of a document: the manifest's years are blocks
  // of document numbers, [year, first, count], in order.
  function yearOf(m, id) {
    var lo = 0, hi = m.years.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.years[mid][1] <= id) lo = mid; else hi = mid - 1;
    }
    return m.years[lo];
  }

  // weight ranks where a term was found: title, then tags, parties and
  // value, then summary, then body.
  function weight(fields) {
    return fields & TITLE ? 8 : fields & FACTS ? 4 : fields & SUMMARY ? 2 : 1;
  }

  // openIndex reads the index through fetchFile(path, held), a function
  // returning a promise of a file's JSON ("index.json", "t/6e6f.json",
  // "o/2013.json", "d/0.json"); with held true, only of a file already
  // fetched (else it rejects). Its ask(q, held) runs a query: the
  // documents every word and filter matches, best first, then newest,
  // with what the first SHOWN show; with held true, only if every file
  // it needs is already held.
  function openIndex(fetchFile) {
    var manifest = fetchFile("index.json", false).then(function (m) {
      if (m.version !== 2) throw new Error("search index version " + m.version);
      m.table = foldTable(m.fold);
      m.keys = new Set(m.shards);
      return m;
    });
    return {
      manifest: manifest,
      ask: function (q, held) {
        var load = function (path) { return fetchFile(path, !!held); };
        return manifest.then(function (m) {
          var query = parse(q, m.table);
          if (!query.words.length && !query.filters.length) return null;
          return search(load, m, query).then(function (hits) { return documents(load, m, query, hits); })
            .then(function (found) { found.query = query; found.table = m.table; return found; });
        });
      },
    };
  }

  // shardsOf lists the shards that hold a term, or every term a prefix
  // starts: the one whose key is the longest prefix of it, and for a
  // prefix those whose keys are longer and start with it.
  function shardsOf(m, term, prefix) {
    var cps = Array.from(term), keys = [];
    for (var n = cps.length; n > 0; n--) {
      var k = cps.slice(0, n).join("");
      if (m.keys.has(k)) { keys.push(k); break; }
    }
    if (prefix) {
      m.shards.forEach(function (k) {
        if (k.length > term.length && k.lastIndexOf(term, 0) === 0) keys.push(k);
      });
    }
    return keys;
  }

  // match finds a word's documents: a Map from document to its score
  // there, the weight of the best field doubled, plus one when a term
  // equals the word rather than starting with it.
  function match(load, m, word) {
    return Promise.all(shardsOf(m, word.term, word.prefix).map(function (k) {
      return load("t/" + hex(k) + ".json");
    })).then(function (shards) {
      var docs = new Map();
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (term) {
          var exact = term === word.term;
          if (!exact && !(word.prefix && term.lastIndexOf(word.term, 0) === 0)) return;
          var list = decode(shard[term]);
          for (var i = 0; i < list.length; i += 2) {
            var score = weight(list[i + 1]) * 2 + (exact ? 1 : 0);
            if (!(docs.get(list[i]) >= score)) docs.set(list[i], score);
          }
        });
      });
      return docs;
    });
  }

  function search(load, m, query) {
    var words = query.words.concat(query.filters.map(function (f) { return { term: f, prefix: false }; }));
    return Promise.all(words.map(function (w) { return match(load, m, w); })).then(function (found) {
      return newestFirst(load, m, query, rank(m, found));
    });
  }

  // newestFirst orders the hits of equal score by time, newest first:
  // by year, then, for the years of the hits that will be looked at, by
  // their years' order files.
  function newestFirst(load, m, query, hits) {
    var wanted = hits.slice(0, query.phrases.length ? PHRASE_CHECKS : SHOWN), years = new Map();
    wanted.forEach(function (h) { years.set(h.year[0], h.year); });
    return Promise.all(Array.from(years.values()).map(function (y) {
      return load("o/" + y[0] + ".json").then(function (order) { return ranks(order, y[1]); });
    })).then(function (orders) {
      var rank = new Map();
      orders.forEach(function (o) { o.forEach(function (r, id) { rank.set(id, r); }); });
      return hits.sort(function (a, b) {
        return b.score - a.score || b.year[0] - a.year[0] || (rank.get(a.id) - rank.get(b.id)) || a.id - b.id;
      });
    });
  }

  // documents fetches what the first results show; with phrases, only
  // the results that hold them, among the first PHRASE_CHECKS.
  function documents(load, m, query, hits) {
    var wanted = query.phrases.length ? hits.slice(0, PHRASE_CHECKS) : hits.slice(0, SHOWN);
    return Promise.all(wanted.map(function (h) {
      return load("d/" + Math.floor(h.id / m.chunk) + ".json").then(function (chunk) { return chunk[h.id % m.chunk]; });
    })).then(function (docs) {
      var out = [];
      docs.forEach(function (d, i) {
        if (query.phrases.every(function (p) { return hasPhrase(m, d, p); })) out.push({ id: wanted[i].id, doc: d });
      });
      return { shown: out.slice(0, SHOWN), total: query.phrases.length ? out.length : hits.length };
    });
  }

  // rank keeps the documents every word matched, scored by the sum of
  // their scores, best first, then newest by year (see newestFirst).
  function rank(m, found) {
    if (!found.length) return [];
    found = found.slice().sort(function (a, b) { return a.size - b.size; });
    var hits = [];
    found[0].forEach(function (score, id) {
      for (var i = 1; i < found.length; i++) {
        var s = found[i].get(id);
        if (s === undefined) return;
        score += s;
      }
      hits.push({ id: id, score: score, year: yearOf(m, id) });
    });
    return hits.sort(function (a, b) { return b.score - a.score || b.year[0] - a.year[0] || a.id - b.id; });
  }

  // hasPhrase reports whether what a result shows (title, parties,
  // snippet) holds the phrase.
  function hasPhrase(m, d, phrase) {
    var text = " " + tokens([d[1], d[3], d[4]].join(" "), m.table).join(" ") + " ";
    return text.indexOf(" " + phrase.join(" ") + " ") >= 0;
  }

  function hex(s) {
    return Array.prototype.map.call(new TextEncoder().encode(s), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  var api = { fold: fold, tokens: tokens, foldTable: foldTable, parse: parse, decode: decode, openIndex: openIndex };
  if (typeof document === "undefined") {
    if (typeof module === "object") module.exports = api;
    return;
  }

  var form = document.querySelector("form[data-search]");
  if (!form || !window.fetch || form.hasAttribute("data-search-ready")) return;
  form.setAttribute("data-search-ready", "");
  var input = form.querySelector("input[type=search]");
  var indexURL = form.getAttribute("data-search"); // ends in search/
  var basePath = indexURL.slice(0, indexURL.length - "search/".length);

  // The files of the index, fetched once and kept: the manifest at once,
  // then shards and chunks as queries need them.
  var files = new Map(), held = new Set();
  var NOT_HELD = new Error("not fetched yet");
  var index = openIndex(function (path, onlyHeld) {
    if (!files.has(path)) {
      if (onlyHeld) return Promise.reject(NOT_HELD);
      files.set(path, fetch(indexURL + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      }).then(function (data) { held.add(path); return data; }, function (err) { files.delete(path); throw err; }));
    }
    if (onlyHeld && !held.has(path)) return Promise.reject(NOT_HELD);
    return files.get(path);
  });

  // ---- the page

  var panel = document.createElement("div");
  panel.className = "search-panel";
  panel.id = "search-panel";
  panel.hidden = true;
  var count = document.createElement("p");
  count.className = "search-count";
  var list = document.createElement("ol");
  list.className = "search-results";
  list.setAttribute("aria-label", "Search results");
  panel.appendChild(count);
  panel.appendChild(list);
  form.appendChild(panel);
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(status);
  input.setAttribute("aria-controls", panel.id);

  var asked = 0; // the newest query's number: an older answer is dropped
  var typedAt = 0;

  function open(show) {
    panel.hidden = !show;
  }

  // highlight appends text to el with every word a query word starts
  // marked.
  function highlight(el, text, found) {
    var terms = found.query.words;
    var re = /[\p{L}\p{N}\p{M}]+/gu, last = 0, r;
    while ((r = re.exec(text))) {
      var folded = tokens(r[0], found.table)[0] || "";
      var hit = terms.some(function (w) { return w.prefix ? folded.lastIndexOf(w.term, 0) === 0 : folded === w.term; });
      if (!hit) continue;
      el.appendChild(document.createTextNode(text.slice(last, r.index)));
      var mark = document.createElement("mark");
      mark.textContent = r[0];
      el.appendChild(mark);
      last = r.index + r[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }

  function span(cls) {
    var el = document.createElement("span");
    el.className = cls;
    return el;
  }

  function show(q, found) {
    list.textContent = "";
    found.shown.forEach(function (f) {
      var d = f.doc, a = document.createElement("a");
      a.href = basePath + encodeURI(d[0]);
      var title = span("search-title"), meta = span("search-meta"), snippet = span("search-snippet");
      highlight(title, d[1], found);
      meta.textContent = d[3] ? d[2] + " · " + d[3] : d[2];
      highlight(snippet, d[4], found);
      a.appendChild(title);
      a.appendChild(meta);
      if (d[4]) a.appendChild(snippet);
      var li = document.createElement("li");
      li.appendChild(a);
      list.appendChild(li);
    });
    var n = found.total;
    var text = n === 0 ? "No events match." : n === 1 ? "1 event matches." :
      n + " events match" + (n > found.shown.length ? "; the first " + found.shown.length + " are shown." : ".");
    count.textContent = text;
    status.textContent = text;
    open(true);
    // For tests and the curious: the query shown, and how long after the
    // keystroke that asked it the results were on the page.
    panel.setAttribute("data-query", q);
    panel.setAttribute("data-ms", (performance.now() - typedAt).toFixed(1));
  }

  // run answers the query in the box: at once from the files already
  // fetched, or, when it needs others, once typing pauses (WAIT ms), so
  // that the words on the way to the one meant fetch nothing.
  var timer = 0;
  function run() {
    var q = input.value, mine = ++asked;
    typedAt = performance.now();
    clearTimeout(timer);
    if (!q.trim()) { open(false); list.textContent = ""; status.textContent = ""; return; }
    answer(q, mine, true);
  }

  function answer(q, mine, onlyHeld) {
    index.ask(q, onlyHeld).then(function (found) {
      if (mine !== asked) return;
      if (found) show(q, found); else open(false);
    }).catch(function (err) {
      if (mine !== asked) return;
      if (err === NOT_HELD) {
        timer = setTimeout(function () { answer(q, mine, false); }, WAIT);
        return;
      }
      count.textContent = "Search is not available right now. Press Enter for the search page.";
      status.textContent = count.textContent;
      list.textContent = "";
      open(true);
    });
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  input.addEventListener("input", run);
  form.addEventListener("submit", function (ev) {
    var first = links()[0];
    if (first && !panel.hidden) { ev.preventDefault(); location.href = first.href; }
  });
  form.addEventListener("keydown", function (ev) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (ev.key === "Escape") {
      if (panel.hidden) return;
      ev.preventDefault();
      open(false);
      input.focus();
    } else if (ev.key === "ArrowDown" && all.length) {
      ev.preventDefault();
      open(true);
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (ev.key === "ArrowUp" && at >= 0) {
      ev.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    }
  });
  document.addEventListener("click", function (ev) {
    if (!form.contains(ev.target)) open(false);
  });
  form.addEventListener("focusout", function (ev) {
    if (ev.relatedTarget && !form.contains(ev.relatedTarget)) open(false);
  });
  input.addEventListener("focus", function () { if (list.firstChild) open(true); });

  // On the search page, a query from the address (the form sent without
  // JavaScript, or a link) is run at once.
  var onSearchPage = location.pathname === indexURL || location.pathname === indexURL + "index.html";
  if (onSearchPage) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-search-needs-js]"), function (el) { el.hidden = true; });
    Array.prototype.forEach.call(document.querySelectorAll("[data-search-with-js]"), function (el) { el.hidden = false; });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; input.focus(); }
  }
  if (input.value) run();
})();
