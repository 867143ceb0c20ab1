// Snowball's Spanish stemmer (snowballstem.org, BSD licence), for the search
// page: the same algorithm as the `rust-stemmers` crate that
// src/search/spanish.rs uses to build a Spanish handbook's index, so a query
// word and the words of the pages meet at the same stem. search.js calls
// window.trellisStemSpanish when the index's meta.js names the "spanish"
// analyzer. The suffix tables are the crate's, entry for entry; a word is
// handled as an array of code points, as the crate handles characters.
// tests/fixtures/stem-es.txt lists words and the stems both must give.
(function () {
  "use strict";

  // Suffix -> what to do with it (the Snowball program's among results).
  var A_1 = {
    "la": -1, "sela": -1, "le": -1, "me": -1, "se": -1, "lo": -1, "selo": -1, "las": -1,
    "selas": -1, "les": -1, "los": -1, "selos": -1, "nos": -1
  };
  var A_2 = {
    "ando": 6, "iendo": 6, "yendo": 7, "\u00e1ndo": 2, "i\u00e9ndo": 1, "ar": 6, "er": 6, "ir": 6,
    "\u00e1r": 3, "\u00e9r": 4, "\u00edr": 5
  };
  var A_3 = {
    "ic": -1, "ad": -1, "os": -1, "iv": 1
  };
  var A_4 = {
    "able": 1, "ible": 1, "ante": 1
  };
  var A_5 = {
    "ic": 1, "abil": 1, "iv": 1
  };
  var A_6 = {
    "ica": 1, "ancia": 2, "encia": 5, "adora": 2, "osa": 1, "ista": 1, "iva": 9, "anza": 1,
    "log\u00eda": 3, "idad": 8, "able": 1, "ible": 1, "ante": 2, "mente": 7, "amente": 6,
    "aci\u00f3n": 2, "uci\u00f3n": 4, "ico": 1, "ismo": 1, "oso": 1, "amiento": 1, "imiento": 1,
    "ivo": 9, "ador": 2, "icas": 1, "ancias": 2, "encias": 5, "adoras": 2, "osas": 1, "istas": 1,
    "ivas": 9, "anzas": 1, "log\u00edas": 3, "idades": 8, "ables": 1, "ibles": 1, "aciones": 2,
    "uciones": 4, "adores": 2, "antes": 2, "icos": 1, "ismos": 1, "osos": 1, "amientos": 1,
    "imientos": 1, "ivos": 9
  };
  var A_7 = {
    "ya": 1, "ye": 1, "yan": 1, "yen": 1, "yeron": 1, "yendo": 1, "yo": 1, "yas": 1, "yes": 1,
    "yais": 1, "yamos": 1, "y\u00f3": 1
  };
  var A_8 = {
    "aba": 2, "ada": 2, "ida": 2, "ara": 2, "iera": 2, "\u00eda": 2, "ar\u00eda": 2,
    "er\u00eda": 2, "ir\u00eda": 2, "ad": 2, "ed": 2, "id": 2, "ase": 2, "iese": 2, "aste": 2,
    "iste": 2, "an": 2, "aban": 2, "aran": 2, "ieran": 2, "\u00edan": 2, "ar\u00edan": 2,
    "er\u00edan": 2, "ir\u00edan": 2, "en": 1, "asen": 2, "iesen": 2, "aron": 2, "ieron": 2,
    "ar\u00e1n": 2, "er\u00e1n": 2, "ir\u00e1n": 2, "ado": 2, "ido": 2, "ando": 2, "iendo": 2,
    "ar": 2, "er": 2, "ir": 2, "as": 2, "abas": 2, "adas": 2, "idas": 2, "aras": 2, "ieras": 2,
    "\u00edas": 2, "ar\u00edas": 2, "er\u00edas": 2, "ir\u00edas": 2, "es": 1, "ases": 2,
    "ieses": 2, "abais": 2, "arais": 2, "ierais": 2, "\u00edais": 2, "ar\u00edais": 2,
    "er\u00edais": 2, "ir\u00edais": 2, "aseis": 2, "ieseis": 2, "asteis": 2, "isteis": 2,
    "\u00e1is": 2, "\u00e9is": 1, "ar\u00e9is": 2, "er\u00e9is": 2, "ir\u00e9is": 2, "ados": 2,
    "idos": 2, "amos": 2, "\u00e1bamos": 2, "\u00e1ramos": 2, "i\u00e9ramos": 2, "\u00edamos": 2,
    "ar\u00edamos": 2, "er\u00edamos": 2, "ir\u00edamos": 2, "emos": 1, "aremos": 2, "eremos": 2,
    "iremos": 2, "\u00e1semos": 2, "i\u00e9semos": 2, "imos": 2, "ar\u00e1s": 2, "er\u00e1s": 2,
    "ir\u00e1s": 2, "\u00eds": 2, "ar\u00e1": 2, "er\u00e1": 2, "ir\u00e1": 2, "ar\u00e9": 2,
    "er\u00e9": 2, "ir\u00e9": 2, "i\u00f3": 2
  };
  var A_9 = {
    "a": 1, "e": 2, "o": 1, "os": 1, "\u00e1": 1, "\u00e9": 2, "\u00ed": 1, "\u00f3": 1
  };

  var VOWELS = "aeiou\u00e1\u00e9\u00ed\u00f3\u00fa\u00fc";
  var ACUTE = { "\u00e1": "a", "\u00e9": "e", "\u00ed": "i", "\u00f3": "o", "\u00fa": "u" };

  function isVowel(c) {
    return c !== undefined && VOWELS.indexOf(c) >= 0;
  }

  // Snowball's RV, R1 and R2: where each region starts (w.length if none).
  function regions(w) {
    var n = w.length;
    var pV = n;
    var i;
    // Past the next vowel (or consonant) from `from`: the index after it, or -1.
    function past(from, vowel) {
      for (var k = from; k < n; k++) if (isVowel(w[k]) === vowel) return k + 1;
      return -1;
    }
    if (n >= 2) {
      if (isVowel(w[0])) {
        i = !isVowel(w[1]) ? past(2, true) : -1;
        if (i < 0 && isVowel(w[1])) i = past(2, false);
        if (i >= 0) pV = i;
      } else {
        i = !isVowel(w[1]) ? past(2, true) : -1;
        if (i < 0 && isVowel(w[1]) && n >= 3) i = 3;
        if (i >= 0) pV = i;
      }
    }
    var p1 = n;
    var p2 = n;
    i = past(0, true);
    if (i >= 0) i = past(i, false);
    if (i >= 0) {
      p1 = i;
      i = past(i, true);
      if (i >= 0) i = past(i, false);
      if (i >= 0) p2 = i;
    }
    return { pV: pV, p1: p1, p2: p2 };
  }

  function endsWith(w, end, s) {
    var suffix = Array.from(s);
    if (suffix.length > end) return false;
    for (var k = 0; k < suffix.length; k++) if (w[end - suffix.length + k] !== suffix[k]) return false;
    return true;
  }

  // The longest suffix of w[from..end] in `table`: { start, action }, or null.
  function among(w, end, from, table) {
    var best = null;
    Object.keys(table).forEach(function (s) {
      var len = Array.from(s).length;
      if (end - len >= from && endsWith(w, end, s) && (!best || end - len < best.start)) {
        best = { start: end - len, action: table[s] };
      }
    });
    return best;
  }

  function replace(w, start, end, s) {
    return w.slice(0, start).concat(Array.from(s), w.slice(end));
  }

  function attachedPronoun(w, r) {
    var n = w.length;
    var pronoun = among(w, n, 0, A_1);
    if (!pronoun) return w;
    var verb = among(w, pronoun.start, 0, A_2);
    if (!verb || verb.start < r.pV) return w;
    var a = verb.action;
    if (a >= 1 && a <= 5) return replace(w, verb.start, n, ["iendo", "ando", "ar", "er", "ir"][a - 1]);
    if (a === 6) return w.slice(0, pronoun.start);
    if (a === 7 && verb.start > 0 && w[verb.start - 1] === "u") return w.slice(0, pronoun.start);
    return w;
  }

  // Deletes w[start..] when R2 allows; null when it does not.
  function r2Delete(w, r, start) {
    return start >= r.p2 ? w.slice(0, start) : null;
  }

  // Then, after a deletion, an optional further suffix deleted in R2.
  function tryDelete(w, r, table) {
    var m = among(w, w.length, 0, table);
    if (!m || m.start < r.p2) return { w: w, m: null };
    return { w: w.slice(0, m.start), m: m };
  }

  // The standard suffix removed, or null when there is none to remove.
  function standardSuffix(w, r) {
    var n = w.length;
    var m = among(w, n, 0, A_6);
    if (!m) return null;
    var s = m.start;
    switch (m.action) {
      case 1:
        return r2Delete(w, r, s);
      case 2:
        w = r2Delete(w, r, s);
        return w && tryDelete(w, r, { ic: 1 }).w;
      case 3:
        return s >= r.p2 ? replace(w, s, n, "log") : null;
      case 4:
        return s >= r.p2 ? replace(w, s, n, "u") : null;
      case 5:
        return s >= r.p2 ? replace(w, s, n, "ente") : null;
      case 6: {
        if (s < r.p1) return null;
        var t = tryDelete(w.slice(0, s), r, A_3);
        if (t.m && t.m.action === 1) return tryDelete(t.w, r, { at: 1 }).w;
        return t.w;
      }
      case 7:
        w = r2Delete(w, r, s);
        return w && tryDelete(w, r, A_4).w;
      case 8:
        w = r2Delete(w, r, s);
        return w && tryDelete(w, r, A_5).w;
      case 9:
        w = r2Delete(w, r, s);
        return w && tryDelete(w, r, { at: 1 }).w;
    }
    return null;
  }

  function yVerbSuffix(w, r) {
    var n = w.length;
    if (n < r.pV) return null;
    var m = among(w, n, r.pV, A_7);
    if (!m || m.start < 1 || w[m.start - 1] !== "u") return null;
    return w.slice(0, m.start);
  }

  function verbSuffix(w, r) {
    var n = w.length;
    if (n < r.pV) return null;
    var m = among(w, n, r.pV, A_8);
    if (!m) return null;
    var s = m.start;
    if (m.action === 1 && s >= 2 && w[s - 1] === "u" && w[s - 2] === "g") s -= 1;
    return w.slice(0, s);
  }

  function residualSuffix(w, r) {
    var m = among(w, w.length, 0, A_9);
    if (!m || m.start < r.pV) return w;
    var s = m.start;
    if (m.action === 2 && s >= 2 && w[s - 1] === "u" && w[s - 2] === "g" && s - 1 >= r.pV) s -= 1;
    return w.slice(0, s);
  }

  // The Snowball Spanish stem of a lower-case word.
  function stem(word) {
    var w = Array.from(word);
    var r = regions(w);
    w = attachedPronoun(w, r);
    w = standardSuffix(w, r) || yVerbSuffix(w, r) || verbSuffix(w, r) || w;
    w = residualSuffix(w, r);
    return w.map(function (c) { return ACUTE[c] || c; }).join("");
  }

  window.trellisStemSpanish = stem;
})();
