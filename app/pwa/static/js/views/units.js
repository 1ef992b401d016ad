// Units: a filterable list, and a unit's scores per limitation and age group with barriers.

import { api, list } from "../api.js";
import { classBadge, scoreChart } from "../chart.js";
import { announce, button, errorBox, field, fill, h } from "../dom.js";
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

const answerText = (v) => (v === true ? "Ja" : v === false ? "Nei" : typeof v === "number" ? num(v) : v ?? "–");

export function barrierList(barriers, title = "Barrierer") {
  if (!barriers?.length) return h("p", { text: "Ingen barrierer registrert." });
  return h("section", {}, h("h3", { text: title }), h("ul", { class: "barriers" }, barriers.map((b) =>
    h("li", { class: "card" },
      h("p", {}, h("strong", { text: nb(b.question) || b.item_id })),
      h("p", { text: `Registrert verdi: ${answerText(b.answer ?? b.value)} · Alvorlighet ${num(b.severity)} av 4` }),
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
    const measures = new Map((access.general?.barriers || []).flatMap((b) => b.measures || []).map((m) => [m.id, m]));
    body.append(
      h("p", {}, "Samlet: ", classBadge(access.general?.class), ` · dekning ${num(Math.round((access.general?.coverage ?? 0) * 100))} %`),
      scoreChart("Poeng per funksjonsnedsettelse (100 er best)", limitations.map((l) => [nb(l.label), access.limitations?.[l.key]])),
      scoreChart("Poeng per aldersgruppe", profiles.map((p) => [nb(p.label), access.profiles?.[p.key]])),
      barrierList(access.general?.barriers),
      h("p", {}, h("a", { class: "btn", href: `/api/v1/units/${unitId}/report.pdf`, download: "", text: "Last ned rapport (PDF)" })));
    if (!reader) return;
    body.append(await upgradeOptions(unitId, limitations, profiles, chosen));
    if (measures.size) body.append(await overrides(unit, measures, planner, draw));
  };
  main.append(heading, body);
  await draw();
}

const UNREACHABLE = {
  infeasible: "Tiltakene som trengs, er vurdert som ikke gjennomførbare her.",
  no_measure: "Tiltakskatalogen har ingen tiltak mot alle hindringene.",
  unknown: "Boligen mangler svar fra befaringen og kan ikke vurderes ennå.",
};
const SCOPE = { unit: "Boligen", building: "Bygget" };

async function upgradeOptions(unitId, limitations, profiles, chosen) {
  const name = Object.fromEntries([...limitations, ...profiles].map((x) => [x.key, nb(x.label)]));
  const select = h("select", { name: "profile" },
    h("optgroup", { label: "Funksjonsnedsettelse" }, limitations.map((l) => h("option", { value: l.key, text: nb(l.label), selected: chosen.profile === l.key }))),
    h("optgroup", { label: "Aldersgruppe" }, profiles.map((p) => h("option", { value: p.key, text: nb(p.label), selected: chosen.profile === p.key }))));
  const out = h("div", { class: "upgrade", "aria-live": "polite" });
  const show = async () => {
    chosen.profile = select.value;
    try {
      fill(out, upgradeView(await api(`/units/${unitId}/upgrade-options?profile=${encodeURIComponent(select.value)}`), name));
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  };
  if (chosen.profile) await show();
  return h("section", { class: "card", "aria-labelledby": "upgrade-h" }, h("h2", { id: "upgrade-h", text: "Hva skal til for å gjøre boligen egnet?" }),
    h("form", { onsubmit: (e) => { e.preventDefault(); show(); } }, field("Behov", select), h("button", { type: "submit", class: "btn" }, "Vis tiltak")), out);
}

function upgradeView(r, name) {
  const now = h("p", { class: "class-now" }, `Nå for ${name[r.target] || r.target}: `, classBadge(r.class_before));
  if (!r.reachable) {
    return [now, h("p", { class: "alert alert-warning", text: `Kan ikke bli egnet. ${UNREACHABLE[r.reason] || ""}` }), r.detail ? h("p", { text: r.detail }) : null];
  }
  if (!r.measures.length) return [now, h("p", { text: "Boligen er allerede egnet; ingen tiltak trengs." })];
  return [now,
    h("p", { text: `Kan bli egnet for ca. ${kr(r.cost?.typical)} (${kr(r.cost?.low)}–${kr(r.cost?.high)}). Poeng: ${num(r.score_before)} nå, ${num(r.resulting_score)} etter tiltakene.` }),
    h("div", { class: "table-wrap" }, h("table", {},
      h("caption", { text: "Billigste tiltak som gjør boligen egnet" }),
      h("thead", {}, h("tr", {}, ["Tiltak", "NS 3451", "Gjelder", "Typisk kostnad", "Spenn"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, r.measures.map((m) => h("tr", {},
        h("th", { scope: "row", text: nb(m.name) }), h("td", { text: m.ns3451 || "–" }), h("td", { text: SCOPE[m.scope] || m.scope }),
        h("td", { class: "num", text: kr(m.cost?.typical) }), h("td", { class: "num", text: `${kr(m.cost?.low)}–${kr(m.cost?.high)}` })))))),
    r.also_suitable?.length ? h("p", { text: `Blir også egnet for: ${r.also_suitable.map((k) => name[k] || k).join(", ")}.` }) : null];
}

/** Which measures cannot be done here (listed for all; set and removed by managers). */
async function overrides(unit, measures, planner, redraw) {
  const [own, building] = await Promise.all([
    api(`/feasibility-overrides?unit_id=${unit.id}`), api(`/feasibility-overrides?building_id=${unit.building_id}`)]);
  const rows = [...own, ...building];
  const out = h("div", { "aria-live": "polite" });
  const measureName = (id) => nb(measures.get(id)?.name) || id;
  const remove = async (row) => {
    try {
      await api(`/feasibility-overrides/${row.id}`, { method: "DELETE" });
      announce("Vurderingen er fjernet.");
      await redraw();
      document.getElementById("feasible-h")?.focus();
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  };
  const table = rows.length
    ? h("div", { class: "table-wrap" }, h("table", {},
        h("caption", { text: "Registrerte vurderinger av gjennomførbarhet" }),
        h("thead", {}, h("tr", {}, ["Tiltak", "Gjelder", "Vurdering", "Begrunnelse", planner ? "Handling" : null].filter(Boolean).map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, rows.map((row) => h("tr", {},
          h("th", { scope: "row", text: measureName(row.measure_id) }),
          h("td", { text: row.unit_id ? "Boligen" : "Hele bygget" }),
          h("td", { text: row.feasible ? "Gjennomførbart" : "Ikke gjennomførbart" }),
          h("td", { text: row.reason }),
          planner ? h("td", {}, button(`Fjern vurderingen av ${measureName(row.measure_id)}`, () => remove(row), "btn")) : null)))))
    : h("p", { text: "Ingen vurderinger registrert; tiltakskatalogens standard gjelder." });
  const section = h("section", { class: "card", "aria-labelledby": "feasible-h" }, h("h2", { id: "feasible-h", tabindex: "-1", text: "Gjennomførbarhet av tiltak" }), table);
  if (!planner) return section;
  const measure = h("select", { name: "measure_id" }, [...measures.values()].map((m) => h("option", { value: m.id, text: nb(m.name) })));
  const scope = h("select", { name: "scope" }, h("option", { value: "unit", text: "Denne boligen" }), h("option", { value: "building", text: "Hele bygget" }));
  const feasible = h("select", { name: "feasible" }, h("option", { value: "false", text: "Ikke gjennomførbart" }), h("option", { value: "true", text: "Gjennomførbart" }));
  const reason = h("textarea", { name: "reason", rows: "2", required: true });
  section.append(h("form", { onsubmit: async (e) => {
    e.preventDefault();
    const json = { measure_id: measure.value, feasible: feasible.value === "true", reason: reason.value.trim() };
    if (scope.value === "unit") json.unit_id = unit.id;
    else json.building_id = unit.building_id;
    try {
      await api("/feasibility-overrides", { method: "PUT", json });
      announce("Vurderingen er lagret, og boligen er vurdert på nytt.");
      await redraw();
      document.getElementById("feasible-h")?.focus();
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  } },
  h("h3", { text: "Registrer vurdering" }),
  field("Tiltak", measure), field("Gjelder", scope), field("Vurdering", feasible),
  field("Begrunnelse", reason, "For eksempel: fredet fasade, for bratt tomt."),
  h("button", { type: "submit", class: "btn btn-primary" }, "Lagre vurdering"), out));
  return section;
}
