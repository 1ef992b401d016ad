// Units: a list that pages through the whole register with filters, a class and score column
// for a chosen need and sorting (all kept in the address); and a unit's verdict per
// limitation and age group, each opening its barriers.

import { api, list } from "../api.js";
import { barrierList } from "../barriers.js";
import { classBadge, scoreChart } from "../chart.js";
import { errorBox, field, fill, h, tableBox } from "../dom.js";
import { CLASSES, GENERAL_LABEL, UNIT_STATUS, nb, num } from "../format.js";
import { choice, keepState, pager, whole } from "../listing.js";
import { checklistItems, districts, labels } from "./labels.js";
import { overrides, upgradeOptions } from "./unitplan.js";

const PAGE_SIZE = 50;
// "At least" classes for the chosen need; "unsuitable" is every assessed unit.
const MIN_CLASS = [["unsuitable", "Alle vurderte"], ["adaptable", `Minst: ${CLASSES.adaptable.label}`], ["suitable", CLASSES.suitable.label]];
const SORTS = [
  ["", "Adresse"], ["district", "Krets"], ["-bedrooms", "Flest soverom"], ["status", "Status"],
  ["score", "Best egnet først (valgt behov)"], ["-score", "Dårligst egnet først (valgt behov)"],
];

// Who may download a whole district's reports at once (GET /reports/district.zip).
const DISTRICT_ZIP_ROLES = ["facility_manager", "admin"];

/** The district's unit reports as one ZIP, for the district the list shows. */
function districtZip(name) {
  return h("p", {},
    h("a", { class: "btn", href: `/api/v1/reports/district.zip?${new URLSearchParams({ district: name })}`, download: "", text: "Last ned rapporter for bydelen (ZIP)" }),
    h("span", { class: "hint", text: " Én PDF per vurdert bolig; boliger uten godkjent vurdering står i les-meg.txt." }));
}

