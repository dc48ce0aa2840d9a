// The ipywidgets HTML manager typesets widget text through the MathJax 2 API (MathJax.Hub.Queue),
// but the site runs MathJax 3, which has no Hub. Give MathJax 3 a Hub whose Queue typesets with
// MathJax 3, whenever MathJax is (re)defined. Loaded only on pages with widgets, before the manager.
(function () {
  var current = window.MathJax;
  function addHub(mathjax) {
    if (mathjax && typeof mathjax === "object" && !mathjax.Hub) {
      mathjax.Hub = {
        Queue: function () {
          if (window.MathJax && window.MathJax.typesetPromise) {
            window.MathJax.typesetPromise().catch(function () {});
          }
        },
      };
    }
    return mathjax;
  }
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = addHub(value); },
  });
  addHub(current);
})();
