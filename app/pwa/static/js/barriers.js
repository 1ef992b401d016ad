// A barrier as a person reads it: the registered value with its unit ("650 mm"), the
// requirement ("krav ≥ 860 mm") and its source ("TEK17 §12-15, forskrift"), photos, and the
// measures cheapest first. The accessibility result carries these fields; where an older
// result lacks them they come from the checklist item itself.

import { answerType } from "./checklist.js";
import { h } from "./dom.js";
import { kr, nb, num } from "./format.js";

const KIND = { regulation: "forskrift", guidance: "veiledning", recommendation: "anbefaling" };
const SEVERITY = { 1: "liten", 2: "moderat", 3: "stor", 4: "hindrer bruk" };

export function valueText(b, item) {
  const v = b.answer ?? b.value;
  const unit = b.unit ?? item?.unit;
  if (v === true) return "Ja";
  if (v === false) return "Nei";
  if (typeof v === "number") return unit ? `${num(v)} ${unit}` : num(v);
  const choice = item?.choices?.find((c) => c.key === v);
  return choice ? nb(choice.label) : v ?? "–";
}

export function requirementText(b, item) {
  const given = nb(b.requirement_text);
  if (given) return given;
  const req = b.requirement ?? item?.requirement;
  const unit = b.unit ?? item?.unit ?? "";
  if (req?.min !== null && req?.min !== undefined) return `krav ≥ ${num(req.min)} ${unit}`.trim();
  if (req?.max !== null && req?.max !== undefined) return `krav ≤ ${num(req.max)} ${unit}`.trim();
  if (answerType(item).judged_by === "yes") return "krav: Ja";
  return "";
}

export function sourceText(b, item) {
  const ref = b.reference ?? item?.reference;
  if (!ref?.source) return "";
  return [ref.source, ref.clause].filter(Boolean).join(" ") + (KIND[ref.kind] ? ` (${KIND[ref.kind]})` : "");
}

const cheapestFirst = (measures) => [...(measures || [])].sort((a, b) => (a.cost?.typical ?? 0) - (b.cost?.typical ?? 0));

/** One barrier as a list item; `items` maps item ids to checklist items (may be empty). */
export function barrierItem(b, items) {
  const item = items?.get(b.item_id);
  const requirement = requirementText(b, item);
  const source = sourceText(b, item);
  const measures = cheapestFirst(b.measures);
  const feasible = measures.filter((m) => m.feasible !== false);
  return h("li", { class: "barrier" },
    h("p", {}, h("strong", { text: nb(b.question) || nb(item?.question) || b.item_id })),
    h("p", { text: `Registrert: ${valueText(b, item)}${requirement ? ` · ${requirement}` : ""}` }),
    source ? h("p", { class: "hint", text: `Kilde: ${source}` }) : null,
    h("p", { class: "hint", text: `Alvorlighet: ${SEVERITY[b.severity] || num(b.severity)} (${num(b.severity)} av 4)` }),
    (b.photo_ids || []).length
      ? h("div", { class: "photos" }, b.photo_ids.map((id) =>
          h("a", { href: `/api/v1/photos/${id}`, target: "_blank", rel: "noopener" },
            h("img", { src: `/api/v1/photos/${id}/thumbnail`, alt: `Bilde av barrieren: ${nb(b.question) || b.item_id}`, width: "120", height: "90" }))))
      : null,
    b.no_feasible_measure || (measures.length && !feasible.length)
      ? h("p", { class: "alert alert-warning", text: "Ingen gjennomførbare tiltak fjerner denne barrieren." })
      : null,
    measures.length
      ? h("ul", { class: "measures" }, measures.map((m, i) => h("li", {
          text: `${i === 0 && m.feasible !== false ? "Billigste tiltak" : "Tiltak"}: ${nb(m.name)} – ca. ${kr(m.cost?.typical)} (${kr(m.cost?.low)}–${kr(m.cost?.high)}${m.cost?.year ? `, ${m.cost.year}-priser` : ""})${m.feasible === false ? ", ikke gjennomførbart her" : ""}`,
        })))
      : null);
}

export function barrierList(barriers, items, empty = "Ingen barrierer registrert.") {
  if (!barriers?.length) return h("p", { text: empty });
  return h("ul", { class: "barriers plain" }, barriers.map((b) => barrierItem(b, items)));
}
