// Demand beside supply: waiting households per need and district against suitable units.
// Small counts come suppressed from the server (null) so no household can be singled out.

import { api } from "../api.js";
import { h, tableBox } from "../dom.js";
import { num } from "../format.js";
import { needNames } from "./labels.js";

const ANY = "alle";

export async function render(main) {
  const [data, name] = await Promise.all([api("/stats/demand"), needNames()]);
  const few = `færre enn ${num(data.suppressed_below)}`;
  const needs = Object.keys(data.needs).sort((a, b) => (name[a] || a).localeCompare(name[b] || b, "nb"));
  const rows = needs.flatMap((need) => {
    const districts = Object.keys(data.needs[need]).sort((a, b) =>
      a === ANY ? 1 : b === ANY ? -1 : a.localeCompare(b, "nb"));
    return districts.map((district, i) => {
      const cell = data.needs[need][district];
      return h("tr", {},
        i === 0 ? h("th", { scope: "rowgroup", rowspan: String(districts.length), text: name[need] || need }) : null,
        h("th", { scope: "row", text: district === ANY ? "Alle kretser" : district }),
        h("td", { class: "num", text: cell.waiting_households === null ? few : num(cell.waiting_households) }),
        h("td", { class: "num", text: num(cell.suitable_units_vacant) }),
        h("td", { class: "num", text: num(cell.suitable_units_total) }));
    });
  });
  main.append(h("h1", { text: "Behov og tilbud" }),
    h("p", { text: `Tall under ${num(data.suppressed_below)} vises som «${few}» av personvernhensyn. Husstander uten ønsket krets telles under «Alle kretser».` }),
    rows.length
      ? h("div", tableBox("Ventende husstander og egnede boliger"), h("table", { class: "demand" },
          h("caption", { text: "Ventende husstander og egnede boliger per behov og krets" }),
          h("thead", {}, h("tr", {}, ["Behov", "Krets", "Ventende husstander", "Egnede ledige boliger", "Egnede boliger i alt"]
            .map((t) => h("th", { scope: "col", text: t })))),
          h("tbody", {}, rows)))
      : h("p", { text: "Ingen ventende husstander eller egnede boliger ennå." }));
}
