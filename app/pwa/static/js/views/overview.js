// Facility manager: suitability of the stock per limitation, age group and district.

import { api } from "../api.js";
import { classTable, countChart } from "../chart.js";
import { append, field, h } from "../dom.js";
import { nb, num, pct } from "../format.js";
import { labels, needNames } from "./labels.js";

export async function render(main) {
  const [stats, { limitations, profiles }, name] = await Promise.all([api("/stats/portfolio"), labels(), needNames()]);
  const byKey = stats.by_key || {};
  const k = stats.kostra || {};
  const districtSelect = h("select", { name: "key" },
    Object.keys(byKey).map((key) => h("option", { value: key, text: name[key] || key })));
  const districtOut = h("div", { "aria-live": "polite" });
  const drawDistricts = () => {
    const entry = byKey[districtSelect.value];
    districtOut.replaceChildren(entry
      ? classTable(`Egnethet per krets: ${name[districtSelect.value] || districtSelect.value}`,
          Object.entries(entry.districts || {}).sort(([a], [b]) => a.localeCompare(b, "nb")))
      : h("p", { text: "Ingen vurderte boliger ennå." }));
  };
  districtSelect.addEventListener("change", drawDistricts);
  append(main, [
    h("h1", { text: "Oversikt over boligmassen" }),
    h("section", { class: "card kostra", "aria-labelledby": "kostra-h" },
      h("h2", { id: "kostra-h", text: "KOSTRA: tilgjengelig for rullestolbrukere" }),
      h("p", { class: "big", text: pct(k.share) }),
      h("p", { text: `${num(k.wheelchair_accessible)} av ${num(k.dwellings)} kommunalt disponerte boliger. ${k.description || ""}` }),
      h("p", { text: `Befart: ${num(stats.assessed)} av ${num(stats.units)} boliger (${pct(k.assessed_share)}).` })),
    classTable("Egnethet per funksjonsnedsettelse (antall boliger)",
      limitations.filter((l) => byKey[l.key]).map((l) => [nb(l.label), byKey[l.key].classes])),
    classTable("Egnethet per aldersgruppe (antall boliger)",
      profiles.filter((p) => byKey[p.key]).map((p) => [nb(p.label), byKey[p.key].classes])),
    h("section", { class: "card" }, h("h2", { text: "Per krets" }), field("Vis for", districtSelect), districtOut),
    h("section", { class: "card barriers-chart", "aria-labelledby": "barriers-h" },
      h("h2", { id: "barriers-h", text: "Hyppigste barrierer" }),
      stats.barriers?.length
        ? countChart("Barrierer etter antall boliger der de er registrert",
            stats.barriers.map((b) => [nb(b.question) || b.item_id, b.count]), "boliger")
        : h("p", { text: "Ingen barrierer registrert i vurderte boliger." })),
  ]);
  drawDistricts();
}
