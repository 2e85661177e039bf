/* zopa web app: helpers shared by the pages (window.zopa). No framework. */
"use strict";
window.zopa = (function () {
  function pageData() {
    const node = document.getElementById("page-data");
    return node ? JSON.parse(node.textContent) : {};
  }

  async function api(method, path, body) {
    const options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    try { data = await response.json(); } catch (ignored) { data = null; }
    if (!response.ok) {
      const error = new Error(data && data.detail ? data.detail : response.status + " " + response.statusText);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function fixed(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    return Number(value).toFixed(digits === undefined ? 3 : digits);
  }

  function percent(value, digits) {
    if (value === null || value === undefined) return "–";
    return (100 * value).toFixed(digits === undefined ? 0 : digits) + "%";
  }

  function amount(value) {
    if (value === null || value === undefined) return "–";
    return Number(value).toLocaleString("en", { maximumSignificantDigits: 3 });
  }

  /* el("td", {class: "num", dataset: {party: "x"}}, "text", childNode, ...) */
  function el(tag, attributes) {
    const node = document.createElement(tag);
    const given = attributes || {};
    Object.keys(given).forEach(function (key) {
      if (key === "dataset") Object.assign(node.dataset, given.dataset);
      else if (key === "text") node.textContent = given.text;
      else node.setAttribute(key, given[key]);
    });
    for (let i = 2; i < arguments.length; i += 1) {
      const child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function fill(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    for (let i = 1; i < arguments.length; i += 1) if (arguments[i]) node.appendChild(arguments[i]);
    return node;
  }

  function plot(id, traces, layout) {
    const base = {
      template: "plotly_white", font: { family: "system-ui, sans-serif", size: 12 },
      margin: { l: 60, r: 30, t: 60, b: 50 }, hoverlabel: { align: "left" },
      legend: { orientation: "h", y: 1.02, yanchor: "bottom", x: 0 },
    };
    return Plotly.react(id, traces, Object.assign(base, layout), { displaylogo: false, responsive: true });
  }

  function title(text) {
    return { text: text, x: 0, xanchor: "left", font: { size: 15 } };
  }

  document.addEventListener("DOMContentLoaded", function () {
    const switcher = document.getElementById("scenario-switch");
    if (switcher) {
      switcher.addEventListener("change", function () {
        window.location.assign("/scenarios/" + encodeURIComponent(switcher.value) + switcher.dataset.pageSuffix);
      });
    }
  });

  return { pageData: pageData, api: api, fixed: fixed, percent: percent, amount: amount,
           el: el, fill: fill, plot: plot, title: title };
})();
