// The book's own page script.
// * Display equations wider than the article are shrunk to fit (down to half their size); one that
//   still does not fit keeps a visible scroll bar (book.css).
// * Between 960 and 1600 px the page's contents live behind the list button of the article header
//   (book.css hides the third column so figures can be shown at their natural size): the button
//   opens the theme's own contents dialog.
(function () {
  "use strict";
  const MIN_SCALE = 0.5;

  function fitEquations() {
    document.querySelectorAll('.bd-article mjx-container[display="true"]').forEach(function (box) {
      box.style.fontSize = "";
      box.classList.remove("book-math-scrolls");
      const room = box.clientWidth, needed = box.scrollWidth;
      if (room > 0 && needed > room + 1) {
        const scale = Math.max(MIN_SCALE, (room - 2) / needed);
        box.style.fontSize = (100 * scale).toFixed(1) + "%";
        if (box.scrollWidth > box.clientWidth + 1) box.classList.add("book-math-scrolls");
      }
    });
  }

  function whenMathIsTypeset(callback) {
    let tries = 0;
    (function wait() {
      const mj = window.MathJax;
      if (mj && mj.startup && mj.startup.promise) {
        mj.startup.promise.then(callback);
      } else if (tries++ < 100) {
        setTimeout(wait, 100);
      }
    })();
  }

  function contentsButton() {
    const button = document.querySelector(".bd-header-article .secondary-toggle");
    const sidebar = document.getElementById("pst-secondary-sidebar");
    const dialog = document.getElementById("pst-secondary-sidebar-modal");
    if (!button || !sidebar || !dialog) return;
    button.addEventListener("click", function (event) {
      if (getComputedStyle(sidebar).display !== "none" || dialog.open) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      Array.from(sidebar.childNodes).forEach(function (node) { dialog.appendChild(node); });
      Array.from(sidebar.classList).forEach(function (name) { sidebar.classList.remove(name); dialog.classList.add(name); });
      dialog.showModal();
    }, true);
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target.closest("a")) dialog.close();
    });
  }

  function start() {
    whenMathIsTypeset(fitEquations);
    contentsButton();
    let timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(fitEquations, 150);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
