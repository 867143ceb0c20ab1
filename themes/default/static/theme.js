// Trellis: the light/dark toggle (remembered on this device), the contents
// list folded away on narrow screens, and the one storage helper every other
// script of the theme uses (window.trellisStorage; this script loads first on
// every page), and the theme's words for the other scripts
// (window.trellisText). Works from file:// too.
(function () {
  "use strict";

  // localStorage that never throws: it may be off (private browsing, a
  // file:// page in some browsers) or full. What cannot be kept lasts the visit.
  var storage = window.trellisStorage = {
    read: function (key) {
      try { return localStorage.getItem(key); } catch (e) { return null; }
    },
    write: function (key, value) {
      try { localStorage.setItem(key, value); } catch (e) { /* kept for this visit only */ }
    },
    forget: function (key) {
      try { localStorage.removeItem(key); } catch (e) { /* nothing stored */ }
    },
    // A stored object, or null when there is none or it is not an object.
    readJson: function (key) {
      try {
        var v = JSON.parse(storage.read(key) || "null");
        return v && typeof v === "object" ? v : null;
      } catch (e) { return null; }
    },
    writeJson: function (key, value) { storage.write(key, JSON.stringify(value)); }
  };

  // The theme's words in the page's language: static/strings.<lang>.js,
  // which Trellis writes from the theme's i18n/<lang>.yaml, sets
  // window.trellisStrings. `{name}` is filled in from `vars`; a count
  // `vars.n` picks the plural form (`key_one`, `key_other` …) by the
  // language's rules. A key with no text shows as itself.
  window.trellisText = function (key, vars) {
    var strings = window.trellisStrings || {};
    if (vars && typeof vars.n === "number") {
      var form = vars.n === 1 ? "one" : "other";
      try { form = new Intl.PluralRules(document.documentElement.lang || "en").select(vars.n); } catch (e) { /* the English rule */ }
      key += strings[key + "_" + form] !== undefined ? "_" + form : "_other";
    }
    var text = strings[key];
    if (typeof text !== "string") return key;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return vars && vars[name] !== undefined ? String(vars[name]) : all;
    });
  };

  var KEY = "trellis-theme";
  var root = document.documentElement;
  function stored() { return storage.read(KEY); }
  function save(value) { storage.write(KEY, value); }
  function current() {
    var s = stored();
    if (s === "dark" || s === "light") return s;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  var initial = stored();
  if (initial === "dark" || initial === "light") root.setAttribute("data-theme", initial);

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (button) {
      var sync = function () {
        var dark = current() === "dark";
        button.setAttribute("aria-pressed", dark ? "true" : "false");
      };
      button.hidden = false;
      sync();
      button.addEventListener("click", function () {
        var next = current() === "dark" ? "light" : "dark";
        root.setAttribute("data-theme", next);
        save(next);
        sync();
      });
    }
    var details = document.querySelector(".nav-details");
    if (details && window.matchMedia && window.matchMedia("(max-width: 59.99rem)").matches) {
      details.open = false;
    }
  });
})();