export async function renderList(main, _params, { query, user }) {
  const [{ limitations, profiles }, districtNames] = await Promise.all([labels(), districts()]);
  const state = new URLSearchParams(query);
  const q = h("input", { type: "search", name: "q", value: state.get("q") || "" });
  const district = choice("district", [["", "Alle kretser"], ...districtNames.map((d) => [d, d])], state.get("district"));
  const status = choice("status", [["", "Alle"], ...Object.entries(UNIT_STATUS)], state.get("status"));
  const bedrooms = h("input", { type: "number", inputmode: "numeric", min: "0", max: "15", name: "min_bedrooms", value: state.get("min_bedrooms") || "" });
  const need = h("select", { name: "suitable_for" }, h("option", { value: "", text: "Ingen valgt" }),
    h("optgroup", { label: "Funksjonsnedsettelse" }, limitations.map((l) => h("option", { value: l.key, text: nb(l.label), selected: state.get("suitable_for") === l.key }))),
    h("optgroup", { label: "Aldersgruppe" }, profiles.map((p) => h("option", { value: p.key, text: nb(p.label), selected: state.get("suitable_for") === p.key }))),
    h("option", { value: "general", text: GENERAL_LABEL, selected: state.get("suitable_for") === "general" }));
  const cls = choice("class", MIN_CLASS, state.get("class") || "unsuitable");
  const minScore = h("input", { type: "number", inputmode: "numeric", min: "0", max: "100", name: "min_score", value: state.get("min_score") || "" });
  const sort = choice("sort", SORTS, state.get("sort"));
  // Units whose current assessment was made under an older checklist version await re-inspection.
  const versions = [...new Set((await api("/checklists")).map((c) => c.version))].sort((a, b) => a - b);
  const version = choice("checklist_version", [["", "Alle"], ...versions.map((v) => [String(v), v === versions.at(-1) ? `Versjon ${v} (gjeldende)` : `Versjon ${v} (bør befares på nytt)`])], state.get("checklist_version"));
  const results = h("div", { "aria-live": "polite" });
  const names = Object.fromEntries([...limitations, ...profiles].map((x) => [x.key, nb(x.label)]));
  names.general = GENERAL_LABEL;

  const show = async (page) => {
    const params = new URLSearchParams({ q: q.value.trim(), district: district.value, status: status.value, min_bedrooms: bedrooms.value, checklist_version: version.value, sort: sort.value });
    if (need.value) {
      params.set("suitable_for", need.value);
      params.set("class", cls.value);
      if (minScore.value) params.set("min_score", minScore.value);
    } else if (sort.value.endsWith("score")) params.set("sort", "");
    params.set("side", String(page));
    keepState("boliger", params);
    const ask = new URLSearchParams([...params].filter(([k, v]) => v && k !== "side"));
    ask.set("page", String(page));
    ask.set("page_size", String(PAGE_SIZE));
    try {
      const { items, total } = await list(`/units?${ask}`);
      const nav = () => pager({ page, pageSize: PAGE_SIZE, total, label: "boliger", onPage: async (to) => {
        await show(to);
        results.querySelector(".page-of")?.focus();
      } });
      const zip = district.value && DISTRICT_ZIP_ROLES.includes(user?.role) ? districtZip(district.value) : "";
      results.replaceChildren(zip, nav(), unitTable(items, need.value, names[need.value]), total > PAGE_SIZE ? nav() : "");
      results.querySelector(".page-of")?.setAttribute("tabindex", "-1");
    } catch (error) {
      results.replaceChildren(errorBox(error));
    }
  };
  main.append(h("h1", { text: "Boliger" }),
    h("form", { class: "card filters", onsubmit: (e) => { e.preventDefault(); show(1); } },
      h("div", { class: "filter-grid" },
        field("Søk (adresse eller boligkode)", q), field("Krets", district), field("Status", status),
        field("Minst antall soverom", bedrooms), field("Behov", need, "Gir en kolonne med egnethet og poeng for behovet."),
        field("Egnethet for behovet", cls), field("Minste poeng for behovet (0–100)", minScore), field("Sortering", sort),
        field("Vurdert etter sjekkliste", version)),
      h("button", { type: "submit", class: "btn btn-primary" }, "Vis boliger")),
    results);
  await show(whole(state, "side", 1));
}

function unitTable(units, need, needName) {
  const heads = ["Adresse", "Bolig", "Krets", "Soverom", "Status", need ? `Egnethet: ${needName}` : null].filter(Boolean);
  if (!units.length) return h("p", { text: "Ingen boliger passer filtrene." });
  return h("div", tableBox("Boliger"), h("table", {},
    h("caption", { class: "visually-hidden", text: "Boliger" }),
    h("thead", {}, h("tr", {}, heads.map((t) => h("th", { scope: "col", text: t })))),
    h("tbody", {}, units.map((u) => {
      const score = need ? u.scores?.[need] : null;
      return h("tr", {},
        h("td", {}, h("a", { href: `#/boliger/${u.id}`, text: u.address })),
        h("td", { text: u.unit_number }), h("td", { text: u.district }), h("td", { class: "num", text: num(u.bedrooms) }),
        h("td", { text: UNIT_STATUS[u.status] || u.status }),
        need ? h("td", { class: "score-cell" }, classBadge(score?.class || "unknown"), ` ${num(score?.score)} poeng`) : null);
    }))));
}

const COUNTED = ["suitable", "adaptable", "unsuitable", "unknown"];

/** "Egnet for 5, egnet etter tilpasning for 8 ..." instead of one reassuring word. */
function spread(results, keys) {
  const counts = Object.fromEntries(COUNTED.map((c) => [c, 0]));
  for (const key of keys) counts[results?.[key]?.class || "unknown"] += 1;
  return COUNTED.filter((c) => counts[c]).map((c) => `${CLASSES[c].label}: ${num(counts[c])}`).join(" · ");
}

