// Facility manager: the upgrade planner under a budget, with CSV/XLSX download.

import { api, download } from "../api.js";
import { announce, button, errorBox, field, fill, h, tableBox } from "../dom.js";
import { dateTime, kr, nb, num, parseDecimal } from "../format.js";
import { pager } from "../listing.js";
import { needNames } from "./labels.js";

export async function render(main) {
  const budget = h("input", { type: "text", inputmode: "numeric", name: "budget", autocomplete: "off", value: "2 000 000" });
  const priority = h("select", { name: "priorities" },
    h("option", { value: "demand", text: "Etter behovet på ventelisten" }),
    h("option", { value: "equal", text: "Likt for alle funksjonsnedsettelser" }));
  const out = h("div", { "aria-live": "polite" });
  let body = null;
  const bodyOf = async () => {
    const amount = parseDecimal(budget.value);
    if (amount === null || amount < 0) throw new Error("Skriv budsjettet som et tall i kroner, for eksempel 2 000 000.");
    let priorities = "demand";
    if (priority.value === "equal") {
      const limitations = await api("/limitations");
      priorities = Object.fromEntries(limitations.map((l) => [l.key, 1]));
    }
    return { budget: amount, priorities };
  };
  const form = h("form", { class: "card", onsubmit: async (event) => {
    event.preventDefault();
    out.replaceChildren(h("p", { text: "Beregner plan …" }));
    try {
      body = await bodyOf();
      const [plan, names] = await Promise.all([api("/planning/portfolio", { method: "POST", json: body }), needNames()]);
      out.replaceChildren(planView(plan, body, names), saveForm(body, scenarios));
      announce(`Planen er klar: ${plan.steps.length} tiltak.`);
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  } },
  field("Budsjett (kr)", budget, "Hele kroner, for eksempel 2 000 000."),
  field("Prioritering", priority),
  h("button", { type: "submit", class: "btn btn-primary" }, "Lag plan"),
  );
  const scenarios = h("section", { class: "card", "aria-labelledby": "scen-h" });
  main.append(h("h1", { text: "Oppgraderingsplan" }), form, out, scenarios);
  await drawScenarios(scenarios);
}

function saveForm(body, scenarios) {
  const name = h("input", { type: "text", name: "scenario_name", autocomplete: "off", required: true });
  const result = h("div", { "aria-live": "polite" });
  return h("form", { class: "card", onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api("/planning/scenarios", { method: "POST", json: { name: name.value.trim(), request: body } });
      result.replaceChildren(h("p", { class: "alert alert-success", text: `Scenarioet «${name.value.trim()}» er lagret.` }));
      await drawScenarios(scenarios);
    } catch (error) {
      result.replaceChildren(errorBox(error));
    }
  } },
  h("h2", { text: "Lagre planen som scenario" }),
  field("Navn på scenarioet", name, "For eksempel: Budsjett 2027, etter behov."),
  h("button", { type: "submit", class: "btn" }, "Lagre scenario"), result);
}

async function drawScenarios(section) {
  const list = await api("/planning/scenarios");
  const heading = h("h2", { id: "scen-h", text: "Lagrede scenarioer" });
  if (list.length < 1) {
    section.replaceChildren(heading, h("p", { text: "Ingen scenarioer er lagret ennå." }));
    return;
  }
  const pick = (name, index) => h("select", { name }, list.map((sc, i) =>
    h("option", { value: String(sc.id), text: `${sc.name} (${dateTime(sc.created_at)})`, selected: i === index })));
  const a = pick("a", Math.min(1, list.length - 1));
  const b = pick("b", 0);
  const out = h("div", { "aria-live": "polite" });
  fill(section, heading,
    h("ul", {}, list.map((sc) => h("li", { text: `${sc.name} – lagret ${dateTime(sc.created_at)}` }))),
    list.length > 1
      ? h("form", { onsubmit: async (event) => {
          event.preventDefault();
          try {
            const [data, name] = await Promise.all([api(`/planning/scenarios/compare?a=${a.value}&b=${b.value}`), needNames()]);
            out.replaceChildren(compareTable(data, name));
          } catch (error) {
            out.replaceChildren(errorBox(error));
          }
        } },
        h("h3", { text: "Sammenlign to scenarioer" }),
        field("Scenario A", a), field("Scenario B", b),
        h("button", { type: "submit", class: "btn btn-primary" }, "Sammenlign"))
      : null,
    out);
}

