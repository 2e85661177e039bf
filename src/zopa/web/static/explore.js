/* The deal explorer: every change of option asks the API for the package's verdicts. */
"use strict";
(function () {
  const z = window.zopa;
  const data = z.pageData();
  const planSelect = document.getElementById("plan-select");
  const selects = Array.from(document.querySelectorAll("select[data-issue]"));
  const status = document.getElementById("deal-status");
  let sequence = 0;

  function partyName(id) { return data.parties[id] || id.replace(/_/g, " "); }
  function issueName(id) { return data.issues[id] ? data.issues[id].name : id; }
  function optionLabel(issue, option) {
    return data.issues[issue] && data.issues[issue].options[option] ? data.issues[issue].options[option] : option;
  }

  function choices() {
    const found = {};
    selects.forEach(function (s) { found[s.dataset.issue] = s.value; });
    return found;
  }

  function setChoices(found) {
    selects.forEach(function (s) { if (found[s.dataset.issue]) s.value = found[s.dataset.issue]; });
  }

  function markChanges() {
    const plan = data.plans[planSelect.value];
    selects.forEach(function (s) {
      const changed = plan ? plan[s.dataset.issue] !== s.value : false;
      s.closest(".field").classList.toggle("changed", changed);
    });
  }

  function address() {
    const current = choices();
    const plan = data.plans[planSelect.value];
    const query = new URLSearchParams();
    if (plan) query.set("plan", planSelect.value);
    Object.keys(current).forEach(function (issue) {
      if (!plan || plan[issue] !== current[issue]) query.set(issue, current[issue]);
    });
    return window.location.pathname + "?" + query.toString();
  }

  function showStatus(evaluation, ratification) {
    const blockers = evaluation.blockers.map(partyName);
    const refused = ratification.verdicts.filter(function (v) { return !v.approves; }).map(function (v) { return v.name; });
    let text = blockers.length ? "Blocked by " + blockers.join(", ") + "." : "Every party accepts this package.";
    if (ratification.verdicts.length) {
      text += refused.length ? " Not ratified by " + refused.join(", ") + " (at the central values)." : " Every ratifier approves (at the central values).";
    }
    status.textContent = text;
    status.className = "status " + (blockers.length || refused.length ? "bad" : "good");
  }

  function renderVerdicts(evaluation) {
    const body = document.querySelector("#verdicts tbody");
    z.fill(body);
    evaluation.verdicts.forEach(function (v) {
      const lines = v.red_lines_hit.map(function (hit) { return issueName(hit[0]) + ": " + optionLabel(hit[0], hit[1]); });
      body.appendChild(z.el("tr", { dataset: { party: v.party } },
        z.el("th", { scope: "row" }, partyName(v.party)),
        z.el("td", { class: "num", dataset: { party: v.party, field: "utility" } }, z.fixed(v.utility)),
        z.el("td", { class: "num" }, z.fixed(v.reservation)),
        z.el("td", { class: "num" + (v.surplus < 0 ? " below" : "") }, (v.surplus >= 0 ? "+" : "") + z.fixed(v.surplus)),
        z.el("td", {}, lines.join("; ") || "–"),
        z.el("td", {}, z.el("span", { class: "badge " + (v.accepts ? "yes" : "no") }, v.accepts ? "accepts" : "blocks"))));
    });
    const names = evaluation.verdicts.map(function (v) { return partyName(v.party); });
    z.plot("chart-utilities", [
      { type: "bar", orientation: "h", y: names, x: evaluation.verdicts.map(function (v) { return v.utility; }),
        name: "utility of the package", text: evaluation.verdicts.map(function (v) { return z.fixed(v.utility); }),
        textposition: "inside", marker: { color: evaluation.verdicts.map(function (v) { return v.accepts ? "#5b9a74" : "#d08c3a"; }) },
        hovertemplate: "%{y}: %{x:.3f}<extra></extra>" },
      { type: "scatter", mode: "markers", y: names, x: evaluation.verdicts.map(function (v) { return v.reservation; }),
        name: "reservation (walk-away)", marker: { symbol: "line-ns", size: 26, line: { width: 3, color: "#1f2933" } },
        hovertemplate: "%{y}: reservation %{x:.3f}<extra></extra>" },
    ], {
      title: z.title("Utility of the package for each party, against its walk-away value"),
      height: 140 + 46 * names.length, margin: { l: 150, r: 30, t: 70, b: 50 },
      xaxis: { title: { text: "utility (0–1, each party's own scale)" }, range: [0, 1.02] },
      yaxis: { autorange: "reversed", automargin: true },
    });
  }

  function changeList(from, to) {
    const list = z.el("ul", { class: "changes" });
    Object.keys(to).forEach(function (issue) {
      if (from[issue] !== to[issue]) {
        list.appendChild(z.el("li", {}, z.el("strong", {}, issueName(issue) + ": "),
          optionLabel(issue, from[issue]) + " → " + optionLabel(issue, to[issue])));
      }
    });
    return list;
  }

  function applyButton(label, target) {
    const button = z.el("button", { type: "button", class: "secondary" }, label);
    button.addEventListener("click", function () { setChoices(target); markChanges(); update(); });
    return button;
  }

  function renderUnblocking(evaluation) {
    const box = document.getElementById("unblocking");
    const current = evaluation.choices;
    const unblocking = evaluation.unblocking;
    if (unblocking === null) {
      const closest = evaluation.closest;
      z.fill(box, z.el("p", {}, "No change can win every party: no package clears every walk-away value (the ZOPA is empty)."));
      if (closest) {
        const worst = Math.min.apply(null, Object.values(closest.gains));
        box.appendChild(z.el("p", {}, "The package that leaves the worst-off party least far below its walk-away value (" + z.fixed(worst) + ") would change:"));
        box.appendChild(changeList(current, closest.choices));
        box.appendChild(applyButton("Apply the closest package", closest.choices));
      }
    } else if (unblocking.changes.length === 0) {
      z.fill(box, z.el("p", {}, "No change needed: every party accepts this package."));
    } else {
      const n = unblocking.changes.length;
      z.fill(box, z.el("p", {}, "Changing " + n + " issue" + (n > 1 ? "s" : "") + " wins every party" +
        (unblocking.alternatives > 1 ? " (" + unblocking.alternatives + " equally small changes; the one with the largest Nash product is shown)" : "") + ":"),
        changeList(current, unblocking.choices), applyButton("Apply these changes", unblocking.choices));
    }
  }

  function renderRatification(ratification) {
    const body = document.querySelector("#ratification tbody");
    z.fill(body);
    if (!ratification.verdicts.length) {
      body.appendChild(z.el("tr", {}, z.el("td", { colspan: "7" }, "This scenario models no ratifier.")));
    }
    ratification.verdicts.forEach(function (v) {
      const groups = (data.groups || {})[v.ratifier] || {};
      const costly = v.costly_provisions[0];
      body.appendChild(z.el("tr", { dataset: { ratifier: v.ratifier } },
        z.el("th", { scope: "row" }, v.name, v.sequencing ? z.el("div", { class: "hint" }, v.sequencing) : null),
        z.el("td", { class: "num" }, z.percent(v.yes_share, 1)),
        z.el("td", { class: "num" }, z.percent(v.majority)),
        z.el("td", { class: "num", dataset: { field: "probability" } }, z.percent(v.probability)),
        z.el("td", {}, v.pivotal ? (groups[v.pivotal] || v.pivotal) : "–"),
        z.el("td", {}, costly ? issueName(costly.issue) + ": " + optionLabel(costly.issue, costly.better_option) + " would add " + z.percent(costly.votes_gained, 1) : "–"),
        z.el("td", {}, z.el("span", { class: "badge " + (v.approves ? "yes" : "no") }, v.approves ? "approves" : "refuses"))));
    });
  }

  function payersTable(bill) {
    const table = z.el("table", {},
      z.el("caption", { class: "hint" }, "Bill in " + (bill.unit || "its unit") + ": total " + bill.total.map(z.amount).join(" / ") + " (low / central / high)"),
      z.el("thead", {}, z.el("tr", {}, z.el("th", { scope: "col" }, "Payer"), z.el("th", { scope: "col", class: "num" }, "Low"),
        z.el("th", { scope: "col", class: "num" }, "Central"), z.el("th", { scope: "col", class: "num" }, "High"),
        z.el("th", { scope: "col", class: "num" }, "Share"), z.el("th", { scope: "col", class: "num" }, "Utility cost"))));
    const body = z.el("tbody");
    bill.shares.forEach(function (s) {
      body.appendChild(z.el("tr", {}, z.el("th", { scope: "row" }, partyName(s.payer)), z.el("td", { class: "num" }, z.amount(s.low)),
        z.el("td", { class: "num" }, z.amount(s.central)), z.el("td", { class: "num" }, z.amount(s.high)),
        z.el("td", { class: "num" }, z.percent(s.share_of_total)), z.el("td", { class: "num" }, z.fixed(s.utility_cost))));
    });
    body.appendChild(z.el("tr", {}, z.el("th", { scope: "row" }, "unfunded"), z.el("td", { class: "num" }, z.amount(bill.unfunded[0])),
      z.el("td", { class: "num" }, z.amount(bill.unfunded[1])), z.el("td", { class: "num" }, z.amount(bill.unfunded[2])),
      z.el("td", {}, ""), z.el("td", {}, "")));
    table.appendChild(body);
    return table;
  }

  function renderPayers(payers) {
    const box = document.getElementById("payers");
    if (!payers.shares.length && !payers.total[1]) {
      z.fill(box, z.el("p", {}, "This scenario models no costs."));
      return;
    }
    z.fill(box, payersTable(payers));
    payers.others.forEach(function (other) { box.appendChild(payersTable(other)); });
  }

  function renderConcessions(concessions) {
    const body = document.querySelector("#concessions tbody");
    z.fill(body);
    Object.keys(concessions.total_loss).forEach(function (party) {
      const mine = concessions.items.filter(function (c) { return c.party === party; });
      const biggest = mine.reduce(function (a, b) { return b.utility_loss > a.utility_loss ? b : a; }, mine[0]);
      body.appendChild(z.el("tr", {}, z.el("th", { scope: "row" }, partyName(party)),
        z.el("td", { class: "num" }, z.fixed(concessions.total_loss[party])),
        z.el("td", {}, biggest && biggest.utility_loss > 0 ? issueName(biggest.issue) + ": " + optionLabel(biggest.issue, biggest.option) + " (" + z.fixed(biggest.utility_loss) + ")" : "–")));
    });
  }

  async function update() {
    sequence += 1;
    const mine = sequence;
    status.textContent = "Evaluating…";
    status.className = "status";
    try {
      const answer = await z.api("POST", "/api/scenarios/" + encodeURIComponent(data.name) + "/deal", { choices: choices() });
      if (mine !== sequence) return;
      const result = answer.result;
      renderVerdicts(result.evaluation);
      renderUnblocking(result.evaluation);
      renderRatification(result.ratification);
      renderPayers(result.payers);
      renderConcessions(result.concessions);
      showStatus(result.evaluation, result.ratification);
      window.history.replaceState(null, "", address());
    } catch (error) {
      if (mine !== sequence) return;
      status.textContent = error.message;
      status.className = "status bad";
    }
  }

  planSelect.addEventListener("change", function () {
    const plan = data.plans[planSelect.value];
    if (plan) setChoices(plan);
    markChanges();
    update();
  });
  selects.forEach(function (s) { s.addEventListener("change", function () { markChanges(); update(); }); });
  markChanges();
  update();
})();
