// Review: submitted inspections, page by page; one inspection with its deviations first
// (requirement, photo, the previous approved value), what changed since the last approved
// inspection, every answer by section, and a comment per item that goes back to the
// inspector with the returned inspection. A repeated section ("Bad 1", "Bad ved soverom")
// shows each instance apart, in position order; its answers, photos and comments are keyed
// by item and instance.

import { api, list } from "../api.js";
import { fetchDefinition, judge, requirementText } from "../checklist.js";
import { announce, append, errorBox, field, h, tableBox } from "../dom.js";
import { INSPECTION_STATUS, dateTime, nb, num } from "../format.js";
import { choice, keepState, pager, whole } from "../listing.js";
import { sourceText } from "../barriers.js";
import { valueText } from "./item.js";
import { answerKey, labelFor, repeats } from "../instances.js";

const PAGE_SIZE = 25;

export async function renderList(main, _params, { query }) {
  const status = choice("status", Object.entries(INSPECTION_STATUS), query.get("status") || "submitted");
  const out = h("div", { "aria-live": "polite" });
  const show = async (page) => {
    keepState("godkjenning", new URLSearchParams({ status: status.value, side: String(page) }));
    try {
      const { items, total } = await list(`/inspections?status=${status.value}&page=${page}&page_size=${PAGE_SIZE}`);
      out.replaceChildren(
        items.length
          ? h("ul", { class: "cards" }, items.map((i) => h("li", { class: "card" },
              h("h2", {}, h("a", { href: `#/godkjenning/${i.id}`, text: `${i.address || "Bolig"} ${i.unit_number || ""}`.trim() })),
              h("p", { text: i.submitted_at ? `Sendt inn ${dateTime(i.submitted_at)}` : `Opprettet ${dateTime(i.created_at)}` }))))
          : h("p", { text: status.value === "submitted" ? "Ingen befaringer venter på godkjenning." : "Ingen befaringer med denne statusen." }),
        total > PAGE_SIZE ? pager({ page, pageSize: PAGE_SIZE, total, label: "befaringer", onPage: show }) : "");
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  };
  main.append(h("h1", { text: "Til godkjenning" }),
    h("form", { class: "card filters", onsubmit: (e) => { e.preventDefault(); show(1); } },
      field("Status", status), h("button", { type: "submit", class: "btn" }, "Vis befaringer")),
    out);
  await show(whole(query, "side", 1));
}

function photoList(photos, label) {
  if (!photos?.length) return null;
  return h("ul", { class: "photos" }, photos.map((p) => h("li", {},
    h("a", { href: p.url, target: "_blank", rel: "noopener" },
      h("img", { src: p.thumbnail_url, alt: `Bilde: ${p.caption || label}`, width: "96", height: "72" })))));
}

export async function renderDetail(main, [id], { navigate }) {
  const [inspection, changes] = await Promise.all([api(`/inspections/${id}`), api(`/inspections/${id}/changes`)]);
  const definition = await fetchDefinition(inspection.checklist_key, inspection.checklist_version);
  const answers = Object.fromEntries(inspection.answers.map((a) => [answerKey(a.item_id, a.instance), a]));
  const photos = {};
  for (const p of inspection.photos || []) (photos[p.item_id ? answerKey(p.item_id, p.instance) : ""] ||= []).push(p);
  const previous = Object.fromEntries(changes.changes.map((c) => [answerKey(c.item_id, c.instance), c]));
  const existing = Object.fromEntries((inspection.item_comments || []).map((c) => [answerKey(c.item_id, c.instance), c.text]));
  // Per section, the instances to show: [null] for a section that does not repeat; for a
  // repeated one its instances by position, plus any instance an answer or photo names.
  const sectionOf = new Map();
  for (const section of definition.sections) for (const item of section.items) sectionOf.set(item.id, section);
  const instancesOf = (section) => {
    if (!repeats(section)) return [null];
    const listed = (inspection.instances?.[section.id] || []).map((i) => ({ ...i }));
    const known = new Set(listed.map((i) => i.number));
    const mentioned = [...inspection.answers, ...(inspection.photos || [])]
      .filter((a) => a.item_id && sectionOf.get(a.item_id) === section).map((a) => a.instance || 1);
    for (const number of mentioned) {
      if (known.has(number)) continue;
      known.add(number);
      listed.push({ number, label: labelFor(section, number), position: Number.MAX_SAFE_INTEGER });
    }
    return listed.sort((a, b) => a.position - b.position || a.number - b.number);
  };
  const instanceLabel = (itemId, number) => {
    const section = sectionOf.get(itemId);
    if (!repeats(section)) return null;
    return (inspection.instances?.[section.id] || []).find((i) => i.number === (number || 1))?.label
      || labelFor(section, number || 1);
  };
  const named = (text, instance) => (instance ? `${instance.label}: ${text}` : text);
  const title = `${inspection.address || "Bolig"} ${inspection.unit_number || ""}`.trim();
  const submitted = inspection.status === "submitted";
  const comments = new Map();
  // One comment box per item and instance; outside repeated sections keyed, named and sent
  // as before (no instance).
  const commentBox = (item, instance) => {
    const key = answerKey(item.id, instance?.number);
    if (!submitted) return existing[key] ? h("p", { class: "hint", text: `Kommentar: ${existing[key]}` }) : null;
    let entry = comments.get(key);
    if (!entry) {
      const box = h("textarea", {
        name: instance ? `comment-${item.id}-${instance.number}` : `comment-${item.id}`, rows: "2", value: existing[key] || "",
      });
      entry = { itemId: item.id, instance: instance?.number, box };
      comments.set(key, entry);
    }
    return h("details", { class: "item-comment", open: Boolean(existing[key]) },
      h("summary", { text: "Kommentar til punktet" }),
      field(`Kommentar til punktet: ${named(nb(item.question), instance)}`, entry.box));
  };

  const rows = definition.sections.flatMap((section) => instancesOf(section).flatMap((instance) => section.items
    .map((item) => ({ item, key: answerKey(item.id, instance?.number) }))
    .filter(({ key }) => answers[key] || photos[key])
    .map(({ item, key }) => ({ section, instance, item, key, answer: answers[key], verdict: judge(item, answers[key]) }))));
  const deviations = rows.filter((r) => r.verdict.pass === false);
  const wasText = (item, key) => {
    const change = previous[key];
    if (!change || !changes.previous_inspection_id) return null;
    return change.previous ? valueText(item, change.previous) : "ikke besvart";
  };

  const deviationCard = ({ section, instance, item, key, answer }) => {
    const was = wasText(item, key);
    const source = sourceText({}, item);
    return h("li", { class: "card deviation" },
      h("p", { class: "hint", text: instance ? `${nb(section.title)}: ${instance.label}` : nb(section.title) }),
      h("h3", {}, h("span", { "aria-hidden": "true", text: "✗ " }), nb(item.question)),
      h("p", { text: `Registrert: ${valueText(item, answer)}. ${requirementText(item) || "Krav: Ja."}` }),
      source ? h("p", { class: "hint", text: `Kilde: ${source}` }) : null,
      was !== null ? h("p", { text: `Forrige godkjente befaring: ${was}` }) : null,
      answer?.note ? h("p", { class: "hint", text: `Notat: ${answer.note}` }) : null,
      photoList(photos[key], named(nb(item.question), instance)) || h("p", { class: "hint", text: "Ingen bilde." }),
      commentBox(item, instance));
  };

  const changed = changes.changes.filter((c) => !c.carried_over || c.previous?.value !== c.current?.value);
  const itemById = new Map(rows.map((r) => [r.item.id, r.item]));
  for (const section of definition.sections) for (const item of section.items) itemById.set(item.id, item);
  const changeTable = !changes.previous_inspection_id
    ? h("p", { text: "Boligen har ingen tidligere godkjent befaring å sammenligne med." })
    : changed.length
      ? h("div", tableBox("Endringer siden forrige godkjente befaring"), h("table", {},
          h("caption", { text: "Endringer siden forrige godkjente befaring" }),
          h("thead", {}, h("tr", {}, ["Punkt", "Før", "Nå"].map((t) => h("th", { scope: "col", text: t })))),
          h("tbody", {}, changed.map((c) => {
            const item = itemById.get(c.item_id);
            const label = instanceLabel(c.item_id, c.instance);
            const question = nb(item?.question) || c.item_id;
            return h("tr", {}, h("th", { scope: "row", text: label ? `${label}: ${question}` : question }),
              h("td", { text: c.previous ? valueText(item, c.previous) : "ikke besvart" }),
              h("td", { text: c.current ? valueText(item, c.current) : "ikke besvart" }));
          }))))
      : h("p", { text: "Ingen endringer siden forrige godkjente befaring." });

  const sections = definition.sections.map((section) => {
    const mine = rows.filter((r) => r.section === section);
    if (!mine.length) return null;
    const failed = mine.filter((r) => r.verdict.pass === false).length;
    const answerList = (list) => h("dl", { class: "answers" }, list.flatMap(({ instance, item, key, answer, verdict }) => [
      h("dt", { class: verdict.pass === false ? "deviates" : null },
        verdict.pass === false ? h("span", { class: "mark-fail", text: "Avvik: " }) : null, nb(item.question)),
      h("dd", {}, valueText(item, answer),
        answer?.note ? h("p", { class: "hint", text: `Notat: ${answer.note}` }) : null,
        photoList(photos[key], named(nb(item.question), instance)),
        verdict.pass === false ? null : commentBox(item, instance)),
    ]));
    const summary = h("summary", {}, h("strong", { text: nb(section.title) }), ` – ${num(mine.length)} svar${failed ? `, ${num(failed)} avvik` : ""}`);
    if (!repeats(section)) return h("details", { class: "card review-section" }, summary, answerList(mine));
    const parts = instancesOf(section).map((instance) => {
      const theirs = mine.filter((r) => r.instance?.number === instance.number);
      if (!theirs.length) return null;
      const bad = theirs.filter((r) => r.verdict.pass === false).length;
      return h("section", { class: "review-instance", "data-instance": String(instance.number) },
        h("h3", {}, instance.label, h("span", { class: "hint", text: ` – ${num(theirs.length)} svar${bad ? `, ${num(bad)} avvik` : ""}` })),
        answerList(theirs));
    });
    return h("details", { class: "card review-section", "data-section": section.id }, summary, parts);
  });

  const result = h("div", { "aria-live": "polite" });
  const comment = h("textarea", { name: "comment", rows: "3" });
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
        h("button", { type: "button", class: "btn btn-primary", onclick: () => decide("approve", undefined, "Befaringen er godkjent.") }, "Godkjenn"),
        h("form", { onsubmit: (event) => {
          event.preventDefault();
          const itemComments = [...comments.values()]
            .map(({ itemId, instance, box }) => ({ item_id: itemId, ...(instance ? { instance } : {}), text: box.value.trim() }))
            .filter((c) => c.text);
          if (!comment.value.trim() && !itemComments.length) {
            result.replaceChildren(h("p", { class: "alert alert-error", role: "alert", text: "Skriv en kommentar til befareren om hva som må rettes, på hele befaringen eller på punktene." }));
            comment.focus();
            return;
          }
          const json = { item_comments: itemComments };
          if (comment.value.trim()) json.comment = comment.value.trim();
          decide("return", json, "Befaringen er sendt tilbake til befareren.");
        } },
        field("Kommentar til befareren (på hele befaringen)", comment, "Kommentarer på enkeltpunkter sendes med."),
        h("button", { type: "submit", class: "btn" }, "Send tilbake")),
        result)
    : h("p", { class: "alert alert-info", text: "Befaringen venter ikke på godkjenning." });

  append(main, [h("h1", { text: `Godkjenning: ${title}` }),
    h("p", { text: `Sendt inn ${dateTime(inspection.submitted_at)} · ${num(rows.length)} svar · ${num(deviations.length)} avvik · ${changes.previous_inspection_id ? `${num(changed.length)} endringer siden forrige godkjente befaring` : "første befaring av boligen"}` }),
    inspection.status === "draft" ? null
      : h("p", {}, h("a", { class: "btn", href: `/api/v1/inspections/${id}/report.pdf`, download: "", text: "Last ned befaringsrapport (PDF)" })),
    photoList(photos[""], "Bilde uten punkt"),
    h("section", { "aria-labelledby": "dev-h" }, h("h2", { id: "dev-h", text: `Avvik (${num(deviations.length)})` }),
      deviations.length ? h("ul", { class: "plain deviations" }, deviations.map(deviationCard)) : h("p", { text: "Ingen avvik registrert." })),
    h("section", { class: "card", "aria-labelledby": "changes-h" }, h("h2", { id: "changes-h", text: "Endringer siden forrige godkjente befaring" }), changeTable),
    h("h2", { text: "Alle svar per seksjon" }),
    sections, actions]);
}
