// Trellis quizzes: quiz pages (marking, feedback, "Try again" with a fresh
// order, the best score) and the list of quizzes (each quiz's best score,
// "Reset my progress"). Needs quiz-core.js, loaded before it.
(function () {
  "use strict";
  // The theme's words in the page's language (theme.js).
  var T = window.trellisText;

  var Q = window.trellisQuiz;
  var $ = Q.$, $$ = Q.$$, el = Q.el, store = Q.store, record = Q.record;
  var progressText = Q.progressText, readData = Q.readData, Quiz = Q.Quiz;

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
      quiz.status.appendChild(el("p", null, T(data.shuffle ? "js_cleared_reshuffled" : "js_cleared")));
      var first = $(quiz.form, "fieldset.quiz-question input, fieldset.quiz-question select, fieldset.quiz-question button");
      if (first) first.focus();
    });
    var reset = $(root, ".quiz-reset");
    if (reset) {
      reset.addEventListener("click", function () {
        store.remove(data.key);
        showProgress();
        quiz.status.textContent = T("js_progress_cleared");
      });
    }
  }

  // ---------- list of quizzes ----------

  function quizzesPage(root) {
    var cells = $$(root, ".quiz-best[data-quiz-key]");
    function fill() {
      cells.forEach(function (cell) {
        var saved = store.get(cell.getAttribute("data-quiz-key"));
        cell.textContent = saved && saved.best
          ? T("js_best_cell", { percent: saved.best.percent, score: saved.best.score, total: saved.best.total })
          : T("js_not_taken_cell");
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
        $(progress, ".quiz-status").textContent = T("js_all_progress_cleared");
      });
    }
  }

  function init() {
    var root;
    if ((root = document.querySelector("[data-quizzes]"))) quizzesPage(root);
    var data = readData();
    if (data && (root = document.querySelector("[data-quiz]"))) quizPage(root, data);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
