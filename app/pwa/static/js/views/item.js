// One checklist item: the question, the answer control for its type, the instant verdict
// against the requirement, a note, photos from the camera and the item's sync state.

import { judge, requirementText } from "../checklist.js";
import * as db from "../db.js";
import { h } from "../dom.js";
import { nb, num, parseDecimal, typed } from "../format.js";
import { downscale } from "../photo.js";

export function valueText(item, answer) {
  if (!answer) return "ikke besvart";
  if (answer.not_applicable) return "Ikke relevant";
  const v = answer.value;
  if (v === null || v === undefined || v === "") return "ikke besvart";
  if (item?.type === "yes_no") return v ? "Ja" : "Nei";
  if (item?.type === "choice") return nb(item.choices.find((c) => c.key === v)?.label) || String(v);
  if (typeof v === "number") return `${num(v)}${item?.unit ? ` ${item.unit}` : ""}`;
  return String(v);
}

function verdictNode(item, answer) {
  const { pass, text } = judge(item, answer);
  const node = h("p", { class: "verdict", "aria-live": "polite" });
  if (pass === null) {
    node.textContent = text;
    return node;
  }
  node.classList.add(pass ? "pass" : "fail");
  node.append(h("span", { "aria-hidden": "true", text: pass ? "✓ " : "✗ " }), text);
  return node;
}

function choiceGroup(item, options, answer, ctx) {
  const current = answer?.not_applicable ? "__na" : answer?.value;
  return h("div", { class: "choices", role: "radiogroup", "aria-labelledby": `legend-${item.id}` },
    options.map(([value, label], i) => {
      const input = h("input", {
        type: "radio",
        name: `answer-${item.id}`,
        id: i === 0 ? `q-${item.id}` : `q-${item.id}-${i}`,
        value: String(i),
        checked: current === value,
        disabled: !ctx.draft,
        onchange: () => ctx.save(item, value === "__na" ? { not_applicable: true } : { value }),
      });
      return h("label", { class: "choice", for: input.id }, input, h("span", { text: label }));
    }));
}

function numberInput(item, answer, ctx) {
  const verdict = verdictNode(item, answer);
  const error = h("p", { class: "field-error", id: `err-${item.id}` });
  const input = h("input", {
    type: "text",
    id: `q-${item.id}`,
    inputmode: item.type === "count" ? "numeric" : "decimal",
    autocomplete: "off",
    enterkeyhint: "done",
    value: answer && !answer.not_applicable ? typed(answer.value) : "",
    disabled: !ctx.draft,
    "aria-describedby": `hint-${item.id} err-${item.id}`,
  });
  const parse = () => {
    const text = input.value.trim();
    if (!text) return { empty: true };
    const value = parseDecimal(text);
    if (value === null || (item.type === "count" && !Number.isInteger(value))) {
      return { error: item.type === "count" ? "Skriv et helt tall, for eksempel 3." : "Skriv et tall, for eksempel 850 eller 6,5." };
    }
    const [low, high] = item.bounds || [null, null];
    if ((low !== null && value < low) || (high !== null && value > high)) {
      return { error: `Verdien må være mellom ${num(low)} og ${num(high)}${item.unit ? ` ${item.unit}` : ""}.` };
    }
    return { value };
  };
  // Live verdict while typing: swap the node in place.
  let verdictEl = verdict;
  input.addEventListener("input", () => {
    const result = parse();
    error.textContent = result.error || "";
    input.setAttribute("aria-invalid", result.error ? "true" : "false");
    const fresh = verdictNode(item, result.value === undefined ? null : { value: result.value });
    verdictEl.replaceWith(fresh);
    verdictEl = fresh;
  });
  input.addEventListener("change", () => {
    const result = parse();
    if (result.value !== undefined && result.value !== answer?.value) ctx.save(item, { value: result.value, note: answer?.note });
  });
  const unit = item.unit ? ` (${item.unit})` : "";
  return [
    h("label", { class: "value-label", for: input.id, text: item.type === "count" ? "Antall" : `Målt verdi${unit}` }),
    input,
    error,
    verdictEl,
  ];
}

