// The upgrade options of one unit and the feasibility of measures there (unit page parts).

import { api } from "../api.js";
import { classBadge } from "../chart.js";
import { announce, button, errorBox, field, fill, h, tableBox } from "../dom.js";
import { kr, nb, num } from "../format.js";

const UNREACHABLE = {
  infeasible: "Tiltakene som trengs, er vurdert som ikke gjennomførbare her.",
  no_measure: "Tiltakskatalogen har ingen tiltak mot alle hindringene.",
  unknown: "Boligen mangler svar fra befaringen og kan ikke vurderes ennå.",
};
const SCOPE = { unit: "Boligen", building: "Bygget", flight: "Per trappeløp" };

export async function upgradeOptions(unitId, limitations, profiles, chosen) {
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
    h("p", { text: `Kan bli egnet for ca. ${kr(r.cost?.typical)} (${kr(r.cost?.low)}–${kr(r.cost?.high)})${r.annual_cost?.typical ? `, pluss ca. ${kr(r.annual_cost.typical)} i året` : ""}. Poeng: ${num(r.score_before)} nå, ${num(r.resulting_score)} etter tiltakene.` }),
    h("div", tableBox("Billigste tiltak som gjør boligen egnet"), h("table", {},
      h("caption", { text: "Billigste tiltak som gjør boligen egnet" }),
      h("thead", {}, h("tr", {}, ["Tiltak", "NS 3451", "Gjelder", "Typisk kostnad", "Spenn"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, r.measures.map((m) => h("tr", {},
        h("th", { scope: "row", text: nb(m.name) }), h("td", { text: m.ns3451 || "–" }), h("td", { text: SCOPE[m.scope] || m.scope }),
        h("td", { class: "num", text: kr(m.cost?.typical) }), h("td", { class: "num", text: `${kr(m.cost?.low)}–${kr(m.cost?.high)}` })))))),
    r.also_suitable?.length ? h("p", { text: `Blir også egnet for: ${r.also_suitable.map((k) => name[k] || k).join(", ")}.` }) : null];
}

/** Which measures cannot be done here (listed for all; set and removed by managers). */
export async function overrides(unit, measures, planner, redraw) {
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
    ? h("div", tableBox("Gjennomførbarhet per tiltak"), h("table", {},
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
