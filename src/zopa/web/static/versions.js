/* Versions: the diff between two versions, and an edit saved as the next version. */
"use strict";
(function () {
  const z = window.zopa;
  const data = z.pageData();
  const base = "/api/scenarios/" + encodeURIComponent(data.name);
  const values = {};
  data.values.forEach(function (v) { values[v.path] = v; });
  const $ = function (id) { return document.getElementById(id); };

  function describe(value) {
    if (value === null || value === undefined) return "–";
    if (typeof value === "object" && "value" in value) return describe(value.value);
    if (typeof value === "object" && "low" in value && "high" in value) {
      return value.mode + " [" + value.low + ", " + value.high + "]";
    }
    if (Array.isArray(value)) return value.map(describe).join(", ");
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  async function showDiff() {
    const status = $("diff-status");
    const table = $("diff");
    status.textContent = "Comparing…";
    try {
      const query = "?old=" + encodeURIComponent($("diff-old").value) + "&new=" + encodeURIComponent($("diff-new").value);
      const diff = await z.api("GET", base + "/diff" + query);
      const body = table.tBodies[0];
      z.fill(body);
      diff.changes.forEach(function (c) {
        body.appendChild(z.el("tr", {}, z.el("td", {}, c.section), z.el("td", {}, c.item),
          z.el("td", {}, c.field || "(whole item)"), z.el("td", {}, c.change),
          z.el("td", {}, describe(c.before)), z.el("td", {}, describe(c.after))));
      });
      table.hidden = diff.changes.length === 0;
      status.textContent = diff.old.label + " → " + diff.new.label + ": " +
        (diff.changes.length ? diff.changes.length + " change(s)." : "no differences.");
    } catch (error) {
      status.textContent = error.message;
    }
  }

  function showValue() {
    const v = values[$("edit-path").value];
    if (!v) return;
    $("edit-low").value = v.low;
    $("edit-mode").value = v.mode;
    $("edit-high").value = v.high;
    $("edit-source").value = v.source.join(", ");
    $("edit-note").value = v.note;
    $("edit-judgement").checked = v.judgement;
    const cited = v.source.map(function (key, k) { return key + " (" + (v.documents[k] || "") + ")"; }).join("; ");
    $("edit-current").textContent = "Now: " + (v.low === v.high ? v.mode : v.mode + " (range " + v.low + "–" + v.high + ")") +
      (v.judgement ? ", an analyst's judgement" : "") + ". Sources: " + (cited || "none") + ".";
  }

  function editBody() {
    const keys = $("edit-source").value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    const newKey = $("new-key").value.trim();
    const body = { parent: $("edit-parent").value, message: $("edit-message").value,
                   sources: $("edit-sources").value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean),
                   edits: [] };
    if ($("edit-author").value.trim()) body.author = $("edit-author").value.trim();
    if (newKey) {
      const source = { document: $("new-document").value.trim() || newKey };
      if ($("new-url").value.trim()) source.url = $("new-url").value.trim();
      if ($("new-date").value) source.date = $("new-date").value;
      body.new_sources = {};
      body.new_sources[newKey] = source;
      if (keys.indexOf(newKey) < 0) keys.push(newKey);
    }
    const low = Number($("edit-low").value), mode = Number($("edit-mode").value), high = Number($("edit-high").value);
    const value = low === high && mode === low ? { value: mode } : { low: low, mode: mode, high: high };
    value.source = keys;
    if ($("edit-note").value.trim()) value.note = $("edit-note").value;
    if ($("edit-judgement").checked) value.judgement = true;
    body.edits.push({ path: $("edit-path").value, value: value });
    return body;
  }

  async function save() {
    const box = $("save-result");
    const button = $("edit-save");
    if (!$("edit-message").value.trim()) {
      z.fill(box, z.el("p", { class: "alert error" }, "Say why: the news behind the change."));
      return;
    }
    button.disabled = true;
    z.fill(box, z.el("p", {}, "Saving…"));
    try {
      const answer = await z.api("POST", base + "/versions", editBody());
      if (!answer.created) {
        z.fill(box, z.el("p", { class: "alert success" }, "Nothing changed: the scenario already has these values."));
        return;
      }
      window.location.assign(window.location.pathname + "?saved=" + encodeURIComponent(answer.version.label));
    } catch (error) {
      const reload = z.el("a", { href: window.location.pathname }, "Reload the latest version");
      z.fill(box, z.el("p", { class: "alert error", dataset: { status: String(error.status || "") } },
        (error.status === 409 ? "Not saved — someone saved first. " : "Not saved: ") + error.message + " ",
        error.status === 409 ? reload : null));
    } finally {
      button.disabled = false;
    }
  }

  $("diff-form").addEventListener("submit", showDiff);
  $("edit-path").addEventListener("change", showValue);
  $("edit-form").addEventListener("submit", save);
  showValue();
})();
