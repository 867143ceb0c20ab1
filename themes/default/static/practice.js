// Trellis practice exam: draws questions from every quiz, with an optional
// timer that can be paused, extended or turned off, and results by article.
// Needs quiz-core.js, loaded before it.
//
// A handbook with more questions than the practice page embeds has its whole
// question bank in script files beside that page (bank-<n>.js, named in the
// page's data): an exam loads one or more of them with <script src>, which
// works from file:// and under a strict Content-Security-Policy, where fetch
// or eval would not. Each bank question carries the fieldset the theme's
// quiz_question.html printed, as the page's own questions do.
(function () {
  "use strict";
  // The theme's words in the page's language (theme.js).
  var T = window.trellisText;

  var Q = window.trellisQuiz;
  var $ = Q.$, $$ = Q.$$, el = Q.el, shuffled = Q.shuffled;
  var record = Q.record, readData = Q.readData, Question = Q.Question, Quiz = Q.Quiz;

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

  // The fieldset quiz_question.html printed for a bank question (its first
  // element: the template prints one fieldset), or null.
  function bankFieldset(html) {
    var t = document.createElement("template");
    t.innerHTML = String(html);
    var f = t.content.firstElementChild;
    return f && f.matches("fieldset.quiz-question") ? f : null;
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
      return q && typeof q.id === "string" && typeof q.kind === "string" &&
        local[q.source] != null && bankFieldset(q.html) !== null;
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
  // it, else the one quiz_question.html printed into the bank.
  QuestionBank.prototype.question = function (key) {
    if (this.onPage[key.id]) return this.onPage[key.id];
    if (this.built[key.id]) return this.built[key.id];
    var form = this.quiz.form;
    var fieldset = bankFieldset(key.html);
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
      if (!quiz.checked) finish(T("js_time_up"));
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
      title.textContent = T("js_your_exam", { n: questions.length });
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
      note(T("js_loading_bank"));
      bank.gather(n, function (keys, failed) {
        loading = false;
        note("");
        if (failed || !keys.length) {
          begin(shuffled(quiz.all).slice(0, n));
          say(T("js_bank_failed", { n: quiz.all.length }));
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
        var source = sources[s] || { title: T("js_quiz"), url: "" };
        var tr = document.createElement("tr");
        var th = el("th");
        th.scope = "row";
        var link = el("a", null, source.title);
        link.href = source.url;
        th.appendChild(link);
        tr.appendChild(th);
        tr.appendChild(el("td", null, T("js_right_of", { right: row.right, total: row.total })));
        var td = el("td");
        if (!row.review.length) td.textContent = T("js_all_right");
        row.review.forEach(function (q, i) {
          var a = el("a", null, T("worksheets_question", { n: $(q.fieldset, ".quiz-number").textContent.replace(".", "") }));
          a.href = "#" + q.fieldset.id;
          if (i) td.appendChild(document.createTextNode(", "));
          td.appendChild(a);
          var review = $(q.fieldset, ".quiz-answer .quiz-review a");
          if (review) {
            td.appendChild(document.createTextNode(" ("));
            var more = el("a", null, T("js_read_more"));
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
        self.say(T("js_timer_paused", { left: self.words() }));
      } else {
        self.running = true;
        self.say(T("js_timer_running", { left: self.words() }));
      }
      self.render();
    });
    $(root, ".practice-extend").addEventListener("click", function () {
      self.left += 300;
      self.warned = {};
      self.render();
      self.say(T("js_timer_extended", { left: self.words() }));
    });
    $(root, ".practice-stop").addEventListener("click", function () {
      self.stop();
      self.say(T("js_timer_off"));
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
    [[300, T("js_warn_5_minutes")], [60, T("js_warn_1_minute")], [20, T("js_warn_20_seconds")]].forEach(function (w) {
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
    if (m) parts.push(T("js_minutes", { n: m }));
    if (s || !m) parts.push(T("js_seconds", { n: s }));
    return parts.join(" ");
  };

  Timer.prototype.render = function () {
    var m = Math.floor(this.left / 60), s = this.left % 60;
    this.clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    this.pausedNote.hidden = this.running;
    this.pauseButton.textContent = T(this.running ? "practice_pause" : "js_resume_timer");
  };

  function init() {
    var data = readData();
    var root = document.querySelector("[data-practice]");
    if (data && root) practicePage(root, data);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
