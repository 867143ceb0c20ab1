// Trellis quizzes: marks quiz pages, runs the practice exam and shows best
// scores on the list of quizzes. Plain JavaScript, no framework, no build step,
// no inline script; works from file:// (the answer key is a JSON block in the
// page, not a fetched file). Without JavaScript every question still shows,
// with its answer and explanation inside <details>.
//
// A handbook with more questions than the practice page embeds has its whole
// question bank in script files beside that page (bank-<n>.js, named in the
// page's data): an exam loads one or more of them with <script src>, which
// works from file:// and under a strict Content-Security-Policy, where fetch
// or eval would not, and builds the questions it draws from their data.
//
// Scores stay in localStorage on this device: per quiz, the best and the last
// attempt, under "trellis-quiz:" + the quiz's key. "Reset my progress" clears them.
(function () {
  "use strict";

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

  // Adds HTML that Trellis rendered at build time (quiz text as inline
  // markdown, any raw HTML in it escaped) to `parent`. A <template> parses it
  // inert: nothing in it runs or loads while it is parsed.
  function appendHtml(parent, html) {
    var t = document.createElement("template");
    t.innerHTML = html == null ? "" : String(html);
    parent.appendChild(t.content);
    return parent;
  }

  function readData() {
    var block = document.getElementById("quiz-data");
    if (!block) return null;
    try { return JSON.parse(block.textContent); } catch (e) { return null; }
  }

  var store = {
    get: function (key) {
      try {
        var v = JSON.parse(localStorage.getItem(PREFIX + key) || "null");
        return v && typeof v === "object" ? v : null;
      } catch (e) { return null; }
    },
    set: function (key, value) {
      try { localStorage.setItem(PREFIX + key, JSON.stringify(value)); } catch (e) { /* private mode: kept for this visit only */ }
    },
    remove: function (key) {
      try { localStorage.removeItem(PREFIX + key); } catch (e) { /* nothing stored */ }
    }
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
    if (!saved || !saved.best) return "You have not taken this quiz on this device yet.";
    var text = "Your best score: " + saved.best.percent + "% (" + saved.best.score + " of " + saved.best.total + ").";
    if (saved.last) {
      var when = longDate(saved.last.date);
      text += " Last attempt: " + saved.last.percent + "%" + (when ? " on " + when : "") + ".";
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
        ? "“" + text + "” moved to position " + position + " of " + items.length + "."
        : "“" + text + "” is already " + (up ? "first." : "last.");
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
          lines.push("You picked " + hits + " of the " + correct.length + " right answers" +
            (wrong ? " and " + wrong + " wrong one" + (wrong > 1 ? "s" : "") : "") + ".");
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
        if (answered && !right) lines.push("Your answer: “" + String(answer).trim() + "”.");
        break;
      case "ordering":
        var order = key.order || [];
        var placed = answer.filter(function (id, i) { return order[i] === id; }).length;
        right = placed === order.length;
        if (!right) lines.push(placed + " of " + order.length + " items are in the right place.");
        break;
      case "matching":
        var pairs = key.pairs || {};
        var lefts = Object.keys(pairs);
        var matched = lefts.filter(function (l) { return answer[l] === pairs[l]; }).length;
        answered = lefts.some(function (l) { return answer[l]; });
        right = matched === lefts.length;
        if (answered && !right) lines.push(matched + " of " + lefts.length + " matches are right.");
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
    verdict.appendChild(el("strong", null, right ? "Correct." : answered ? "Incorrect." : "Not answered."));
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
    status.appendChild(el("p", "quiz-score", "You scored " + outcome.score + " out of " + outcome.total + " (" + p + "%)."));
    status.appendChild(el("p", "quiz-verdict-all", p >= mark
      ? "You passed: the pass mark is " + mark + "%."
      : "Not passed yet: the pass mark is " + mark + "%. Read the feedback under each question, then try again."));
    if (saved && saved.best) {
      status.appendChild(el("p", null, "Your best score: " + saved.best.percent + "%."));
    }
    var wrong = outcome.results.filter(function (r) { return !r.right; });
    if (wrong.length) {
      var line = el("p", "quiz-review-links", "To review: ");
      wrong.forEach(function (r, i) {
        var a = el("a", null, "question " + $(r.question.fieldset, ".quiz-number").textContent.replace(".", ""));
        a.href = "#" + r.question.fieldset.id;
        if (i) line.appendChild(document.createTextNode(", "));
        line.appendChild(a);
      });
      status.appendChild(line);
    }
    status.setAttribute("data-result", p >= mark ? "pass" : "fail");
    status.focus();
  };

  // ---------- quiz page ----------

  function quizPage(root, data) {
    var quiz = new Quiz(root, data);
    var progress = $(root, ".quiz-progress");
    var progressLine = $(root, ".quiz-progress-text");
    function showProgress() {
      if (!progress) return;
      progressLine.textContent = progressText(store.get(data.key));
      progress.hidden = false;
    }
    quiz.start(data.shuffle);
    showProgress();
    quiz.form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (quiz.checked) return;
      var outcome = quiz.mark();
      var saved = record(data.key, outcome.score, outcome.total);
      showProgress();
      quiz.announce(outcome, saved);
    });
    quiz.retry.addEventListener("click", function () {
      quiz.start(data.shuffle);
      quiz.status.textContent = "";
      quiz.status.removeAttribute("data-result");
      quiz.status.appendChild(el("p", null, data.shuffle
        ? "Your answers were cleared and the questions reshuffled. Good luck."
        : "Your answers were cleared. Good luck."));
      var first = $(quiz.form, "fieldset.quiz-question input, fieldset.quiz-question select, fieldset.quiz-question button");
      if (first) first.focus();
    });
    var reset = $(root, ".quiz-reset");
    if (reset) {
      reset.addEventListener("click", function () {
        store.remove(data.key);
        showProgress();
        quiz.status.textContent = "Your progress on this quiz was cleared.";
      });
    }
  }

  // ---------- practice exam: the question bank files ----------

  // How long a bank file may take before the exam falls back to the page's questions.
  var BANK_TIMEOUT_MS = 20000;

  function validBank(bank) {
    return !!bank && Array.isArray(bank.questions) && Array.isArray(bank.sources);
  }

  // Loads bank file `name` (relative to the page) once; `done` gets its data,
  // or null when it cannot be loaded.
  function loadBank(name, done) {
    var banks = window.trellisPracticeBanks;
    if (banks && validBank(banks[name])) { done(banks[name]); return; }
    var script = document.createElement("script");
    var finished = false;
    var timer = setTimeout(finish, BANK_TIMEOUT_MS);
    function finish() {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      script.onload = script.onerror = null;
      if (script.parentNode) script.parentNode.removeChild(script);
      var bank = window.trellisPracticeBanks && window.trellisPracticeBanks[name];
      done(validBank(bank) ? bank : null);
    }
    script.onload = finish;
    script.onerror = finish;
    script.src = name;
    document.head.appendChild(script);
  }

  // The element a theme's quiz_question.html printed for a bank question
  // (its first element: the template prints one, as the default's fieldset).
  function themedQuestion(html) {
    var t = document.createElement("template");
    t.innerHTML = String(html);
    return t.content.firstElementChild;
  }

  // The fieldset quiz_question.html prints, built from a bank question (the
  // bank holds what that template prints: the same classes, ids and text).
  function buildQuestion(q, source) {
    var id = q.id;
    var f = el("fieldset", "quiz-question");
    f.id = id;
    f.setAttribute("data-kind", q.kind);
    f.setAttribute("aria-describedby", id + "-hint");
    var legend = el("legend");
    legend.appendChild(el("span", "quiz-number", q.number + "."));
    legend.appendChild(document.createTextNode(" "));
    f.appendChild(appendHtml(legend, q.prompt));
    var hint = el("p", "quiz-hint", q.hint);
    hint.id = id + "-hint";
    f.appendChild(hint);
    var options = q.options || [];
    var textOf = function (o) { return o.text != null ? o.text : o.html; };
    var space = function () { return document.createTextNode(" "); };
    if (q.kind === "single" || q.kind === "true-false" || q.kind === "multiple") {
      var box = el("div", "quiz-options");
      options.forEach(function (o) {
        var row = el("div", "quiz-option");
        var input = el("input");
        input.type = q.kind === "multiple" ? "checkbox" : "radio";
        input.name = id;
        input.id = id + "-" + o.id;
        input.value = o.id;
        var label = el("label");
        label.htmlFor = input.id;
        row.appendChild(input);
        row.appendChild(space());
        row.appendChild(appendHtml(label, o.html));
        box.appendChild(row);
      });
      f.appendChild(box);
    } else if (q.kind === "short-answer") {
      var line = el("p", "quiz-text");
      var answerLabel = el("label", null, "Your answer");
      answerLabel.htmlFor = id + "-answer";
      var text = el("input");
      text.type = "text";
      text.id = id + "-answer";
      text.name = id;
      text.setAttribute("autocomplete", "off");
      text.setAttribute("autocapitalize", "off");
      text.setAttribute("spellcheck", "false");
      line.appendChild(answerLabel);
      line.appendChild(space());
      line.appendChild(text);
      f.appendChild(line);
    } else if (q.kind === "ordering") {
      var list = el("ol", "quiz-order");
      options.forEach(function (o) {
        var item = el("li", "quiz-order-item");
        item.setAttribute("data-item", o.id);
        item.appendChild(appendHtml(el("span", "quiz-order-text"), o.html));
        item.appendChild(space());
        var buttons = el("span", "quiz-order-buttons");
        buttons.hidden = true;
        [["up", "Move up"], ["down", "Move down"]].forEach(function (m, i) {
          var b = el("button", null, m[1]);
          b.type = "button";
          b.setAttribute("data-move", m[0]);
          b.setAttribute("aria-label", m[1] + ": " + textOf(o));
          if (i) buttons.appendChild(space());
          buttons.appendChild(b);
        });
        item.appendChild(buttons);
        list.appendChild(item);
      });
      f.appendChild(list);
      var live = el("p", "quiz-live visually-hidden");
      live.setAttribute("aria-live", "polite");
      f.appendChild(live);
    } else if (q.kind === "matching") {
      var matches = el("div", "quiz-matches");
      (q.lefts || []).forEach(function (l) {
        var row = el("div", "quiz-match");
        var label = el("label");
        label.htmlFor = id + "-" + l.id;
        var select = el("select");
        select.id = select.name = id + "-" + l.id;
        select.setAttribute("data-left", l.id);
        var none = el("option", null, "Choose…");
        none.value = "";
        select.appendChild(none);
        options.forEach(function (o) {
          var option = el("option", null, textOf(o));
          option.value = o.id;
          select.appendChild(option);
        });
        row.appendChild(appendHtml(label, l.html));
        row.appendChild(space());
        row.appendChild(select);
        matches.appendChild(row);
      });
      f.appendChild(matches);
    }
    var result = el("div", "quiz-result");
    result.hidden = true;
    f.appendChild(result);
    var details = el("details", "quiz-answer");
    details.appendChild(el("summary", null, "Show the answer"));
    var key = el("div", "quiz-key");
    key.appendChild(el("strong", null, "Answer:"));
    key.appendChild(space());
    details.appendChild(appendHtml(key, q.answer));
    var withFeedback = options.filter(function (o) { return o.feedback; });
    if (withFeedback.length) {
      var feedback = el("ul", "quiz-feedback-list");
      withFeedback.forEach(function (o) {
        var li = el("li");
        li.setAttribute("data-choice", o.id);
        var strong = appendHtml(el("strong"), o.html);
        strong.appendChild(document.createTextNode(":"));
        li.appendChild(strong);
        li.appendChild(space());
        li.appendChild(appendHtml(el("span", "quiz-feedback"), o.feedback));
        feedback.appendChild(li);
      });
      details.appendChild(feedback);
    }
    if (q.explanation) details.appendChild(appendHtml(el("p", "quiz-explanation"), q.explanation));
    if (source) {
      var from = el("p", "quiz-source", "From: ");
      var link = el("a", null, source.title);
      link.href = source.url;
      from.appendChild(link);
      details.appendChild(from);
    }
    if (q.review) {
      var review = el("p", "quiz-review");
      var more = el("a", null, "Read more about this");
      more.href = q.review;
      review.appendChild(more);
      details.appendChild(review);
    }
    f.appendChild(details);
    return f;
  }

  // The practice exam's questions: those on the page and, when the page
  // names bank files, those of the banks loaded so far.
  function QuestionBank(quiz, data) {
    var self = this;
    this.quiz = quiz;
    this.names = data.banks || [];
    // The page's sources come first; bank sources join them, once each.
    this.sources = data.sources = data.sources || [];
    this.sourceIndex = Object.create(null);
    this.sources.forEach(function (s, i) { self.sourceIndex[s.url + "\n" + s.title] = i; });
    this.onPage = Object.create(null);
    quiz.all.forEach(function (q) { self.onPage[q.fieldset.id] = q; });
    this.built = Object.create(null);
    this.keys = Object.create(null);
    // Exams take the banks in this order, so attempts go through all of them.
    this.order = shuffled(this.names);
    this.next = 0;
  }

  // Answer keys of bank `name`, their sources made indexes into this.sources.
  QuestionBank.prototype.keysOf = function (name, bank) {
    if (this.keys[name]) return this.keys[name];
    var self = this;
    var local = bank.sources.map(function (s) {
      var id = s.url + "\n" + s.title;
      if (!(id in self.sourceIndex)) {
        self.sourceIndex[id] = self.sources.length;
        self.sources.push({ title: String(s.title), url: String(s.url) });
      }
      return self.sourceIndex[id];
    });
    var keys = bank.questions.filter(function (q) {
      return q && typeof q.id === "string" && typeof q.kind === "string" && local[q.source] != null;
    }).map(function (q) {
      var key = {};
      Object.keys(q).forEach(function (k) { key[k] = q[k]; });
      key.source = local[q.source];
      return key;
    });
    this.keys[name] = keys;
    return keys;
  };

  // Loads the next banks until they hold `n` questions (or all are loaded);
  // `done(keys, failed)` gets their answer keys, or failed = true when a
  // file could not be loaded.
  QuestionBank.prototype.gather = function (n, done) {
    var self = this;
    var pool = [];
    var seen = Object.create(null);
    var tried = 0;
    function step() {
      if (pool.length >= n || tried >= self.order.length) { done(pool, false); return; }
      var name = self.order[self.next % self.order.length];
      self.next += 1;
      tried += 1;
      loadBank(name, function (bank) {
        if (!bank) { done(pool, true); return; }
        self.keysOf(name, bank).forEach(function (k) {
          if (!seen[k.id]) { seen[k.id] = true; pool.push(k); }
        });
        step();
      });
    }
    step();
  };

  // The question for an answer key: the page's own fieldset when the page has
  // it, else the one the theme's quiz_question.html printed into the bank
  // (`html`, there when the theme replaced the default's), else one built
  // from the bank's data in the default's markup.
  QuestionBank.prototype.question = function (key) {
    if (this.onPage[key.id]) return this.onPage[key.id];
    if (this.built[key.id]) return this.built[key.id];
    var form = this.quiz.form;
    var fieldset = key.html ? themedQuestion(key.html) : null;
    if (!fieldset) fieldset = buildQuestion(key, this.sources[key.source]);
    fieldset.hidden = true;
    form.insertBefore(fieldset, $(form, ".quiz-actions"));
    var q = new Question(fieldset, key);
    this.built[key.id] = q;
    return q;
  };

  // Removes the built fieldsets an exam does not use, so the page does not
  // grow with every attempt.
  QuestionBank.prototype.keepOnly = function (questions) {
    var built = this.built;
    Object.keys(built).forEach(function (id) {
      var q = built[id];
      if (questions.indexOf(q) < 0) {
        if (q.fieldset.parentNode) q.fieldset.parentNode.removeChild(q.fieldset);
        delete built[id];
      }
    });
  };

  // ---------- practice exam ----------

  function practicePage(root, data) {
    var quiz = new Quiz(root, data);
    var bank = new QuestionBank(quiz, data);
    var setup = $(root, ".practice-setup");
    var countInput = $(root, "#practice-count");
    var timedInput = $(root, "#practice-timed");
    var minutesInput = $(root, "#practice-minutes");
    var loadingNote = $(root, ".practice-loading");
    var title = $(root, "#practice-form-title");
    var results = $(root, ".practice-results");
    var newExam = $(root, ".practice-new");
    var timer = new Timer(root, function (message) { say(message); }, function () {
      if (!quiz.checked) finish("Time is up. Your answers have been checked.");
    });
    var minutes = 0;
    var loading = false;

    function say(message) {
      quiz.status.textContent = "";
      quiz.status.removeAttribute("data-result");
      quiz.status.appendChild(el("p", null, message));
    }

    function note(message) {
      if (loadingNote) loadingNote.textContent = message;
    }

    function showSetup() {
      timer.stop();
      quiz.form.hidden = true;
      results.hidden = true;
      newExam.hidden = true;
      setup.hidden = false;
    }

    function begin(questions) {
      $$(quiz.form, "fieldset.quiz-question").forEach(function (f) { f.hidden = true; f.disabled = true; });
      bank.keepOnly(questions);
      quiz.active = questions;
      questions.forEach(function (q) { q.fieldset.hidden = false; });
      quiz.start(true);
      title.textContent = "Your practice exam: " + questions.length + " question" + (questions.length === 1 ? "" : "s");
      quiz.status.textContent = "";
      results.hidden = true;
      newExam.hidden = true;
      setup.hidden = true;
      quiz.form.hidden = false;
      if (minutes > 0) timer.start(minutes * 60); else timer.stop();
      title.focus();
    }

    // Draws `n` questions: from bank files when the page names any (falling
    // back to the page's own questions if one cannot be loaded), else from
    // the page, which then holds every question.
    function draw(n) {
      if (!bank.names.length) {
        begin(shuffled(quiz.all).slice(0, n));
        return;
      }
      loading = true;
      note("Loading questions from the whole handbook…");
      bank.gather(n, function (keys, failed) {
        loading = false;
        note("");
        if (failed || !keys.length) {
          begin(shuffled(quiz.all).slice(0, n));
          say("The rest of the question bank could not be loaded, so this exam is drawn from the " +
            quiz.all.length + " questions on this page. Starting a new exam tries again.");
          return;
        }
        begin(shuffled(keys).slice(0, n).map(function (k) { return bank.question(k); }));
      });
    }

    function finish(prefix) {
      timer.stop();
      var outcome = quiz.mark();
      var saved = record(data.key, outcome.score, outcome.total);
      quiz.announce(outcome, saved);
      if (prefix) quiz.status.insertBefore(el("p", null, prefix), quiz.status.firstChild);
      showResults(outcome);
      newExam.hidden = false;
    }

    function showResults(outcome) {
      var body = $(results, "tbody");
      body.textContent = "";
      var sources = bank.sources;
      var rows = {};
      var order = [];
      outcome.results.forEach(function (r) {
        var s = r.question.key.source;
        if (!rows[s]) { rows[s] = { right: 0, total: 0, review: [] }; order.push(s); }
        rows[s].total += 1;
        if (r.right) rows[s].right += 1;
        else rows[s].review.push(r.question);
      });
      order.sort(function (a, b) { return a - b; });
      order.forEach(function (s) {
        var row = rows[s];
        var source = sources[s] || { title: "Quiz", url: "" };
        var tr = document.createElement("tr");
        var th = el("th");
        th.scope = "row";
        var link = el("a", null, source.title);
        link.href = source.url;
        th.appendChild(link);
        tr.appendChild(th);
        tr.appendChild(el("td", null, row.right + " of " + row.total));
        var td = el("td");
        if (!row.review.length) td.textContent = "All right";
        row.review.forEach(function (q, i) {
          var a = el("a", null, "Question " + $(q.fieldset, ".quiz-number").textContent.replace(".", ""));
          a.href = "#" + q.fieldset.id;
          if (i) td.appendChild(document.createTextNode(", "));
          td.appendChild(a);
          var review = $(q.fieldset, ".quiz-answer .quiz-review a");
          if (review) {
            td.appendChild(document.createTextNode(" ("));
            var more = el("a", null, "read more");
            more.href = review.getAttribute("href");
            td.appendChild(more);
            td.appendChild(document.createTextNode(")"));
          }
        });
        tr.appendChild(td);
        body.appendChild(tr);
      });
      results.hidden = false;
    }

    $$(root, ".quiz-nojs").forEach(function (n) { n.hidden = true; });
    quiz.all.forEach(function (q) { q.reset(false); });
    showSetup();

    setup.addEventListener("submit", function (event) {
      event.preventDefault();
      if (loading) return;
      // The page embeds as many questions as an exam may have.
      var total = quiz.all.length;
      var n = parseInt(countInput.value, 10);
      if (!(n >= 1)) n = Math.min(20, total);
      n = Math.min(Math.max(n, 1), total);
      countInput.value = n;
      minutes = 0;
      if (timedInput.checked) {
        var m = parseInt(minutesInput.value, 10);
        minutes = m >= 1 ? Math.min(m, 600) : n;
        minutesInput.value = minutes;
      }
      draw(n);
    });
    quiz.form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!quiz.checked) finish("");
    });
    quiz.retry.addEventListener("click", function () { begin(quiz.active); });
    newExam.addEventListener("click", function () {
      showSetup();
      countInput.focus();
    });
  }

  // A countdown that can be paused, extended and turned off (WCAG 2.2.1).
  function Timer(root, say, done) {
    this.panel = $(root, ".practice-timer");
    this.clock = $(root, ".practice-clock");
    this.pausedNote = $(root, ".practice-paused");
    this.pauseButton = $(root, ".practice-pause");
    this.say = say;
    this.done = done;
    this.left = 0;
    this.running = false;
    this.handle = null;
    var self = this;
    this.pauseButton.addEventListener("click", function () {
      if (self.running) {
        self.running = false;
        self.say("Timer paused. " + self.words() + " left.");
      } else {
        self.running = true;
        self.say("Timer running again. " + self.words() + " left.");
      }
      self.render();
    });
    $(root, ".practice-extend").addEventListener("click", function () {
      self.left += 300;
      self.warned = {};
      self.render();
      self.say("5 minutes added. " + self.words() + " left.");
    });
    $(root, ".practice-stop").addEventListener("click", function () {
      self.stop();
      self.say("Timer turned off. Take as long as you need.");
      var title = $(root, "#practice-form-title");
      if (title) title.focus();
    });
  }

  Timer.prototype.start = function (seconds) {
    this.stop();
    this.left = seconds;
    this.running = true;
    this.warned = {};
    this.panel.hidden = false;
    var self = this;
    this.handle = setInterval(function () { self.tick(); }, 1000);
    this.render();
  };

  Timer.prototype.stop = function () {
    if (this.handle) clearInterval(this.handle);
    this.handle = null;
    this.running = false;
    this.panel.hidden = true;
  };

  Timer.prototype.tick = function () {
    if (!this.running) return;
    this.left = Math.max(0, this.left - 1);
    this.render();
    var self = this;
    [[300, "5 minutes left."], [60, "1 minute left."], [20, "20 seconds left. You can add 5 minutes or turn the timer off."]].forEach(function (w) {
      if (self.left === w[0] && !self.warned[w[0]]) { self.warned[w[0]] = true; self.say(w[1]); }
    });
    if (this.left === 0) {
      this.stop();
      this.done();
    }
  };

  Timer.prototype.words = function () {
    var m = Math.floor(this.left / 60), s = this.left % 60;
    var parts = [];
    if (m) parts.push(m + " minute" + (m === 1 ? "" : "s"));
    if (s || !m) parts.push(s + " second" + (s === 1 ? "" : "s"));
    return parts.join(" ");
  };

  Timer.prototype.render = function () {
    var m = Math.floor(this.left / 60), s = this.left % 60;
    this.clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    this.pausedNote.hidden = this.running;
    this.pauseButton.textContent = this.running ? "Pause the timer" : "Resume the timer";
  };

  // ---------- list of quizzes ----------

  function quizzesPage(root) {
    var cells = $$(root, ".quiz-best[data-quiz-key]");
    function fill() {
      cells.forEach(function (cell) {
        var saved = store.get(cell.getAttribute("data-quiz-key"));
        cell.textContent = saved && saved.best
          ? saved.best.percent + "% (" + saved.best.score + " of " + saved.best.total + ")"
          : "Not taken yet";
      });
    }
    fill();
    $$(root, ".quiz-best-line").forEach(function (n) { n.hidden = false; });
    var progress = $(root, ".quiz-progress");
    var button = $(root, ".quiz-reset-all");
    if (progress && button) {
      progress.hidden = false;
      button.addEventListener("click", function () {
        cells.forEach(function (cell) { store.remove(cell.getAttribute("data-quiz-key")); });
        fill();
        $(progress, ".quiz-status").textContent = "Your progress on every quiz was cleared.";
      });
    }
  }

  function init() {
    var root;
    if ((root = document.querySelector("[data-quizzes]"))) quizzesPage(root);
    var data = readData();
    if (!data) return;
    if ((root = document.querySelector("[data-practice]"))) practicePage(root, data);
    else if ((root = document.querySelector("[data-quiz]"))) quizPage(root, data);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