async function photoPart(item, ctx) {
  const stored = (await db.byInspection("photos", ctx.id)).filter((p) => p.item_id === item.id);
  const storedIds = new Set(stored.map((p) => p.id));
  const onServer = (ctx.record.server?.photos || []).filter((p) => p.item_id === item.id && !storedIds.has(p.id));
  const list = h("ul", { class: "photos" });
  for (const photo of stored) {
    const blob = await db.photoBlob(photo);
    let img = null;
    if (blob) {
      const url = URL.createObjectURL(blob);
      ctx.urls.push(url);
      img = h("img", { src: url, alt: `Bilde til punktet: ${nb(item.question)}`, width: "96", height: "72" });
    } else if (photo.server?.thumbnail_url) {
      img = h("img", { src: photo.server.thumbnail_url, alt: `Bilde til punktet: ${nb(item.question)}`, width: "96", height: "72" });
    }
    list.append(h("li", { "data-photo": photo.id }, img, h("span", { class: "photo-state", text: stateText(photo) })));
  }
  for (const photo of onServer) {
    list.append(h("li", {}, h("img", { src: photo.thumbnail_url, alt: `Bilde til punktet: ${nb(item.question)}`, width: "96", height: "72" }),
      h("span", { class: "photo-state", text: "Sendt" })));
  }
  const input = h("input", {
    type: "file",
    id: `photo-${item.id}`,
    accept: "image/*",
    capture: "environment",
    class: "file-input",
    disabled: !ctx.draft,
    onchange: async () => {
      const file = input.files?.[0];
      if (file) await ctx.addPhoto(item, await downscale(file));
    },
  });
  const required = item.photo === "required_on_barrier" ? " (påkrevd ved avvik)" : "";
  return h("div", { class: "photo-part" },
    h("label", { class: "btn file-label", for: input.id }, h("span", { "aria-hidden": "true", text: "📷 " }), `Ta bilde${required}`),
    input,
    list.childElementCount ? list : null);
}

export async function renderItem(item, ctx) {
  const answer = ctx.answers[item.id];
  const help = [nb(item.help), requirementText(item)].filter(Boolean).join(" ");
  let control;
  const na = item.not_applicable_allowed ? [["__na", "Ikke relevant"]] : [];
  if (item.type === "yes_no") {
    control = [choiceGroup(item, [[true, "Ja"], [false, "Nei"], ...na], answer, ctx), verdictNode(item, answer)];
  } else if (item.type === "choice") {
    control = [choiceGroup(item, [...item.choices.map((c) => [c.key, nb(c.label)]), ...na], answer, ctx), verdictNode(item, answer)];
  } else if (item.type === "measurement" || item.type === "count") {
    control = numberInput(item, answer, ctx);
    if (na.length) {
      control.push(h("label", { class: "choice" },
        h("input", { type: "checkbox", checked: Boolean(answer?.not_applicable), disabled: !ctx.draft,
          onchange: (e) => ctx.save(item, e.target.checked ? { not_applicable: true } : { value: null }) }),
        h("span", { text: "Ikke relevant" })));
    }
  } else {
    const area = h("textarea", { id: `q-${item.id}`, rows: "3", disabled: !ctx.draft, value: answer?.value || "",
      onchange: () => ctx.save(item, { value: area.value }) });
    control = [h("label", { class: "value-label", for: area.id, text: "Svar" }), area];
  }
  const note = h("textarea", { id: `note-${item.id}`, rows: "2", disabled: !ctx.draft, value: answer?.note || "",
    onchange: () => ctx.save(item, { ...(answer || {}), value: answer?.value ?? null, not_applicable: Boolean(answer?.not_applicable), note: note.value }) });
  if (ctx.stateOf?.(item.id) === "missing_fact") {
    control = [h("p", { class: "alert alert-info",
      text: "Kan ikke vurderes før boligregisteret er komplett: en opplysning punktet avhenger av (for eksempel etasje eller heis) mangler." }), ...[control].flat()];
  }
  const carried = answer?.carried_over && ctx.draft
    ? h("p", { class: "alert alert-info" }, "Svaret er overført fra forrige befaring. ",
        h("button", { type: "button", class: "btn", onclick: () => ctx.save(item, { value: answer.value, not_applicable: answer.not_applicable, note: answer.note }) },
          "Bekreft at det stemmer"))
    : null;
  // The reviewer's comment on this item, from the last return (shown while it is a draft).
  const review = ctx.draft ? (ctx.record.server?.item_comments || []).find((c) => c.item_id === item.id) : null;
  return h("fieldset", { class: "item", "data-item": item.id },
    h("legend", { id: `legend-${item.id}`, text: nb(item.question) }),
    review
      ? h("div", { class: "alert alert-warning item-review" }, h("p", {}, h("strong", { text: "Kommentar fra godkjenner: " })),
          h("p", { class: "review-comment", text: review.text }))
      : null,
    help ? h("p", { class: "hint", id: `hint-${item.id}`, text: help }) : null,
    carried,
    control,
    h("details", { class: "note" }, h("summary", { text: answer?.note ? "Notat (skrevet)" : "Legg til notat" }),
      h("label", { for: note.id, text: "Notat" }), note),
    await photoPart(item, ctx),
    h("p", { class: "item-sync", text: answer && answer.state !== "sent" ? stateText(answer) : answer ? "Sendt" : "" }));
}

export function stateText(row) {
  switch (row.state) {
    case "waiting":
      return "Lagret på enheten, venter på sending";
    case "sent":
      return "Sendt";
    case "failed":
      return `Feilet: ${row.error || "ukjent feil"}`;
    case "conflict":
      return "Konflikt med serveren: velg verdi under Synkronisering";
    default:
      return "";
  }
}
