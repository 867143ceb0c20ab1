// Trellis: the light/dark toggle (remembered on this device) and the
// contents list folded away on narrow screens. Works from file:// too.
(function () {
  "use strict";
  var KEY = "trellis-theme";
  var root = document.documentElement;
  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function save(value) {
    try { localStorage.setItem(KEY, value); } catch (e) { /* private mode: fine */ }
  }
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