function verdicts(title, id, rows, items) {
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id, text: title }),
    h("ul", { class: "plain verdicts" }, rows.map(([name, r]) => {
      const barriers = r?.barriers || [];
      return h("li", {}, h("details", {},
        h("summary", {}, `${name}: `, classBadge(r?.class || "unknown"),
          ` ${num(r?.score)} poeng · ${barriers.length ? `${num(barriers.length)} barrierer` : "ingen barrierer"}`),
        barrierList(barriers, items, "Ingen barrierer for denne gruppen."),
        (r?.unanswered || []).length ? h("p", { class: "hint", text: `${num(r.unanswered.length)} punkter er ikke besvart (dekning ${num(Math.round((r.coverage ?? 0) * 100))} %).` }) : null));
    })));
}

export async function renderDetail(main, [unitId], { user }) {
  const { limitations, profiles } = await labels();
  const planner = ["facility_manager", "admin"].includes(user.role);
  const reader = user.role !== "inspector";
  const heading = h("h1", { text: "Bolig" });
  const body = h("div", {});
  const chosen = { profile: null };
  const draw = async () => {
    const [unit, access] = await Promise.all([api(`/units/${unitId}`), api(`/units/${unitId}/accessibility`)]);
    heading.textContent = `${unit.address}, ${unit.unit_number}`;
    const facts = h("dl", { class: "facts" });
    for (const [k, v] of [["Krets", unit.district], ["Etasje", num(unit.floor)], ["Rom", num(unit.rooms)], ["Soverom", num(unit.bedrooms)],
      ["Areal", unit.area ? `${num(Number(unit.area))} m²` : "–"], ["Status", UNIT_STATUS[unit.status] || unit.status]]) {
      facts.append(h("dt", { text: k }), h("dd", { text: v }));
    }
    fill(body, facts);
    if (!access.assessed) {
      body.append(h("p", { class: "alert alert-info", text: access.detail || "Boligen er ikke vurdert ennå." }));
      return;
    }
    const { items } = await checklistItems(access.checklist.key, access.checklist.version);
    // Every measure against any of the unit's barriers, whichever group the barrier hits.
    const groups = [access.general, ...Object.values(access.limitations || {})];
    const measures = new Map(groups.flatMap((r) => r?.barriers || []).flatMap((b) => b.measures || []).map((m) => [m.id, m]));
    const general = access.general;
    body.append(
      h("section", { class: "card summary", "aria-labelledby": "summary-h" }, h("h2", { id: "summary-h", text: "Samlet" }),
        h("p", { text: `Funksjonsnedsettelser – ${spread(access.limitations, limitations.map((l) => l.key))}.` }),
        h("p", { text: `Aldersgrupper – ${spread(access.profiles, profiles.map((p) => p.key))}.` }),
        h("p", {}, `${GENERAL_LABEL} (krav som gjelder alle): `, classBadge(general?.class), ` ${num(general?.score)} poeng · dekning ${num(Math.round((general?.coverage ?? 0) * 100))} %`)),
      scoreChart("Poeng per funksjonsnedsettelse (100 er best)", limitations.map((l) => [nb(l.label), access.limitations?.[l.key]])),
      verdicts("Per funksjonsnedsettelse", "per-limitation-h", limitations.map((l) => [nb(l.label), access.limitations?.[l.key]]), items),
      verdicts("Per aldersgruppe", "per-profile-h", profiles.map((p) => [nb(p.label), access.profiles?.[p.key]]), items),
      h("section", { class: "card", "aria-labelledby": "all-h" }, h("h2", { id: "all-h", text: `Barrierer for ${GENERAL_LABEL.toLowerCase()}` }),
        barrierList(general?.barriers, items)),
      h("p", {}, h("a", { class: "btn", href: `/api/v1/units/${unitId}/report.pdf`, download: "", text: "Last ned rapport (PDF)" })));
    if (!reader) return;
    body.append(await upgradeOptions(unitId, limitations, profiles, chosen));
    if (measures.size) body.append(await overrides(unit, measures, planner, draw));
  };
  main.append(heading, body);
  await draw();
}
