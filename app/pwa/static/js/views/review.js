// Manager review: submitted inspections, their answers and photos read-only, approve or
// return to the inspector with a comment.

import { api, list } from "../api.js";
import { announce, append, button, errorBox, field, h } from "../dom.js";
import { dateTime, nb } from "../format.js";
import { valueText } from "./item.js";

export async function renderList(main) {
  const { items } = await list("/inspections?status=submitted&page_size=100");
  main.append(h("h1", { text: "Til godkjenning" }),
    items.length
      ? h("ul", { class: "cards" }, items.map((i) => h("li", { class: "card" },
          h("h2", {}, h("a", { href: `#/godkjenning/${i.id}`, text: `${i.address || "Bolig"} ${i.unit_number || ""}`.trim() })),
          h("p", { text: `Sendt inn ${dateTime(i.submitted_at)}` }))))
      : h("p", { text: "Ingen befaringer venter på godkjenning." }));
}

export async function renderDetail(main, [id], { navigate }) {
  const inspection = await api(`/inspections/${id}`);
  const definition = await api(`/checklists/${inspection.checklist_key}/versions/${inspection.checklist_version}`);
  const answers = Object.fromEntries(inspection.answers.map((a) => [a.item_id, a]));
  const photos = {};
  for (const p of inspection.photos || []) (photos[p.item_id || ""] ||= []).push(p);
  const title = `${inspection.address || "Bolig"} ${inspection.unit_number || ""}`.trim();
  const submitted = inspection.status === "submitted";

  const sections = definition.sections.map((section) => {
    const rows = section.items.filter((item) => answers[item.id] || photos[item.id]);
    if (!rows.length) return null;
    return h("section", { class: "card" }, h("h2", { text: nb(section.title) }),
      h("dl", { class: "answers" }, rows.flatMap((item) => [
        h("dt", { text: nb(item.question) }),
        h("dd", {}, valueText(item, answers[item.id]),
          answers[item.id]?.note ? h("p", { class: "hint", text: `Notat: ${answers[item.id].note}` }) : null,
          photoList(photos[item.id], nb(item.question))),
      ])));
  });

  const result = h("div", { "aria-live": "polite" });
  const comment = h("textarea", { name: "comment", rows: "3", "aria-required": "true" });
  const decide = async (path, json, message) => {
    try {
      await api(`/inspections/${id}/${path}`, { method: "POST", json });
      announce(message);
      navigate("godkjenning");
    } catch (error) {
      result.replaceChildren(errorBox(error));
    }
  };
  const actions = submitted
    ? h("section", { class: "card", "aria-labelledby": "decide-h" },
        h("h2", { id: "decide-h", text: "Vurdering" }),
        button("Godkjenn", () => decide("approve", undefined, "Befaringen er godkjent."), "btn btn-primary"),
        h("form", { onsubmit: (event) => {
          event.preventDefault();
          if (!comment.value.trim()) {
            result.replaceChildren(h("p", { class: "alert alert-error", role: "alert", text: "Skriv en kommentar til befareren om hva som må rettes." }));
            comment.focus();
            return;
          }
          decide("return", { comment: comment.value.trim() }, "Befaringen er sendt tilbake til befareren.");
        } },
        field("Kommentar til befareren (påkrevd for å sende tilbake)", comment),
        h("button", { type: "submit", class: "btn" }, "Send tilbake")),
        result)
    : h("p", { class: "alert alert-info", text: "Befaringen venter ikke på godkjenning." });

  append(main, [h("h1", { text: `Godkjenning: ${title}` }),
    h("p", { text: `Sendt inn ${dateTime(inspection.submitted_at)}` }),
    inspection.status === "draft" ? null
      : h("p", {}, h("a", { class: "btn", href: `/api/v1/inspections/${id}/report.pdf`, download: "", text: "Last ned befaringsrapport (PDF)" })),
    photoList(photos[""], "Bilde uten punkt"),
    sections, actions]);
}

function photoList(photos, label) {
  if (!photos?.length) return null;
  return h("ul", { class: "photos" }, photos.map((p) => h("li", {},
    h("a", { href: p.url, target: "_blank", rel: "noopener" },
      h("img", { src: p.thumbnail_url, alt: `Bilde: ${p.caption || label}`, width: "96", height: "72" })))));
}
