// A household's matches with the reasons that convince (per need: class, score, the barriers
// left and the measures), and its offers: "Tilby bolig", then accepted, declined or withdrawn.

import { api } from "../api.js";
import { barrierList } from "../barriers.js";
import { classBadge } from "../chart.js";
import { announce, button, errorBox, field, h } from "../dom.js";
import { OFFER_STATUS, dateTime, kr, nb, num } from "../format.js";
import { checklistItems } from "./labels.js";

const LEVEL = { required: "må oppfylles", preferred: "ønskelig" };

/** The barriers per need of the household, read from the unit's current assessment. */
async function needBarriers(unitId, applicant, name) {
  const access = await api(`/units/${unitId}/accessibility`);
  if (!access.assessed) return h("p", { text: "Boligen er ikke vurdert." });
  const { items } = await checklistItems(access.checklist.key, access.checklist.version);
  return h("div", {}, applicant.needs.map((need) => {
    const r = access.limitations?.[need.limitation];
    return h("section", { class: "need" },
      h("h4", {}, `${name[need.limitation] || need.limitation} (${LEVEL[need.level]}): `, classBadge(r?.class || "unknown"), ` ${num(r?.score)} poeng`),
      barrierList(r?.barriers, items, "Ingen barrierer igjen for dette behovet."));
  }));
}

function reasonsPanel(m, applicant, name) {
  const body = h("div", { "aria-live": "polite" });
  let loaded = false;
  return h("details", {
    class: "reasons-panel",
    ontoggle: async (event) => {
      if (!event.target.open || loaded) return;
      loaded = true;
      body.replaceChildren(h("p", { text: "Henter barrierer …" }));
      try {
        body.replaceChildren(await needBarriers(m.unit_id, applicant, name));
      } catch (error) {
        loaded = false;
        body.replaceChildren(errorBox(error));
      }
    },
  }, h("summary", { text: `Barrierer og tiltak per behov: ${m.address}, ${m.unit_number}` }), body);
}

export function matchList(data, name, applicant, reload) {
  if (!data.matches.length) return h("p", { text: "Ingen vurderte ledige boliger passer husstanden nå." });
  const canOffer = applicant.status === "waiting";
  return h("div", {},
    h("p", { text: `${num(data.total ?? data.matches.length)} boliger passer.` }),
    h("ol", { class: "cards matches" }, data.matches.map((m) => h("li", { class: "card match" },
      h("h3", {}, h("a", { href: `#/boliger/${m.unit_id}`, text: `${m.rank}. ${m.address}, ${m.unit_number}` })),
      h("p", { text: `${m.district} · ${num(m.bedrooms)} soverom · samlet ${num(m.profile_score)} poeng` }),
      h("ul", { class: "plain needs-summary" }, Object.entries(m.needs || {}).map(([key, n]) =>
        h("li", {}, `${name[key] || key} (${LEVEL[n.level] || n.level}): `, classBadge(n.class), ` ${num(n.score)} poeng`))),
      m.reasons?.length ? h("div", {}, h("h4", { text: "Begrunnelse" }), h("ul", { class: "reasons" }, m.reasons.map((r) => h("li", { text: r })))) : null,
      m.measures?.length
        ? h("p", { text: `Tiltak som trengs: ${m.measures.map((x) => nb(x.name)).join(", ")} – ca. ${kr(m.cost?.typical)}` })
        : null,
      reasonsPanel(m, applicant, name),
      canOffer && m.status === "vacant" ? offerButton(applicant, m, reload) : null))),
    data.not_assessed?.length
      ? h("details", {}, h("summary", { text: `${data.not_assessed.length} aktuelle boliger er ikke befart` }),
          h("ul", {}, data.not_assessed.map((u) => h("li", { text: `${u.address}, ${u.unit_number} (${u.district})` }))))
      : null);
}

function offerButton(applicant, m, reload) {
  const out = h("div", { "aria-live": "polite" });
  return h("div", { class: "actions" },
    button(`Tilby bolig: ${m.address}, ${m.unit_number}`, async () => {
      try {
        await api(`/applicants/${applicant.id}/offers`, { method: "POST", json: { unit_id: m.unit_id } });
        announce(`Boligen ${m.address}, ${m.unit_number} er tilbudt husstanden.`);
        reload();
      } catch (error) {
        out.replaceChildren(errorBox(error));
      }
    }, "btn btn-primary"), out);
}

export async function offersSection(applicant, reload) {
  const offers = await api(`/applicants/${applicant.id}/offers`);
  const section = h("section", { class: "card offers", "aria-labelledby": "offers-h" }, h("h2", { id: "offers-h", text: "Tilbud om bolig" }));
  if (!offers.length) {
    section.append(h("p", { text: "Husstanden har ikke fått tilbud ennå." }));
    return section;
  }
  section.append(h("ul", { class: "plain" }, offers.map((o) => h("li", { class: "offer" },
    h("p", {}, h("a", { href: `#/boliger/${o.unit_id}`, text: `${o.address}, ${o.unit_number}` }), ` – ${OFFER_STATUS[o.status] || o.status}`),
    h("p", { class: "hint", text: `Tilbudt ${dateTime(o.offered_at)}${o.decided_at ? ` · avgjort ${dateTime(o.decided_at)}` : ""}${o.reason ? ` · begrunnelse: ${o.reason}` : ""}` }),
    o.status === "offered" ? decision(applicant, o, reload) : null))));
  return section;
}

function decision(applicant, offer, reload) {
  const out = h("div", { "aria-live": "polite" });
  const reason = h("textarea", { name: "reason", rows: "2" });
  const decide = (status, message) => async () => {
    const json = { status };
    if (reason.value.trim()) json.reason = reason.value.trim();
    try {
      await api(`/applicants/${applicant.id}/offers/${offer.id}`, { method: "PATCH", json });
      announce(message);
      reload();
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  };
  return h("div", {},
    field("Begrunnelse (påkrevd når husstanden takker nei)", reason),
    h("div", { class: "actions" },
      button("Takket ja", decide("accepted", "Husstanden har takket ja og er bosatt."), "btn btn-primary"),
      button("Takket nei", decide("declined", "Husstanden har takket nei. Boligen er ledig igjen.")),
      button("Trekk tilbake tilbudet", decide("withdrawn", "Tilbudet er trukket tilbake."))),
    out);
}
