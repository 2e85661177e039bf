/* Forecasts: every model at the central values, and a Monte Carlo job polled for progress. */
"use strict";
(function () {
  const z = window.zopa;
  const data = z.pageData();
  const base = "/api/scenarios/" + encodeURIComponent(data.name);
  const issues = Object.keys(data.issues);
  const names = issues.map(function (i) { return data.issues[i].name; });
  const SYMBOLS = ["circle", "diamond", "square", "triangle-up", "x", "star", "hexagon", "cross"];

  function optionLabel(issue, id) {
    const found = data.issues[issue].options.find(function (o) { return o.id === id; });
    return found ? found.label : id;
  }

  function optionTrace() {
    const x = [], y = [], text = [];
    issues.forEach(function (issue) {
      data.issues[issue].options.forEach(function (o) { x.push(o.position); y.push(data.issues[issue].name); text.push(o.label); });
    });
    return { type: "scatter", mode: "markers", x: x, y: y, text: text, name: "options on the scale",
             marker: { symbol: "line-ns", size: 14, line: { width: 2, color: "#9aa5b1" } },
             hovertemplate: "%{y}<br>option: %{text} at %{x}<extra></extra>" };
  }

  function layout(title, height) {
    return { title: z.title(title), height: height || 140 + 34 * issues.length,
             margin: { l: 260, r: 30, t: 80, b: 50 },
             xaxis: { title: { text: "position on the issue's 0–100 scale" }, range: [-3, 103] },
             yaxis: { autorange: "reversed", automargin: true } };
  }

  function modelTable(forecasts) {
    const table = document.getElementById("model-table");
    z.fill(table.tHead, z.el("tr", {}, z.el("th", { scope: "col" }, "Issue"),
      ...forecasts.map(function (f) { return z.el("th", { scope: "col" }, f.model); })));
    z.fill(table.tBodies[0]);
    issues.forEach(function (issue) {
      table.tBodies[0].appendChild(z.el("tr", {}, z.el("th", { scope: "row" }, data.issues[issue].name),
        ...forecasts.map(function (f) {
          return z.el("td", { dataset: { model: f.model, issue: issue } }, z.fixed(f.outcome[issue], 1) + " — " + optionLabel(issue, f.nearest_option[issue]));
        })));
    });
    table.hidden = false;
  }

  async function runModels() {
    const button = document.getElementById("run-models");
    const status = document.getElementById("models-status");
    const models = Array.from(document.querySelectorAll("#mc-model option")).map(function (o) { return o.value; });
    button.disabled = true;
    status.textContent = "Running " + models.length + " models…";
    try {
      const answers = await Promise.all(models.map(function (model) {
        return z.api("POST", base + "/forecasts", { model: model, seed: 0 });
      }));
      const forecasts = answers.map(function (a) { return a.result; });
      const traces = [optionTrace()].concat(forecasts.map(function (f, k) {
        return { type: "scatter", mode: "markers", name: f.model, y: names,
                 x: issues.map(function (i) { return f.outcome[i]; }),
                 marker: { size: 11, symbol: SYMBOLS[k % SYMBOLS.length] },
                 hovertemplate: f.model + ": %{x:.1f}<extra>%{y}</extra>" };
      }));
      z.plot("chart-models", traces, layout("Each model's forecast on every issue (central values)"));
      modelTable(forecasts);
      status.textContent = "Done: " + forecasts.length + " models.";
    } catch (error) {
      status.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  }

  function showResult(result) {
    const q = result.quantiles;
    const median = issues.map(function (i) { return q[i][2]; });
    function band(lo, hi, width, color, label) {
      return { type: "scatter", mode: "markers", name: label, y: names, x: median,
               marker: { size: 1, color: color },
               error_x: { type: "data", symmetric: false, color: color, thickness: width, width: 0,
                          array: issues.map(function (i) { return q[i][hi] - q[i][2]; }),
                          arrayminus: issues.map(function (i) { return q[i][2] - q[i][lo]; }) },
               hoverinfo: "skip" };
    }
    const traces = [optionTrace(), band(0, 4, 2, "#9fb3c8", "90% of runs (5–95%)"),
      band(1, 3, 9, "#3b6ea5", "50% of runs (25–75%)"),
      { type: "scatter", mode: "markers", name: "median", y: names, x: median,
        marker: { size: 9, color: "#1f2933", symbol: "diamond" },
        customdata: issues.map(function (i) { return [q[i][0], q[i][1], q[i][3], q[i][4]]; }),
        hovertemplate: "%{y}<br>median %{x:.1f}<br>25–75%: %{customdata[1]:.1f}–%{customdata[2]:.1f}<br>5–95%: %{customdata[0]:.1f}–%{customdata[3]:.1f}<extra></extra>" }];
    z.plot("chart-bands", traces, layout(result.model + ": distribution of the forecast over " + result.runs.toLocaleString("en") + " draws of the inputs"));
    const body = document.querySelector("#mc-table tbody");
    z.fill(body);
    issues.forEach(function (issue) {
      const probabilities = result.option_probabilities[issue];
      const best = Object.keys(probabilities).reduce(function (a, b) { return probabilities[b] > probabilities[a] ? b : a; });
      body.appendChild(z.el("tr", {}, z.el("th", { scope: "row" }, data.issues[issue].name),
        ...q[issue].map(function (v) { return z.el("td", { class: "num" }, z.fixed(v, 1)); }),
        z.el("td", {}, optionLabel(issue, best) + " (" + z.percent(probabilities[best]) + " of runs)")));
    });
    document.getElementById("mc-table").hidden = false;
  }

  function wait(ms) { return new Promise(function (resolve) { window.setTimeout(resolve, ms); }); }

  async function startExperiment() {
    const button = document.getElementById("mc-start");
    const progress = document.getElementById("mc-progress");
    const status = document.getElementById("mc-status");
    const body = { model: document.getElementById("mc-model").value,
                   runs: Number(document.getElementById("mc-runs").value),
                   seed: Number(document.getElementById("mc-seed").value) };
    button.disabled = true;
    try {
      let job = await z.api("POST", base + "/experiments", body);
      while (job.status === "running") {
        progress.max = job.total;
        progress.value = job.done;
        status.textContent = job.done.toLocaleString("en") + " of " + job.total.toLocaleString("en") + " runs";
        await wait(250);
        job = await z.api("GET", "/api/experiments/" + job.id);
      }
      progress.max = job.total;
      progress.value = job.done;
      if (job.status !== "done") throw new Error(job.error || job.status);
      status.textContent = "Done: " + job.total.toLocaleString("en") + " runs, " + z.percent(job.result.converged) + " converged.";
      showResult(job.result);
    } catch (error) {
      status.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  }

  document.getElementById("run-models").addEventListener("click", runModels);
  document.getElementById("mc-form").addEventListener("submit", startExperiment);
})();
