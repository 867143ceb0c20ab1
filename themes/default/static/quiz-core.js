// Trellis quizzes, the shared part: small DOM helpers, the scores kept on
// this device, one question (its controls, marking and feedback) and a quiz
// form (checking, scoring, announcing). quiz.js runs quiz pages and the list
// of quizzes with it, practice.js the practice exam. Plain JavaScript, no
// framework, no build step, no inline script; works from file://. Without
// JavaScript every question still shows, with its answer and explanation
// inside <details>.
//
// Scores stay in localStorage on this device: per quiz, the best and the last
// attempt, under "trellis-quiz:" + the quiz's key. "Reset my progress" clears them.
(function () {
  "use strict";
  // The theme's words in the page's language (theme.js).
  var T = window.trellisText;

  var PREFIX = "trellis-quiz:";

  // ---------- small helpers ----------

  function $(root, selector) { return root.querySelector(selector); }
  function $$(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }

  function shuffled(list) {
    var a = list.slice();
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }

  function normalize(text) {
    var s = String(text == null ? "" : text);
    if (s.normalize) s = s.normalize("NFC");
    return s.trim().replace(/\s+/g, " ").toLowerCase();
  }

  function sameSet(a, b) {
    if (a.length !== b.length) return false;
    var sorted = b.slice().sort();
    return a.slice().sort().every(function (x, i) { return x === sorted[i]; });
  }

  function percent(score, total) { return total ? Math.round((score / total) * 100) : 0; }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }

  function readData() {
    var block = document.getElementById("quiz-data");
    if (!block) return null;
    try { return JSON.parse(block.textContent); } catch (e) { return null; }
  }

  // Scores under "trellis-quiz:" + a quiz's key, through theme.js's storage
  // helper (which never throws when storage is off or full).
  var storage = window.trellisStorage;
  var store = {
    get: function (key) { return storage.readJson(PREFIX + key); },
    set: function (key, value) { storage.writeJson(PREFIX + key, value); },
    remove: function (key) { storage.forget(PREFIX + key); }
  };

  function record(key, score, total) {
    var p = percent(score, total);
    var saved = store.get(key) || {};
    var last = { score: score, total: total, percent: p, date: new Date().toISOString() };
    var best = saved.best && saved.best.percent >= p ? saved.best : last;
    var value = { best: best, last: last };
    store.set(key, value);
    return value;
  }

  function longDate(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    try {
      return d.toLocaleDateString(document.documentElement.lang || undefined, { day: "numeric", month: "long", year: "numeric" });
    } catch (e) { return d.toDateString(); }
  }

  function progressText(saved) {
    if (!saved || !saved.best) return T("js_not_taken");
    var text = T("js_best_score", { percent: saved.best.percent, score: saved.best.score, total: saved.best.total });
    if (saved.last) {
      var when = longDate(saved.last.date);
      text += " " + T(when ? "js_last_attempt_on" : "js_last_attempt", { percent: saved.last.percent, date: when });
    }
    return text;
  }

  // ---------- one question ----------

  function Question(fieldset, key) {
    this.fieldset = fieldset;
    this.key = key;
    this.kind = key.kind;
    this.result = $(fieldset, ".quiz-result");
    this.details = $(fieldset, ".quiz-answer");
    this.live = $(fieldset, ".quiz-live");
    var self = this;
    if (this.kind === "ordering") {
      $$(fieldset, ".quiz-order-buttons").forEach(function (b) { b.hidden = false; });
      fieldset.addEventListener("click", function (event) {
        var button = event.target.closest ? event.target.closest("button[data-move]") : null;
        if (button && fieldset.contains(button)) self.move(button);
      });
    }
  }

  Question.prototype.items = function () { return $$(this.fieldset, ".quiz-order-item"); };

  Question.prototype.move = function (button) {
    var item = button.closest("li");
    var list = item.parentNode;
    var up = button.getAttribute("data-move") === "up";
    var sibling = up ? item.previousElementSibling : item.nextElementSibling;
    var items;
    if (sibling) {
      if (up) list.insertBefore(item, sibling); else list.insertBefore(sibling, item);
      button.focus();
    }
    items = this.items();
    var position = items.indexOf(item) + 1;
    var text = $(item, ".quiz-order-text").textContent.trim();
    if (this.live) {
      this.live.textContent = sibling
        ? T("js_moved", { item: text, position: position, count: items.length })
        : T(up ? "js_already_first" : "js_already_last", { item: text });
    }
  };

  Question.prototype.shuffleChoices = function () {
    var box = $(this.fieldset, ".quiz-options");
    if (!box) return;
    shuffled($$(box, ".quiz-option")).forEach(function (o) { box.appendChild(o); });
  };

  Question.prototype.shuffleItems = function () {
    var list = $(this.fieldset, ".quiz-order");
    if (!list) return;
    var items = this.items();
    var right = this.key.order || [];
    var order;
    for (var tries = 0; tries < 10; tries++) {
      order = shuffled(items);
      if (items.length < 2 || order.map(function (i) { return i.getAttribute("data-item"); }).join() !== right.join()) break;
    }
    if (order.length > 1 && order.map(function (i) { return i.getAttribute("data-item"); }).join() === right.join()) {
      order.push(order.shift());
    }
    order.forEach(function (i) { list.appendChild(i); });
  };

  Question.prototype.reset = function (shuffleChoices) {
    $$(this.fieldset, "input[type=radio], input[type=checkbox]").forEach(function (i) { i.checked = false; });
    $$(this.fieldset, "input[type=text]").forEach(function (i) { i.value = ""; });
    $$(this.fieldset, "select").forEach(function (s) { s.value = ""; });
    if (this.kind === "ordering") this.shuffleItems();
    // A question with `shuffle: false` keeps its order (choices with a natural order).
    if (shuffleChoices && !this.key.fixed && (this.kind === "single" || this.kind === "multiple")) this.shuffleChoices();
    this.fieldset.disabled = false;
    this.fieldset.removeAttribute("data-result");
    this.result.hidden = true;
    this.result.textContent = "";
    if (this.live) this.live.textContent = "";
    if (this.details) { this.details.open = false; this.details.hidden = true; }
  };

  Question.prototype.response = function () {
    var f = this.fieldset;
    switch (this.kind) {
      case "single":
      case "true-false":
        var picked = $(f, "input[type=radio]:checked");
        return picked ? [picked.value] : [];
      case "multiple":
        return $$(f, "input[type=checkbox]:checked").map(function (i) { return i.value; });
      case "short-answer":
        var input = $(f, "input[type=text]");
        return input ? input.value : "";
      case "ordering":
        return this.items().map(function (i) { return i.getAttribute("data-item"); });
      case "matching":
        var map = {};
        $$(f, "select[data-left]").forEach(function (s) { map[s.getAttribute("data-left")] = s.value; });
        return map;
    }
    return null;
  };

  // Marks the question and writes its result; returns true when right.
  Question.prototype.mark = function () {
    var key = this.key;
    var answer = this.response();
    var right = false;
    var answered = true;
    var lines = [];
    var feedback = [];
    var self = this;
    var feedbackFor = function (choice) {
      var node = $(self.fieldset, ".quiz-feedback-list li[data-choice='" + choice + "'] .quiz-feedback");
      return node ? node.cloneNode(true) : null;
    };
    switch (this.kind) {
      case "single":
      case "true-false":
        answered = answer.length > 0;
        right = answered && answer[0] === (key.correct || [])[0];
        if (answered && !right) {
          var fb = feedbackFor(answer[0]);
          if (fb) feedback.push(fb);
        }
        break;
      case "multiple":
        var correct = key.correct || [];
        answered = answer.length > 0;
        right = sameSet(answer, correct);
        if (answered && !right) {
          var hits = answer.filter(function (a) { return correct.indexOf(a) >= 0; }).length;
          var wrong = answer.length - hits;
          lines.push(T("js_picked", { n: correct.length, hits: hits }) + (wrong ? " " + T("js_picked_wrong", { n: wrong }) : ""));
          answer.forEach(function (a) {
            if (correct.indexOf(a) < 0) {
              var fb2 = feedbackFor(a);
              if (fb2) feedback.push(fb2);
            }
          });
        }
        break;
      case "short-answer":
        answered = normalize(answer) !== "";
        right = answered && (key.accept || []).some(function (a) { return normalize(a) === normalize(answer); });
        if (answered && !right) lines.push(T("js_your_answer", { answer: String(answer).trim() }));
        break;
      case "ordering":
        var order = key.order || [];
        var placed = answer.filter(function (id, i) { return order[i] === id; }).length;
        right = placed === order.length;
        if (!right) lines.push(T("js_placed", { n: order.length, placed: placed }));
        break;
      case "matching":
        var pairs = key.pairs || {};
        var lefts = Object.keys(pairs);
        var matched = lefts.filter(function (l) { return answer[l] === pairs[l]; }).length;
        answered = lefts.some(function (l) { return answer[l]; });
        right = matched === lefts.length;
        if (answered && !right) lines.push(T("js_matched", { n: lefts.length, matched: matched }));
        break;
    }
    this.show(right, answered, lines, feedback);
    return right;
  };

  Question.prototype.show = function (right, answered, lines, feedback) {
    var box = this.result;
    box.textContent = "";
    var verdict = el("p", "quiz-verdict");
    verdict.appendChild(el("span", "quiz-icon", right ? "✓" : "✗")).setAttribute("aria-hidden", "true");
    verdict.appendChild(document.createTextNode(" "));
    verdict.appendChild(el("strong", null, T(right ? "js_correct" : answered ? "js_incorrect" : "js_not_answered")));
    box.appendChild(verdict);
    lines.forEach(function (line) { box.appendChild(el("p", null, line)); });
    feedback.forEach(function (node) {
      var p = el("p", "quiz-choice-feedback");
      p.appendChild(node);
      box.appendChild(p);
    });
    if (this.details) {
      ["quiz-explanation", "quiz-review"].forEach(function (name) {
        var part = $(this.details, "." + name);
        if (part) box.appendChild(part.cloneNode(true));
      }, this);
      this.details.hidden = false;
    }
    this.fieldset.setAttribute("data-result", right ? "right" : "wrong");
    box.hidden = false;
    this.fieldset.disabled = true;
  };

  // ---------- a quiz form: used by quiz pages and the practice exam ----------

  function Quiz(root, data) {
    this.root = root;
    this.data = data;
    this.form = $(root, ".quiz-form");
    this.status = $(root, ".quiz-status");
    this.check = $(root, ".quiz-check");
    this.retry = $(root, ".quiz-retry");
    var byId = {};
    (data.questions || []).forEach(function (k) { byId[k.id] = k; });
    this.all = $$(this.form, "fieldset.quiz-question")
      .filter(function (f) { return byId[f.id]; })
      .map(function (f) { return new Question(f, byId[f.id]); });
    this.active = this.all.slice();
    $$(root, ".quiz-nojs").forEach(function (n) { n.hidden = true; });
  }

  Quiz.prototype.arrange = function (shuffleOrder) {
    var actions = $(this.form, ".quiz-actions");
    var list = shuffleOrder ? shuffled(this.active) : this.active;
    var form = this.form;
    list.forEach(function (q, i) {
      form.insertBefore(q.fieldset, actions);
      var number = $(q.fieldset, ".quiz-number");
      if (number) number.textContent = (i + 1) + ".";
    });
    this.active = list;
  };

  Quiz.prototype.start = function (shuffle) {
    this.active.forEach(function (q) { q.reset(shuffle); });
    this.arrange(shuffle);
    this.checked = false;
    this.check.hidden = false;
    this.retry.hidden = true;
  };

  Quiz.prototype.mark = function () {
    var results = this.active.map(function (q) { return { question: q, right: q.mark() }; });
    var score = results.filter(function (r) { return r.right; }).length;
    this.checked = true;
    this.check.hidden = true;
    this.retry.hidden = false;
    return { score: score, total: results.length, results: results };
  };

  Quiz.prototype.announce = function (outcome, saved) {
    var status = this.status;
    var p = percent(outcome.score, outcome.total);
    var mark = this.data.passMark;
    status.textContent = "";
    status.appendChild(el("p", "quiz-score", T("js_scored", { score: outcome.score, total: outcome.total, percent: p })));
    status.appendChild(el("p", "quiz-verdict-all", p >= mark
      ? T("js_passed", { mark: mark })
      : T("js_not_passed", { mark: mark })));
    if (saved && saved.best) {
      status.appendChild(el("p", null, T("js_best_percent", { percent: saved.best.percent })));
    }
    var wrong = outcome.results.filter(function (r) { return !r.right; });
    if (wrong.length) {
      var line = el("p", "quiz-review-links", T("js_to_review") + " ");
      wrong.forEach(function (r, i) {
        var a = el("a", null, T("js_question_link", { n: $(r.question.fieldset, ".quiz-number").textContent.replace(".", "") }));
        a.href = "#" + r.question.fieldset.id;
        if (i) line.appendChild(document.createTextNode(", "));
        line.appendChild(a);
      });
      status.appendChild(line);
    }
    status.setAttribute("data-result", p >= mark ? "pass" : "fail");
    status.focus();
  };

  window.trellisQuiz = {
    "$": $,
    "$$": $$,
    shuffled: shuffled,
    normalize: normalize,
    sameSet: sameSet,
    percent: percent,
    el: el,
    readData: readData,
    store: store,
    record: record,
    longDate: longDate,
    progressText: progressText,
    Question: Question,
    Quiz: Quiz
  };
})();
