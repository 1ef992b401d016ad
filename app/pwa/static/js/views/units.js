// Units: a filterable list, and a unit's scores per limitation and age group with barriers.

import { api, list } from "../api.js";
import { classBadge, scoreChart } from "../chart.js";
import { errorBox, field, fill, h } from "../dom.js";
import { CLASSES, UNIT_STATUS, kr, nb, num } from "../format.js";
import { labels } from "./labels.js";

export async function renderList(main) {
  const { limitations, profiles } = await labels();
  const q = h("input", { type: "search", name: "q" });
  const suitable = h("select", { name: "suitable_for" }, h("option", { value: "", text: "Alle" }),
    h("optgroup", { label: "Funksjonsnedsettelse" }, limitations.map((l) => h("option", { value: l.key, text: nb(l.label) }))),
    h("optgroup", { label: "Aldersgruppe" }, profiles.map((p) => h("option", { value: p.key, text: nb(p.label) }))));
  const cls = h("select", { name: "class" }, h("option", { value: "", text: "Alle" }),
    ["suitable", "adaptable"].map((c) => h("option", { value: c, text: `Minst: ${CLASSES[c].label}` })));
  const results = h("div", { "aria-live": "polite" });
  const search = async () => {
    const params = new URLSearchParams({ page_size: "50" });
    if (q.value) params.set("q", q.value);
    if (suitable.value) params.set("suitable_for", suitable.value);
    if (cls.value) params.set("class", cls.value);
    try {
      const { items, total } = await list(`/units?${params}`);
      results.replaceChildren(h("p", { text: `${num(total)} boliger.` }), unitTable(items));
    } catch (error) {
      results.replaceChildren(errorBox(error));
    }
  };
  main.append(h("h1", { text: "Boliger" }),
    h("form", { class: "card filters", onsubmit: (e) => { e.preventDefault(); search(); } },
      field("Søk (adresse eller boligkode)", q), field("Egnet for", suitable), field("Egnethet", cls),
      h("button", { type: "submit", class: "btn btn-primary" }, "Vis boliger")),
    results);
  await search();
}

function unitTable(units) {
  return h("div", { class: "table-wrap" }, h("table", {},
    h("caption", { class: "visually-hidden", text: "Boliger" }),
    h("thead", {}, h("tr", {}, ["Adresse", "Bolig", "Krets", "Soverom", "Status"].map((t) => h("th", { scope: "col", text: t })))),
    h("tbody", {}, units.map((u) => h("tr", {},
      h("td", {}, h("a", { href: `#/boliger/${u.id}`, text: u.address })),
      h("td", { text: u.unit_number }), h("td", { text: u.district }), h("td", { class: "num", text: num(u.bedrooms) }),
      h("td", { text: UNIT_STATUS[u.status] || u.status }))))));
}

export function barrierList(barriers, title = "Barrierer") {
  if (!barriers?.length) return h("p", { text: "Ingen barrierer registrert." });
  return h("section", {}, h("h3", { text: title }), h("ul", { class: "barriers" }, barriers.map((b) =>
    h("li", { class: "card" },
      h("p", {}, h("strong", { text: nb(b.question) || b.item_id })),
      h("p", { text: `Registrert verdi: ${b.value === true ? "Ja" : b.value === false ? "Nei" : num(b.value)} · Alvorlighet ${num(b.severity)} av 4` }),
      (b.photo_ids || []).length
        ? h("div", { class: "photos" }, b.photo_ids.map((id) =>
            h("a", { href: `/api/v1/photos/${id}`, target: "_blank", rel: "noopener" },
              h("img", { src: `/api/v1/photos/${id}/thumbnail`, alt: `Bilde av barrieren: ${nb(b.question) || b.item_id}`, width: "120", height: "90" }))))
        : null,
      (b.measures || []).length
        ? h("ul", {}, b.measures.map((m) => h("li", { text: `Tiltak: ${nb(m.name)} – ca. ${kr(m.cost?.typical)} (${kr(m.cost?.low)}–${kr(m.cost?.high)})${m.feasible === false ? ", vanskelig å gjennomføre" : ""}` })))
        : null))));
}

export async function renderDetail(main, [unitId], { user }) {
  const unit = await api(`/units/${unitId}`);
  const access = await api(`/units/${unitId}/accessibility`);
  const { limitations, profiles } = await labels();
  main.append(h("h1", { text: `${unit.address}, ${unit.unit_number}` }));
  const facts = h("dl", { class: "facts" });
  for (const [k, v] of [["Krets", unit.district], ["Etasje", num(unit.floor)], ["Rom", num(unit.rooms)], ["Soverom", num(unit.bedrooms)],
    ["Areal", unit.area ? `${num(Number(unit.area))} m²` : "–"], ["Status", UNIT_STATUS[unit.status] || unit.status]]) {
    facts.append(h("dt", { text: k }), h("dd", { text: v }));
  }
  main.append(facts);
  if (!access.assessed) {
    main.append(h("p", { class: "alert alert-info", text: access.detail || "Boligen er ikke vurdert ennå." }));
    return;
  }
  main.append(
    h("p", {}, "Samlet: ", classBadge(access.general?.class), ` · dekning ${num(Math.round((access.general?.coverage ?? 0) * 100))} %`),
    scoreChart("Poeng per funksjonsnedsettelse (100 er best)", limitations.map((l) => [nb(l.label), access.limitations?.[l.key]])),
    scoreChart("Poeng per aldersgruppe", profiles.map((p) => [nb(p.label), access.profiles?.[p.key]])),
    barrierList(access.general?.barriers));
  if (["facility_manager", "admin"].includes(user.role)) main.append(upgradeOptions(unitId, limitations, profiles));
}

function upgradeOptions(unitId, limitations, profiles) {
  const select = h("select", { name: "profile" },
    h("optgroup", { label: "Funksjonsnedsettelse" }, limitations.map((l) => h("option", { value: l.key, text: nb(l.label) }))),
    h("optgroup", { label: "Aldersgruppe" }, profiles.map((p) => h("option", { value: p.key, text: nb(p.label) }))));
  const out = h("div", { "aria-live": "polite" });
  return h("section", { class: "card" }, h("h2", { text: "Hva skal til for å gjøre boligen egnet?" }),
    h("form", { onsubmit: async (e) => {
      e.preventDefault();
      try {
        const r = await api(`/units/${unitId}/upgrade-options?profile=${select.value}`);
        fill(out,
          h("p", { text: r.reachable ? `Kan bli egnet for ca. ${kr(r.cost?.typical)} (${kr(r.cost?.low)}–${kr(r.cost?.high)}).` : "Kan ikke bli egnet med tiltakene i katalogen." }),
          h("ul", {}, (r.measures || []).map((m) => h("li", { text: `${nb(m.name)} – ${kr(m.cost?.typical)}` }))),
          (r.reasons || []).length ? h("ul", {}, r.reasons.map((t) => h("li", { text: t }))) : null);
      } catch (error) {
        out.replaceChildren(errorBox(error));
      }
    } }, field("Behov", select), h("button", { type: "submit", class: "btn" }, "Vis tiltak")), out);
}
