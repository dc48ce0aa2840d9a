// The in-browser copy of the book (JupyterLite) runs Python with Pyodide, which the browser fetches
// from a CDN when a notebook starts. When that CDN cannot be reached, JupyterLite only marks the
// kernel with a small red sign and the cells wait for ever; this script checks the CDN itself and,
// if it does not answer within 10 seconds, says so at the top of the notebook, with the other ways
// to run the chapter. book_site.py fills in the settings and adds the script to lite/notebooks and
// lite/lab.
(function () {
  "use strict";
  const SETTINGS = /*SETTINGS*/{};
  const PYODIDE = SETTINGS.pyodideUrl || "https://cdn.jsdelivr.net/pyodide/";
  const WAIT_MS = 10000;

  function chapterPath() {
    const path = new URLSearchParams(window.location.search).get("path");
    return path && path.endsWith(".ipynb") ? path : null;
  }

  function link(href, text) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    a.target = "_blank";
    a.rel = "noopener";
    return a;
  }

  function showNotice(reason) {
    if (document.getElementById("book-lite-notice")) return;
    const repo = SETTINGS.repository, branch = SETTINGS.branch || "main";
    const path = chapterPath();
    const box = document.createElement("div");
    box.id = "book-lite-notice";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:10000;padding:12px 44px 12px 16px;" +
      "background:#fff4e0;color:#222;border-bottom:3px solid #E69F00;font:15px/1.45 system-ui,sans-serif;" +
      "box-shadow:0 2px 6px rgba(0,0,0,.2)";
    const title = document.createElement("strong");
    title.textContent = "Python cannot start in this browser tab. ";
    box.appendChild(title);
    box.appendChild(document.createTextNode(
      "This copy of the book runs Python with Pyodide, which your browser must download from " +
      new URL(PYODIDE).host + ", and " + reason + " (offline, or blocked by a network filter or a " +
      "browser extension). You can read the notebook here, but its cells will not run. To run it: "));
    if (repo && path) {
      box.appendChild(link("https://mybinder.org/v2/gh/" + repo + "/" + branch + "?urlpath=lab/tree/" + path, "open it on Binder"));
      box.appendChild(document.createTextNode(", "));
      box.appendChild(link("https://colab.research.google.com/github/" + repo + "/blob/" + branch + "/" + path, "on Colab"));
      box.appendChild(document.createTextNode(", or "));
    }
    box.appendChild(link(repo ? "https://github.com/" + repo + "#readme" : "../../", "install the book on your computer"));
    box.appendChild(document.createTextNode(" (one command, in the README). Or reload this page once the network allows it."));
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close this notice");
    close.style.cssText = "position:absolute;top:6px;right:10px;font-size:22px;border:none;background:none;cursor:pointer;color:#222";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    (document.body || document.documentElement).appendChild(box);
  }

  function check() {
    const controller = new AbortController();
    const timer = setTimeout(function () { controller.abort(); }, WAIT_MS);
    fetch(PYODIDE, { mode: "no-cors", cache: "no-store", signal: controller.signal })
      .then(function () { clearTimeout(timer); })
      .catch(function (error) {
        clearTimeout(timer);
        showNotice(error && error.name === "AbortError" ? "it did not answer within " + WAIT_MS / 1000 + " seconds"
                                                         : "it could not be reached");
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", check);
  else check();
})();
