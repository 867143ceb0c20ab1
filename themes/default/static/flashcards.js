// Trellis flashcards: one card at a time from the glossary, term on the front,
// definition on the back. Keyboard operable (native buttons, plus the arrow
// keys while focus is in the cards), shuffle, and a "knew it / review again" tally kept in
// localStorage on this device. Without JavaScript the page is a plain list of
// terms and definitions. No framework, no inline script; works from file://.
(function () {
  "use strict";
  // The theme's words in the page's language (theme.js).
  var T = window.trellisText;

  function init() {
    var root = document.querySelector("[data-flashcards]");
    if (!root) return;
    var app = root.querySelector(".fc-app");
    var list = root.querySelector(".fc-list");
    if (!app || !list) return;

    var items = Array.prototype.slice.call(list.querySelectorAll(".fc-item"));
    var cards = items.map(function (item) {
      var dt = item.querySelector("dt");
      var dd = item.querySelector("dd");
      return {
        slug: item.getAttribute("data-slug") || "",
        term: dt ? dt.textContent.trim() : "",
        definition: dd
      };
    }).filter(function (c) { return c.slug && c.definition; });
    if (!cards.length) return;

    var el = function (selector) { return app.querySelector(selector); };
    var termEl = el(".fc-term");
    var defEl = el(".fc-definition");
    var cardEl = el(".fc-card");
    var flipButton = el(".fc-flip");
    var positionEl = el(".fc-position");
    var statusEl = el(".fc-status");
    var onlyReview = el("[data-fc='only-review']");
    var emptyEl = el(".fc-empty");

    var KEY = "trellis-flashcards:" + location.pathname.replace(/index\.html$/, "");
    var tally = load();
    var deck = cards.slice();
    var index = 0;
    var flipped = false;

    // Through theme.js's storage helper: without storage the tally lasts this visit.
    function load() { return window.trellisStorage.readJson(KEY) || {}; }
    function save() { window.trellisStorage.writeJson(KEY, tally); }

    function counts() {
      var known = 0, review = 0;
      cards.forEach(function (c) {
        if (tally[c.slug] === "known") known += 1;
        else if (tally[c.slug] === "review") review += 1;
      });
      return { known: known, review: review, unseen: cards.length - known - review };
    }

    function renderTally() {
      var n = counts();
      Array.prototype.forEach.call(app.querySelectorAll("[data-fc-count]"), function (node) {
        node.textContent = String(n[node.getAttribute("data-fc-count")] || 0);
      });
    }

    function setFlipped(value) {
      flipped = value;
      defEl.hidden = !value;
      cardEl.classList.toggle("is-flipped", value);
      flipButton.setAttribute("aria-expanded", value ? "true" : "false");
      flipButton.textContent = T(value ? "flashcards_hide" : "flashcards_show");
    }

    function render() {
      var card = deck[index];
      var hasCard = !!card;
      cardEl.hidden = !hasCard;
      emptyEl.hidden = hasCard;
      Array.prototype.forEach.call(app.querySelectorAll(".fc-needs-card"), function (b) {
        b.disabled = !hasCard;
      });
      if (!hasCard) {
        positionEl.textContent = T("js_no_cards");
        renderTally();
        return;
      }
      termEl.textContent = card.term;
      while (defEl.firstChild) defEl.removeChild(defEl.firstChild);
      Array.prototype.forEach.call(card.definition.childNodes, function (node) {
        defEl.appendChild(node.cloneNode(true));
      });
      var mark = tally[card.slug];
      cardEl.setAttribute("data-mark", mark || "none");
      positionEl.textContent = T("js_card_position", { index: index + 1, count: deck.length }) +
        (mark === "known" ? T("js_card_known") : mark === "review" ? T("js_card_to_review") : "");
      setFlipped(false);
      renderTally();
    }

    function announce(text) {
      statusEl.textContent = "";
      // A fresh text node so screen readers announce repeats too.
      setTimeout(function () { statusEl.textContent = text; }, 30);
    }

    function go(step) {
      if (!deck.length) return;
      index = (index + step + deck.length) % deck.length;
      render();
      announce(positionEl.textContent + ": " + deck[index].term);
    }

    function mark(value) {
      var card = deck[index];
      if (!card) return;
      tally[card.slug] = value;
      save();
      var n = counts();
      var said = T(value === "known" ? "js_marked_known" : "js_marked_review",
        { known: n.known, review: n.review, unseen: n.unseen });
      if (onlyReview.checked && value === "known") {
        deck.splice(index, 1);
        if (index >= deck.length) index = 0;
        render();
      } else {
        index = (index + 1) % deck.length;
        render();
      }
      announce(said + (deck[index] ? " " + T("js_next_card", { term: deck[index].term }) : ""));
    }

    function shuffle() {
      for (var i = deck.length - 1; i > 0; i -= 1) {
        var j = Math.floor(Math.random() * (i + 1));
        var t = deck[i];
        deck[i] = deck[j];
        deck[j] = t;
      }
      index = 0;
      render();
      announce(T("js_shuffled") + (deck[0] ? " " + T("js_first_card", { term: deck[0].term }) : ""));
    }

    function rebuild() {
      deck = onlyReview.checked
        ? cards.filter(function (c) { return tally[c.slug] === "review"; })
        : cards.slice();
      index = 0;
      render();
      announce(T("js_deck_size", { n: deck.length }));
    }

    app.addEventListener("click", function (e) {
      var target = e.target.closest ? e.target.closest("[data-fc]") : null;
      var action = target ? target.getAttribute("data-fc") : null;
      if (action === "flip") setFlipped(!flipped);
      else if (action === "prev") go(-1);
      else if (action === "next") go(1);
      else if (action === "known") mark("known");
      else if (action === "review") mark("review");
      else if (action === "shuffle") shuffle();
      else if (action === "reset") {
        tally = {};
        save();
        rebuild();
        announce(T("js_tally_cleared"));
      } else if (!target && cardEl.contains(e.target) && !(e.target.closest && e.target.closest("a"))) {
        // Clicking the card itself turns it over (the button does the same for keyboards).
        setFlipped(!flipped);
      }
    });
    onlyReview.addEventListener("change", rebuild);

    app.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.target && (e.target.tagName === "INPUT" || e.target.tagName === "TEXTAREA")) return;
      // Written right to left, the arrow pointing the way the page reads
      // (left) is the next card.
      var rtl = document.documentElement.dir === "rtl";
      var key = e.key;
      if (key === (rtl ? "ArrowLeft" : "ArrowRight")) go(1);
      else if (key === (rtl ? "ArrowRight" : "ArrowLeft")) go(-1);
      else return;
      e.preventDefault();
    });

    list.hidden = true;
    app.hidden = false;
    render();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
