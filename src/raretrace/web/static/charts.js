// Renders every <figure data-chart> from its embedded Vega-Lite spec with the vendored
// vega-embed. Expressions run through vega-interpreter, so the page's Content Security
// Policy needs no 'unsafe-eval'. The figure gets data-rendered="true" when done.
(function () {
  "use strict";
  function render(figure) {
    var id = figure.getAttribute("data-chart");
    var target = document.getElementById(id);
    var source = document.getElementById(id + "-spec");
    if (!target || !source) { return; }
    var spec = JSON.parse(source.textContent);
    var options = {
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
      ast: true,
      expr: window.vegaExpressionInterpreter,
      tooltip: { theme: "light" }
    };
    window.vegaEmbed(target, spec, options).then(function () {
      figure.setAttribute("data-rendered", "true");
    }).catch(function (err) {
      figure.setAttribute("data-error", String(err));
      target.textContent = "The chart could not be drawn: " + err;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure[data-chart]").forEach(render);
  });
})();
