// Trellis: the crisis banner shows the reader's likely region first. The
// guess is made here, in the browser, from the time zone and the preferred
// languages the browser reports; it is never stored or sent anywhere. Without
// JavaScript, or when no region fits, the banner keeps its general links and
// the link to the help page that lists every region.
(function () {
  "use strict";

  function words(el, name) {
    return (el.getAttribute(name) || "").split(/\s+/).filter(Boolean);
  }

  function zoneMatches(zone, patterns) {
    return patterns.some(function (p) {
      return p.charAt(p.length - 1) === "/" ? zone.indexOf(p) === 0 : zone === p;
    });
  }

  function timeZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  function languages() {
    var list = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
    return list.map(function (l) { return String(l).toLowerCase(); });
  }

  // The first region whose time zones hold the browser's, else the first
  // whose languages hold one the browser prefers (in the browser's order).
  function likelyRegion(regions) {
    var zone = timeZone();
    var byZone = zone && regions.filter(function (r) { return zoneMatches(zone, words(r, "data-zones")); })[0];
    if (byZone) return byZone;
    var langs = languages();
    for (var i = 0; i < langs.length; i++) {
      for (var j = 0; j < regions.length; j++) {
        var tags = words(regions[j], "data-langs").map(function (t) { return t.toLowerCase(); });
        if (tags.indexOf(langs[i]) !== -1) return regions[j];
      }
    }
    return null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var banner = document.querySelector(".crisis");
    if (!banner) return;
    var region = likelyRegion(Array.prototype.slice.call(banner.querySelectorAll(".crisis-region")));
    if (!region) return;
    var general = banner.querySelector(".crisis-links");
    if (general) general.hidden = true;
    region.hidden = false;
  });
})();