function compareTable(data, name) {
  const signed = (n) => (n > 0 ? `+${num(n)}` : num(n));
  const row = (label, va, vb, diff) => h("tr", {}, h("th", { scope: "row", text: label }),
    h("td", { class: "num", text: va }), h("td", { class: "num", text: vb }), h("td", { class: "num", text: diff }));
  const needs = Object.keys(data.difference).sort((x, y) => (name[x] || x).localeCompare(name[y] || y, "nb"));
  const caption = `Sammenligning: ${data.a.name} og ${data.b.name}`;
  // Focusable so a keyboard can scroll it sideways on a narrow screen.
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption }, h("table", { class: "compare" },
    h("caption", { text: caption }),
    h("thead", {}, h("tr", {}, h("td", {}), h("th", { scope: "col", text: `A: ${data.a.name}` }), h("th", { scope: "col", text: `B: ${data.b.name}` }),
      h("th", { scope: "col", text: "Forskjell (B − A)" }))),
    h("tbody", {},
      row("Budsjett", kr(data.a.budget), kr(data.b.budget), kr(data.b.budget - data.a.budget)),
      row("Brukt (typisk kostnad)", kr(typical(data.a.spent)), kr(typical(data.b.spent)), kr(typical(data.b.spent) - typical(data.a.spent))),
      row("Verdi (vektet)", num(data.a.value), num(data.b.value), signed(data.b.value - data.a.value)),
      row("Antall tiltak", num(data.a.steps), num(data.b.steps), signed(data.b.steps - data.a.steps)),
      needs.map((n) => row(`Egnede boliger etter plan: ${name[n] || n}`, num(data.a.after[n] ?? 0), num(data.b.after[n] ?? 0), signed(data.difference[n]))))));
}

// A national plan has tens of thousands of steps: the table shows a page at a time, the
// downloads hold them all.
const PAGE_SIZE = 100;

function planView(plan, body, names) {
  const save = (format) => async () => {
    try {
      await download(`/planning/portfolio?format=${format}`, { method: "POST", json: body, filename: `oppgraderingsplan.${format}` });
      announce("Filen er lastet ned.");
    } catch (error) {
      announce(error.message);
    }
  };
  // Steps name their measures by id; the plan describes each measure once.
  const measureNames = (refs) => refs.map((ref) => nb(plan.measures?.[ref.id]?.name) || ref.id).join(", ");
  const overall = plan.totals?.overall || [];
  const before = overall.reduce((n, t) => n + t.baseline, 0);
  const after = overall.reduce((n, t) => n + t.after, 0);
  const table = h("div", {});
  const show = (page) => {
    const steps = plan.steps.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    table.replaceChildren(
      plan.steps.length > PAGE_SIZE ? pager({ page, pageSize: PAGE_SIZE, total: plan.steps.length, label: "tiltak", onPage: show }) : "",
      h("div", tableBox("Tiltak i prioritert rekkefølge"), h("table", {},
        h("caption", { text: "Tiltak i prioritert rekkefølge" }),
        h("thead", {}, h("tr", {}, ["Nr.", "Bolig", "Krets", "Tiltak", "Kostnad", "Sum så langt", "Blir egnet for"].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, steps.map((s) => h("tr", {},
          h("td", { class: "num", text: num(s.rank) }),
          h("td", {}, h("a", { href: `#/boliger/${s.unit_id}`, text: `${s.address}, ${s.unit_number}` })),
          h("td", { text: s.district }),
          h("td", { text: s.measures.length ? measureNames(s.measures) : `${measureNames(s.reused_measures)} (betalt i et tidligere steg)` }),
          h("td", { class: "num", text: kr(typical(s.cost)) }),
          h("td", { class: "num", text: kr(s.cumulative_cost) }),
          h("td", { text: s.needs.map((n) => names[n] || n).join(", ") })))))));
  };
  if (plan.steps.length) show(1);
  return h("section", { "aria-labelledby": "plan-h" },
    h("h2", { id: "plan-h", text: "Resultat" }),
    h("p", { text: `Brukt ca. ${kr(typical(plan.spent))} av ${kr(plan.budget)}. Egnede kombinasjoner av bolig og behov: før ${num(before)}, etter ${num(after)}.` }),
    h("div", { class: "actions" }, button("Last ned CSV", save("csv")), button("Last ned Excel (XLSX)", save("xlsx"))),
    plan.steps.length ? table : h("p", { text: "Budsjettet rekker ikke til noe tiltak som gjør en bolig egnet." }));
}

/** A cost is a number or a {low, typical, high} range. */
const typical = (cost) => (cost && typeof cost === "object" ? cost.typical : cost);
