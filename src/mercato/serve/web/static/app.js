// Draws the Plotly charts whose figures the server embedded as JSON, and wires small niceties.
(function () {
  "use strict";
  function drawCharts() {
    if (typeof Plotly === "undefined") return;
    document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-chart"));
      if (!target) return;
      var fig = JSON.parse(node.textContent);
      var config = { responsive: true, displayModeBar: false, scrollZoom: false };
      Plotly.newPlot(target, fig.data, fig.layout, config).then(function () {
        target.setAttribute("data-rendered", "1");
        // a claim point carries its article link as the last customdata field: click to open it
        target.on("plotly_click", function (ev) {
          var p = ev && ev.points && ev.points[0];
          var cd = p && p.customdata;
          var href = Array.isArray(cd) ? cd[cd.length - 1] : null;
          if (typeof href === "string" && href.charAt(0) === "/") window.location.href = href;
        });
      });
    });
  }

  function flashTarget() {
    var id = decodeURIComponent((window.location.hash || "").slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    if (!el) return;
    el.classList.remove("flash");
    void el.offsetWidth;
    el.classList.add("flash");
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    flashTarget();
    window.addEventListener("hashchange", flashTarget);
  });
})();
