// Checklist versions: which are published, how many units are assessed on each, and what
// changed between two versions (items added, removed, or with a new requirement, question,
// severity or source).

import { api } from "../api.js";
import { errorBox, field, h, tableBox } from "../dom.js";
import { dateTime, nb, num } from "../format.js";
import { requirementText, sourceText } from "../barriers.js";
import { fetchDefinition } from "../checklist.js";
import { needNames } from "./labels.js";

export async function render(main) {
  const versions = await api("/checklists");
  const label = (v) => `${v.key} versjon ${v.version}`;
  const options = (selected) => versions.map((v, i) => h("option", { value: String(i), text: label(v), selected: i === selected }));
  const a = h("select", { name: "a" }, options(Math.max(0, versions.length - 2)));
  const b = h("select", { name: "b" }, options(versions.length - 1));
  const out = h("div", { "aria-live": "polite" });
  main.append(h("h1", { text: "Sjekklisteversjoner" }),
    h("div", tableBox("Publiserte versjoner"), h("table", {},
      h("caption", { text: "Publiserte versjoner" }),
      h("thead", {}, h("tr", {}, ["Sjekkliste", "Versjon", "Publisert", "Boliger vurdert med versjonen"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, versions.map((v) => h("tr", {},
        h("td", { text: v.key }), h("td", { class: "num", text: num(v.version) }), h("td", { text: dateTime(v.published_at) }),
        h("td", { class: "num", text: num(v.assessed_units) })))))),
    versions.length > 1
      ? h("form", { class: "card", onsubmit: async (event) => {
          event.preventDefault();
          try {
            const [x, y] = [versions[Number(a.value)], versions[Number(b.value)]];
            const [left, right, names] = await Promise.all([fetchDefinition(x.key, x.version), fetchDefinition(y.key, y.version), needNames()]);
            out.replaceChildren(differences(label(x), left, label(y), right, names));
          } catch (error) {
            out.replaceChildren(errorBox(error));
          }
        } },
        h("h2", { text: "Hva er endret mellom to versjoner?" }),
        field("Fra versjon", a), field("Til versjon", b),
        h("button", { type: "submit", class: "btn btn-primary" }, "Sammenlign"))
      : h("p", { text: "Bare én versjon er publisert; det er ingenting å sammenligne ennå." }),
    out);
}

function itemsOf(definition) {
  return new Map(definition.sections.flatMap((s) => s.items.map((i) => [i.id, i])));
}

function severityText(item, names) {
  return Object.entries(item.severity || {}).map(([k, v]) => `${names[k] || k} ${v}`).join(", ");
}

/** What differs in one item, in words; empty when nothing a reader sees changed. */
function itemChanges(before, after, names) {
  const out = [];
  const compare = (what, f) => {
    const [x, y] = [f(before), f(after)];
    if (x !== y) out.push(`${what}: «${x || "–"}» → «${y || "–"}»`);
  };
  compare("Spørsmål", (i) => nb(i.question));
  compare("Krav", (i) => requirementText({}, i));
  compare("Kilde", (i) => sourceText({}, i));
  compare("Alvorlighet", (i) => severityText(i, names));
  compare("Svartype", (i) => i.type);
  return out;
}

function differences(fromLabel, left, toLabel, right, names) {
  const [x, y] = [itemsOf(left), itemsOf(right)];
  const added = [...y.values()].filter((i) => !x.has(i.id));
  const removed = [...x.values()].filter((i) => !y.has(i.id));
  const changed = [...y.values()].filter((i) => x.has(i.id)).map((i) => [i, itemChanges(x.get(i.id), i, names)]).filter(([, c]) => c.length);
  const block = (title, rows) => h("section", {}, h("h3", { text: `${title} (${num(rows.length)})` }),
    rows.length ? h("ul", {}, rows) : h("p", { text: "Ingen." }));
  return h("section", { class: "card", "aria-labelledby": "diff-h" },
    h("h2", { id: "diff-h", text: `Fra ${fromLabel} til ${toLabel}` }),
    block("Nye punkter", added.map((i) => h("li", { text: nb(i.question) }))),
    block("Fjernede punkter", removed.map((i) => h("li", { text: nb(i.question) }))),
    block("Endrede punkter", changed.map(([i, c]) => h("li", {}, h("strong", { text: nb(i.question) }), h("ul", {}, c.map((t) => h("li", { text: t })))))));
}
