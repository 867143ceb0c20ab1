// Trellis glossary tooltips: a linked term shows its definition on hover,
// keyboard focus and tap (WCAG 1.4.13: dismissible with Escape, hoverable,
// persistent until the pointer or focus leaves or it is dismissed).
//
// Markup, written by Trellis (no JavaScript needed to read it):
//   <a class="term" href="../glossary/index.html#rapport" aria-describedby="tip-rapport">rapport</a>
//   <div class="term-tip" id="tip-rapport" role="tooltip" hidden>A sense of ease ...</div>
// Screen readers get the definition through aria-describedby whether or not
// the tooltip is shown. Without this script the term is a plain link.
// No framework, no inline script, nothing loaded from elsewhere; works from file://.
(function () {
  "use strict";

  var HIDE_DELAY = 400; // ms: time to move the pointer from the term onto its tooltip
  var GAP = 6; // px between the term and its tooltip

  var openLink = null; // the term whose tooltip is showing
  var openTip = null;
  var hideTimer = null;
  var overLink = false;
  var overTip = false;
  var pointerType = "mouse"; // of the last pointerdown
  var openBeforePress = false; // was this term's tooltip already open when the tap began?

  function tipFor(link) {
    var id = link.getAttribute("aria-describedby");
    if (!id) return null;
    var tip = document.getElementById(id);
    return tip && tip.getAttribute("role") === "tooltip" ? tip : null;
  }

  function cancelHide() {
    if (hideTimer !== null) {
      clearTimeout(hideTimer);
      hideTimer = null;
    }
  }

  function hide() {
    cancelHide();
    if (openTip) {
      openTip.hidden = true;
      openTip.classList.remove("is-above");
    }
    if (openLink) openLink.classList.remove("term-open");
    openLink = null;
    openTip = null;
  }

  function hideSoon() {
    cancelHide();
    hideTimer = setTimeout(function () {
      hideTimer = null;
      var focused = document.activeElement;
      var focusInside = openLink && (focused === openLink || (openTip && openTip.contains(focused)));
      if (!overLink && !overTip && !focusInside) hide();
    }, HIDE_DELAY);
  }

  function place(link, tip) {
    var rects = link.getClientRects();
    var r = rects.length ? rects[0] : link.getBoundingClientRect();
    var docEl = document.documentElement;
    var viewWidth = docEl.clientWidth || window.innerWidth;
    var viewHeight = docEl.clientHeight || window.innerHeight;
    tip.classList.remove("is-above");
    tip.style.left = "0px";
    tip.style.top = "0px";
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var left = Math.max(8, Math.min(r.left, viewWidth - width - 8));
    var top = r.bottom + GAP;
    if (top + height > viewHeight && r.top - GAP - height > 0) {
      top = r.top - GAP - height;
      tip.classList.add("is-above");
    }
    tip.style.left = Math.round(left + window.pageXOffset) + "px";
    tip.style.top = Math.round(top + window.pageYOffset) + "px";
  }

  function show(link) {
    var tip = tipFor(link);
    if (!tip) return;
    cancelHide();
    if (openLink === link) return;
    hide();
    openLink = link;
    openTip = tip;
    link.classList.add("term-open");
    tip.hidden = false;
    place(link, tip);
  }

  function termOf(target) {
    return target && target.closest ? target.closest("a.term[aria-describedby]") : null;
  }

  function init() {
    var links = document.querySelectorAll("a.term[aria-describedby]");
    if (!links.length) return;

    // Tooltips live at the end of <body> so no container clips or shifts them.
    var moved = {};
    Array.prototype.forEach.call(links, function (link) {
      var tip = tipFor(link);
      if (!tip || moved[tip.id]) return;
      moved[tip.id] = true;
      document.body.appendChild(tip);
      tip.addEventListener("pointerenter", function () {
        overTip = true;
        cancelHide();
      });
      tip.addEventListener("pointerleave", function (e) {
        overTip = false;
        if (e.pointerType !== "touch") hideSoon();
      });
    });

    // Hover (mouse and pen; touch is handled as a tap below).
    document.addEventListener("pointerover", function (e) {
      var link = termOf(e.target);
      if (!link || e.pointerType === "touch") return;
      overLink = true;
      show(link);
    });
    document.addEventListener("pointerout", function (e) {
      var link = termOf(e.target);
      if (!link || e.pointerType === "touch") return;
      if (e.relatedTarget && link.contains(e.relatedTarget)) return;
      overLink = false;
      if (link === openLink) hideSoon();
    });

    // Keyboard focus.
    document.addEventListener("focusin", function (e) {
      var link = termOf(e.target);
      if (link && pointerType !== "touch") show(link);
    });
    document.addEventListener("focusout", function (e) {
      var link = termOf(e.target);
      if (!link || link !== openLink) return;
      var next = e.relatedTarget;
      if (next && openTip && openTip.contains(next)) return;
      if (!overLink && !overTip) hide();
    });

    // Tap: the first tap on a term shows its definition, a second follows the link.
    document.addEventListener("pointerdown", function (e) {
      pointerType = e.pointerType || "mouse";
      var link = termOf(e.target);
      openBeforePress = !!link && link === openLink;
      if (!link && openTip && !openTip.contains(e.target)) hide();
    }, true);
    document.addEventListener("click", function (e) {
      var link = termOf(e.target);
      if (!link || pointerType !== "touch") return;
      if (!openBeforePress) {
        e.preventDefault();
        show(link);
      }
      openBeforePress = false;
    });

    // Escape dismisses without moving focus or the pointer.
    document.addEventListener("keydown", function (e) {
      if (e.key === "Tab") pointerType = "keyboard";
      if ((e.key === "Escape" || e.key === "Esc") && openTip) {
        hide();
      }
    });

    window.addEventListener("resize", function () {
      if (openLink && openTip) place(openLink, openTip);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
