// Trellis search: runs a query in the browser against the index files that
// `trellis build` writes under search/ (see src/search/ for their format).
// Each index file is a script that hands its data to window.trellisSearch,
// so search works from file:// too, where fetch() cannot read files. A query
// loads meta.js once, one shard per word, and for the results shown the files
// under docs/ that hold them (meta.docsPerFile documents each).
// Words and stems follow the same rules as src/search/text.rs: accents
// folded in every language, then the analyzer meta.js names (English stop
// words and stemming, Spanish stop words and Snowball stemming from
// stem-es.js, or folded words only).
// Plain JavaScript: no framework, no inline script, no eval.
(function () {
  "use strict";
  // The theme's words in the page's language (theme.js).
  var T = window.trellisText;

  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var VALUE = {};
  for (var a = 0; a < ALPHABET.length; a++) VALUE[ALPHABET.charAt(a)] = a;
  var PAGE = 10;
  var SNIPPET_WORDS = 28;
  // Combining accents (U+0300 to U+036F) belong to the word they follow, so
  // a word typed with decomposed accents folds as the composed one does.
  // eslint-disable-next-line no-misleading-character-class
  var WORD = /[\p{Alphabetic}\p{N}'\u2019\u0300-\u036f]+/gu;
  var DIACRITICS = /[\u0300-\u036f]/g;
  var APOSTROPHES = /['\u2019]/g;

  var meta = null;
  var stopWords = {};
  var shards = {};
  var promises = {};
  var waiting = {};
  var loaded = [];
  var indexBase = "";
  // Where this script was loaded from: stem-es.js is beside it.
  var scriptSrc = document.currentScript ? document.currentScript.src : "";

  function settle(key, value) {
    var w = waiting[key];
    if (w) {
      delete waiting[key];
      w(value);
    }
  }

  // Loads an index file once; resolves when the file has handed over its data.
  function load(key, path) {
    if (promises[key]) return promises[key];
    promises[key] = new Promise(function (resolve, reject) {
      waiting[key] = resolve;
      var script = document.createElement("script");
      script.src = indexBase + path;
      script.async = true;
      script.onerror = function () {
        delete promises[key];
        delete waiting[key];
        reject(new Error("cannot load " + path));
      };
      script.onload = function () {
        if (waiting[key]) {
          delete waiting[key];
          reject(new Error(path + " did not hold search data"));
        }
      };
      loaded.push(path);
      document.head.appendChild(script);
    });
    return promises[key];
  }

  // meta.js, and for a Spanish index the Snowball stemmer (stem-es.js, only
  // loaded for one, so other languages' pages do not download it).
  function loadMeta() {
    return load("meta", "meta.js").then(function (m) {
      if (m.analyzer !== "spanish" || window.trellisStemSpanish) return m;
      if (!promises.stemmer) {
        promises.stemmer = new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = scriptSrc.replace(/search\.js([?#].*)?$/, "stem-es.js");
          script.async = true;
          script.onload = function () {
            if (window.trellisStemSpanish) resolve(m);
            else reject(new Error("stem-es.js did not load"));
          };
          script.onerror = function () {
            delete promises.stemmer;
            reject(new Error("cannot load stem-es.js"));
          };
          document.head.appendChild(script);
        });
      }
      return promises.stemmer;
    });
  }

  // --- Words, as in src/search/text.rs -----------------------------------

  // As src/search/fold.rs: "Terapéutica" and "terapeutica" are one word.
  function fold(w) {
    if (/^[a-z0-9]*$/.test(w)) return w;
    return w.normalize("NFD").replace(DIACRITICS, "").normalize("NFC");
  }

  function words(text) {
    var out = [];
    var min = meta ? meta.minWord : 2;
    var max = meta ? meta.maxWord : 40;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      var w = fold(m[0].replace(APOSTROPHES, "").toLowerCase());
      var n = Array.from(w).length;
      if (n >= min && n <= max) out.push({ word: w, start: m.index, end: m.index + m[0].length });
    }
    return out;
  }

  function ends(w, suffix) {
    return w.length >= suffix.length && w.slice(w.length - suffix.length) === suffix;
  }

  function stem(w) {
    if (w.length < 4 || !/^[a-z]+$/.test(w)) return w;
    if (ends(w, "sses")) {
      w = w.slice(0, -2);
    } else if ((ends(w, "ies") || ends(w, "ied")) && w.length > 4) {
      w = w.slice(0, -3) + "y";
    } else if (ends(w, "ss") || ends(w, "us") || ends(w, "is")) {
      // not a plural
    } else if (ends(w, "s")) {
      w = w.slice(0, -1);
    }
    var suffixes = ["ing", "ed"];
    for (var i = 0; i < suffixes.length; i++) {
      var suffix = suffixes[i];
      if (!ends(w, suffix) || (suffix === "ed" && ends(w, "eed"))) continue;
      var rest = w.slice(0, w.length - suffix.length);
      if (rest.length >= 3 && /[aeiouy]/.test(rest)) {
        w = rest;
        var n = w.length;
        if (n >= 4 && w.charAt(n - 1) === w.charAt(n - 2) && "bdfgmnprt".indexOf(w.charAt(n - 1)) >= 0) {
          w = w.slice(0, -1);
        }
      }
      break;
    }
    if (w.length >= 4 && ends(w, "e") && !ends(w, "ee")) w = w.slice(0, -1);
    return w;
  }

  // The index term of a word of words(), or null for a stop word.
  function term(word) {
    var analyzer = meta && meta.analyzer;
    if (analyzer !== "english" && analyzer !== "spanish") return word;
    if (Object.prototype.hasOwnProperty.call(stopWords, word)) return null;
    return analyzer === "english" ? stem(word) : window.trellisStemSpanish(word);
  }

  // As `plan` in src/search/index.rs.
  function queryTerms(query) {
    var ws = words(query).map(function (w) { return w.word; });
    var out = [];
    ws.forEach(function (word, i) {
      var t = term(word);
      if (t === null) return;
      var prefix = i + 1 === ws.length && Array.from(word).length >= meta.minPrefix ? word : null;
      var existing = null;
      for (var k = 0; k < out.length; k++) if (out[k].term === t) existing = out[k];
      if (existing) {
        if (prefix !== null) existing.prefix = prefix;
      } else if (out.length < meta.maxTerms) {
        out.push({ term: t, prefix: prefix });
      }
    });
    return out;
  }

  // --- The index ------------------------------------------------------------

  // Compares by code point, as Rust compares strings.
  function compare(a, b) {
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i);
      var y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    if (i < a.length) return 1;
    if (j < b.length) return -1;
    return 0;
  }

  function shardOf(t) {
    var lo = 0;
    var hi = meta.keys.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(meta.keys[mid], t) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  function prefixShards(prefix) {
    var first = shardOf(prefix);
    var out = [first];
    for (var next = first + 1; out.length < meta.prefixShards && next < meta.keys.length && meta.keys[next].indexOf(prefix) === 0; next++) {
      out.push(next);
    }
    return out;
  }

  function findTerm(entries, t) {
    var lo = 0;
    var hi = entries.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      var c = compare(entries[mid][0], t);
      if (c === 0) return entries[mid];
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  // Postings, as written by src/search/encode.rs: [doc, weight, doc, weight, ...].
  function decode(entry) {
    if (entry.decoded) return entry.decoded;
    var text = entry[2];
    var out = [];
    var doc = -1;
    var gap = 0;
    for (var i = 0; i < text.length; i++) {
      var v = VALUE[text.charAt(i)];
      if (v >= 32) {
        gap = gap * 32 + (v - 32);
        continue;
      }
      doc += gap * 32 + v + 1;
      gap = 0;
      i++;
      out.push(doc, VALUE[text.charAt(i)]);
    }
    entry.decoded = out;
    return out;
  }

  function addMatches(best, entry, factor) {
    var postings = decode(entry);
    var idf = entry[1];
    for (var i = 0; i < postings.length; i += 2) {
      var s = factor * idf * postings[i + 1];
      var d = postings[i];
      if (!(best[d] >= s)) best[d] = s;
    }
  }

  // As SearchIndex::query in src/search/index.rs.
  function search(query) {
    var qts = queryTerms(query);
    var need = {};
    qts.forEach(function (qt) {
      need[shardOf(qt.term)] = true;
      if (qt.prefix !== null) prefixShards(qt.prefix).forEach(function (s) { need[s] = true; });
    });
    var loads = Object.keys(need).map(function (s) { return load("s" + s, "index/" + s + ".js"); });
    return Promise.all(loads).then(function () {
      var total = {};
      qts.forEach(function (qt) {
        var best = {};
        var exact = findTerm(shards[shardOf(qt.term)], qt.term);
        if (exact) addMatches(best, exact, 2);
        if (qt.prefix !== null) {
          prefixShards(qt.prefix).forEach(function (s) {
            shards[s].forEach(function (entry) {
              if (entry[0].indexOf(qt.prefix) === 0 && entry[0] !== qt.term) addMatches(best, entry, 1);
            });
          });
        }
        Object.keys(best).forEach(function (d) {
          var t = total[d] || (total[d] = [0, 0]);
          t[0] += 1;
          t[1] += best[d];
        });
      });
      var hits = Object.keys(total).map(function (d) {
        return { doc: Number(d), matched: total[d][0], score: total[d][1] };
      });
      hits.sort(function (x, y) {
        return y.matched - x.matched || y.score - x.score || x.doc - y.doc;
      });
      return { terms: qts, hits: hits };
    });
  }

  // Document n: the file holding it is loaded once, whichever of its
  // documents is shown first.
  function loadDoc(n) {
    var g = Math.floor(n / meta.docsPerFile);
    return load("d" + g, "docs/" + g + ".js").then(function (list) {
      var doc = list[n - g * meta.docsPerFile];
      if (!doc) throw new Error("docs/" + g + ".js lacks document " + n);
      return doc;
    });
  }

  // --- Showing results ------------------------------------------------------

  function matcher(qts) {
    var terms = {};
    var prefixes = [];
    qts.forEach(function (qt) {
      terms[qt.term] = true;
      if (qt.prefix !== null) prefixes.push(qt.prefix);
    });
    return function (word) {
      var t = term(word);
      if (t === null) return false;
      if (Object.prototype.hasOwnProperty.call(terms, t)) return true;
      return prefixes.some(function (p) { return t.indexOf(p) === 0 || word.indexOf(p) === 0; });
    };
  }

  // Text with the matching words in <mark>, as DOM nodes (never as HTML).
  function marked(parent, text, isMatch) {
    var at = 0;
    words(text).forEach(function (w) {
      if (!isMatch(w.word)) return;
      if (w.start > at) parent.appendChild(document.createTextNode(text.slice(at, w.start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(w.start, w.end);
      parent.appendChild(mark);
      at = w.end;
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
    return parent;
  }

  // The stretch of `text` with the most matching words (or its start).
  function snippet(text, isMatch) {
    var ws = words(text);
    if (!ws.length) return null;
    var hits = [];
    ws.forEach(function (w, i) { if (isMatch(w.word)) hits.push(i); });
    var start = 0;
    var best = 0;
    for (var i = 0; i < hits.length; i++) {
      var count = 0;
      for (var k = i; k < hits.length && hits[k] < hits[i] + SNIPPET_WORDS - 4; k++) count++;
      if (count > best) {
        best = count;
        start = Math.max(0, hits[i] - 4);
      }
    }
    var end = Math.min(ws.length - 1, start + SNIPPET_WORDS - 1);
    return {
      text: text.slice(start === 0 ? 0 : ws[start].start, end === ws.length - 1 ? text.length : ws[end].end),
      before: start > 0,
      after: end < ws.length - 1,
      matched: hits.length > 0
    };
  }

  function element(tag, className, parent) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (parent) parent.appendChild(el);
    return el;
  }

  var KIND = { article: "js_kind_article", part: "js_kind_part", term: "js_kind_term" };

  function resultItem(doc, isMatch, siteRoot) {
    var li = element("li", "search-result");
    var h = element("h2", "search-title", li);
    var link = element("a", "", h);
    link.href = siteRoot + doc.url;
    marked(link, doc.title, isMatch);
    var context = element("p", "search-context", li);
    context.textContent = doc.context && doc.kind !== "term"
      ? T((KIND[doc.kind] || "js_kind_page") + "_in", { context: doc.context })
      : T(KIND[doc.kind] || "js_kind_page");
    if (doc.summary) marked(element("p", "search-summary", li), doc.summary, isMatch);
    var s = snippet(doc.text || "", isMatch);
    if (s && (s.matched || !doc.summary)) {
      var p = element("p", "search-snippet", li);
      if (s.before) p.appendChild(document.createTextNode("… "));
      marked(p, s.text, isMatch);
      if (s.after) p.appendChild(document.createTextNode(" …"));
    }
    return li;
  }

  function start(root) {
    indexBase = root.getAttribute("data-search-index") || "./";
    var siteRoot = root.getAttribute("data-site-root") || "../";
    var form = root.querySelector("form");
    var input = root.querySelector("#search-q");
    var status = root.querySelector("#search-status");
    var list = root.querySelector("#search-results");
    var more = root.querySelector("#search-more");
    if (!form || !input || !status || !list || !more) return;

    var ready = loadMeta();
    var current = 0;
    var shown = 0;
    var last = null;
    var timer = null;

    function say(text) {
      status.textContent = text;
    }

    function showMore(focusFirst) {
      var seq = current;
      var slice = last.hits.slice(shown, shown + PAGE);
      var isMatch = matcher(last.terms);
      return Promise.all(slice.map(function (h) { return loadDoc(h.doc); }))
        .then(function (found) {
          if (seq !== current) return;
          var first = null;
          found.forEach(function (doc) {
            var li = resultItem(doc, isMatch, siteRoot);
            list.appendChild(li);
            if (!first) first = li.querySelector("a");
          });
          shown += slice.length;
          more.hidden = shown >= last.hits.length;
          if (focusFirst && first) first.focus();
        });
    }

    function run(query) {
      var seq = ++current;
      clearTimeout(timer);
      var q = query.trim();
      updateUrl(q);
      if (!q) {
        list.textContent = "";
        more.hidden = true;
        say("");
        return Promise.resolve();
      }
      return ready
        .then(function () {
          if (seq !== current) return null;
          if (!queryTerms(q).length) {
            list.textContent = "";
            more.hidden = true;
            say(T("js_search_too_short"));
            return null;
          }
          return search(q);
        })
        .then(function (result) {
          if (!result || seq !== current) return null;
          last = result;
          shown = 0;
          list.textContent = "";
          var n = result.hits.length;
          return showMore(false).then(function () {
            if (seq !== current) return;
            if (!n) say(T("js_no_results", { query: q }));
            else say(T(n > shown ? "js_results_showing" : "js_results", { n: n, query: q, shown: shown }));
          });
        })
        .catch(function () {
          if (seq === current) say(T("js_search_failed"));
        });
    }

    function updateUrl(q) {
      try {
        var url = location.pathname + (q ? "?q=" + encodeURIComponent(q) : "");
        history.replaceState(null, "", url);
      } catch (e) {
        // Some browsers refuse this for file:// pages; the search still works.
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(input.value);
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value); }, 250);
    });
    more.addEventListener("click", function () {
      if (last) showMore(true);
    });

    // Arrow keys: from the box into the results, and between results.
    function resultLinks() {
      return Array.prototype.slice.call(list.querySelectorAll(".search-title a"));
    }
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        var links = resultLinks();
        if (links.length) {
          event.preventDefault();
          links[0].focus();
        }
      }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var links = resultLinks();
      var i = links.indexOf(document.activeElement);
      if (i < 0) return;
      event.preventDefault();
      if (event.key === "ArrowDown" && i + 1 < links.length) links[i + 1].focus();
      else if (event.key === "ArrowUp") (i > 0 ? links[i - 1] : input).focus();
    });

    var initial;
    try {
      initial = new URLSearchParams(location.search).get("q") || "";
      if (!initial && location.hash.indexOf("#q=") === 0) {
        initial = decodeURIComponent(location.hash.slice(3).replace(/\+/g, " "));
      }
    } catch (e) {
      initial = "";
    }
    if (initial) {
      input.value = initial;
      run(initial);
    }
  }

  window.trellisSearch = {
    meta: function (m) {
      meta = m;
      (m.stopWords || []).forEach(function (w) { stopWords[w] = true; });
      settle("meta", m);
    },
    shard: function (i, entries) {
      shards[i] = entries;
      settle("s" + i, entries);
    },
    docs: function (g, list) {
      settle("d" + g, list);
    },
    // For tests and measurements: the index files loaded so far (paths
    // relative to search/), the word rules, and a query's ranked results.
    loaded: loaded,
    words: function (text) { return words(text).map(function (w) { return w.word; }); },
    stem: stem,
    term: term,
    query: function (q) {
      return loadMeta().then(function () { return search(q); });
    }
  };

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("search");
    if (root) start(root);
  });
})();
