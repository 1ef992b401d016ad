// Facility manager: the upgrade planner under a budget, with CSV/XLSX download.

import { api, download } from "../api.js";
import { announce, button, errorBox, field, h } from "../dom.js";
import { kr, nb, num, parseDecimal } from "../format.js";

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
      const plan = await api("/planning/portfolio", { method: "POST", json: body });
      out.replaceChildren(planView(plan, body));
      announce(`Planen er klar: ${plan.steps.length} tiltak.`);
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  } },
  field("Budsjett (kr)", budget, "Hele kroner, for eksempel 2 000 000."),
  field("Prioritering", priority),
  h("button", { type: "submit", class: "btn btn-primary" }, "Lag plan"),
  );
  main.append(h("h1", { text: "Oppgraderingsplan" }), form, out);
}

function planView(plan, body) {
  const save = (format) => async () => {
    try {
      await download(`/planning/portfolio?format=${format}`, { method: "POST", json: body, filename: `oppgraderingsplan.${format}` });
      announce("Filen er lastet ned.");
    } catch (error) {
      announce(error.message);
    }
  };
  return h("section", { "aria-labelledby": "plan-h" },
    h("h2", { id: "plan-h", text: "Resultat" }),
    h("p", { text: `Brukt ${kr(plan.spent)} av ${kr(plan.budget)}. Egnede kombinasjoner av bolig og behov: før ${num(sumOf(plan.totals?.before))}, etter ${num(sumOf(plan.totals?.after))}.` }),
    h("div", { class: "actions" }, button("Last ned CSV", save("csv")), button("Last ned Excel (XLSX)", save("xlsx"))),
    plan.steps.length
      ? h("div", { class: "table-wrap" }, h("table", {},
          h("caption", { text: "Tiltak i prioritert rekkefølge" }),
          h("thead", {}, h("tr", {}, ["Nr.", "Bolig", "Krets", "Tiltak", "Kostnad", "Sum så langt", "Blir egnet for"].map((t) => h("th", { scope: "col", text: t })))),
          h("tbody", {}, plan.steps.map((s) => h("tr", {},
            h("td", { class: "num", text: num(s.rank) }),
            h("td", {}, h("a", { href: `#/boliger/${s.unit_id}`, text: `${s.address}, ${s.unit_number}` })),
            h("td", { text: s.district }),
            h("td", { text: (s.measures || []).map((m) => nb(m.name) || m.id || m).join(", ") }),
            h("td", { class: "num", text: kr(typeof s.cost === "object" ? s.cost.typical : s.cost) }),
            h("td", { class: "num", text: kr(s.cumulative_cost) }),
            h("td", { text: num((s.pairs || []).length) + " behov" }))))))
      : h("p", { text: "Budsjettet rekker ikke til noe tiltak som gjør en bolig egnet." }));
}

function sumOf(value) {
  if (typeof value === "number") return value;
  if (value && typeof value === "object") return Object.values(value).reduce((n, v) => n + (typeof v === "number" ? v : 0), 0);
  return null;
}
