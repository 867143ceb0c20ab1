// Live reload for `trellis serve`. The preview server adds this script to the
// HTML pages it sends; built sites never include it.
//
// It listens to /__trellis/events: on `reload` it reloads the page and puts
// the scroll position back, unless the build says which pages it changed
// and this is not one of them; on `build-error` it shows the build's errors
// over the page (the page itself is the last good build) until a build
// succeeds.
(() => {
  'use strict';
  const me = document.currentScript;
  // The newest build this page is up to date with.
  let seenGeneration = Number(new URL(me.src).searchParams.get('generation'));
  // This page's path as the server names pages: `/part/one/` for `/part/one/index.html`.
  const here = location.pathname.replace(/index\.html$/, '');
  const scrollKey = 'trellis-serve-scroll:' + location.pathname;
  const overlayId = 'trellis-error-overlay';

  function remember() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([scrollX, scrollY]));
    } catch (_) {
      // Storage may be off; the page then reloads at the top.
    }
  }

  function restore() {
    let saved;
    try {
      saved = sessionStorage.getItem(scrollKey);
      sessionStorage.removeItem(scrollKey);
    } catch (_) {
      return;
    }
    if (!saved) {
      return;
    }
    const [x, y] = JSON.parse(saved);
    const put = () => scrollTo(x, y);
    put();
    // Images and fonts can change the layout after the first paint.
    addEventListener('load', put, { once: true });
  }

  function reload() {
    remember();
    location.reload();
  }

  function style() {
    if (document.getElementById(overlayId + '-style')) {
      return;
    }
    const link = document.createElement('link');
    link.id = overlayId + '-style';
    link.rel = 'stylesheet';
    link.href = '/__trellis/live-reload.css';
    document.head.append(link);
  }

  function showError(message) {
    style();
    let box = document.getElementById(overlayId);
    if (!box) {
      box = document.createElement('section');
      box.id = overlayId;
      box.setAttribute('role', 'alert');
      box.setAttribute('aria-label', 'Build error');
      const title = document.createElement('h2');
      title.textContent = 'Trellis could not build the site';
      const note = document.createElement('p');
      note.textContent =
        'The page below is the last good build. Fix the file and this page reloads.';
      const pre = document.createElement('pre');
      box.append(title, note, pre);
      document.body.append(box);
    }
    box.querySelector('pre').textContent = message;
  }

  function hideError() {
    const box = document.getElementById(overlayId);
    if (box) {
      box.remove();
    }
  }

  restore();
  const events = new EventSource('/__trellis/events');
  events.addEventListener('hello', (e) => {
    // Tells tests (and the curious) that this page listens.
    document.documentElement.dataset.trellisServe = 'live';
    const status = JSON.parse(e.data);
    if (status.error) {
      showError(status.error);
    } else if (status.generation !== seenGeneration) {
      // A build finished while this page was loading, or while the
      // connection was down.
      reload();
    } else {
      hideError();
    }
  });
  events.addEventListener('reload', (e) => {
    const status = JSON.parse(e.data);
    // `/search/*` names every page under /search/.
    const names = (p) => (p.endsWith('/*') ? here.startsWith(p.slice(0, -1)) : p === here);
    const elsewhere = Array.isArray(status.pages) && !status.pages.some(names);
    if (elsewhere && status.generation === seenGeneration + 1) {
      // Only other pages changed, and this one saw every build before.
      seenGeneration = status.generation;
      hideError();
      return;
    }
    reload();
  });
  events.addEventListener('build-error', (e) => showError(JSON.parse(e.data).error));
})();
