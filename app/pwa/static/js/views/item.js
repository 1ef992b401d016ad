// One checklist item, compact: the question, the answer controls on one row (Ja / Nei / Ikke
// relevant, or a measurement with its unit as a suffix), the verdict against the requirement,
// and on demand ("Mer") the help, a note and the photos. Saves as the inspector types.

import { answerType, judge, requirementText } from "../checklist.js";
import { h } from "../dom.js";
import { nb, num, parseMeasurement, typed } from "../format.js";
import { photoPanel } from "./photos.js";

const SAVE_AFTER_MS = 600;

export function valueText(item, answer) {
  if (!answer) return "ikke besvart";
  if (answer.not_applicable) return "Ikke relevant";
  const v = answer.value;
  if (v === null || v === undefined || v === "") return "ikke besvart";
  const kind = answerType(item);
  if (kind.value === "boolean") return v ? "Ja" : "Nei";
  if (kind.value === "choice") return nb(item.choices.find((c) => c.key === v)?.label) || String(v);
  if (typeof v === "number") return `${num(v)}${item?.unit ? ` ${item.unit}` : ""}`;
  return String(v);
}

function verdictNode(item, answer) {
  const { pass, text } = judge(item, answer);
  const node = h("p", { class: "verdict", id: `verdict-${item.id}` });
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

/** A whole number as typed ("3", "-1" or "−1" where the item goes below zero), or an error. */
function parseCount(text, belowZero) {
  const match = /^([-−])?(\d+)$/.exec(text);
  if (!match || (match[1] && !belowZero)) return { error: "Skriv et helt tall, for eksempel 3." };
  return { value: Number(match[2]) * (match[1] ? -1 : 1) };
}

function numberRow(item, answer, ctx, naAllowed) {
  const kind = answerType(item);
  const whole = kind.value === "integer";
  const belowZero = Boolean(item.bounds && item.bounds[0] < 0);
  const error = h("p", { class: "field-error", id: `err-${item.id}` });
  const input = h("input", {
    type: "text",
    id: `q-${item.id}`,
    // A floor below street level is negative: phones' number pads have no minus sign.
    inputmode: kind.inputmode === "numeric" && belowZero ? "text" : kind.inputmode,
    autocomplete: "off",
    enterkeyhint: "next",
    value: answer && !answer.not_applicable ? typed(answer.value) : "",
    disabled: !ctx.draft,
    "aria-describedby": `verdict-${item.id} err-${item.id} hint-${item.id}`,
  });
  const parse = () => {
    const text = input.value.trim();
    if (!text) return { empty: true };
    const result = whole ? parseCount(text, belowZero) : parseMeasurement(text, item.unit);
    if (result.error) return result;
    const [low, high] = item.bounds || [null, null];
    if ((low !== null && result.value < low) || (high !== null && result.value > high)) {
      return { error: `Verdien må være mellom ${num(low)} og ${num(high)}${item.unit ? ` ${item.unit}` : ""}.` };
    }
    return result;
  };
  let timer = null;
  let last = answer && !answer.not_applicable ? answer.value : null;
  const commit = (rerender) => {
    clearTimeout(timer);
    const result = parse();
    if (result.value === undefined || result.value === last) return;
    last = result.value;
    ctx.save(item, { value: result.value, note: ctx.answers[item.id]?.note }, { rerender });
  };
  const onInput = () => {
    const result = parse();
    error.textContent = result.error || "";
    input.setAttribute("aria-invalid", result.error ? "true" : "false");
    const verdict = input.closest(".item")?.querySelector(".verdict");
    verdict?.replaceWith(verdictNode(item, result.value === undefined ? null : { value: result.value }));
    clearTimeout(timer);
    if (result.value !== undefined) timer = setTimeout(() => commit(false), SAVE_AFTER_MS);
  };
  input.addEventListener("input", onInput);
  input.addEventListener("change", () => commit(false));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") commit(false);
  });
  const unitLabel = item.unit ? ` (${item.unit})` : "";
  const label = h("label", { class: "visually-hidden", for: input.id, text: `${kind.input_label}${unitLabel}` });
  const box = h("span", { class: "measure" }, input, item.unit ? h("span", { class: "suffix", "aria-hidden": "true", text: item.unit }) : null);
  const na = naAllowed
    ? h("label", { class: "choice na" },
        h("input", { type: "checkbox", checked: Boolean(answer?.not_applicable), disabled: !ctx.draft,
          onchange: (e) => ctx.save(item, e.target.checked ? { not_applicable: true } : { value: null }) }),
        h("span", { text: "Ikke relevant" }))
    : null;
  return { parts: [label, box, na], after: error };
}

/** "Forrige: …" beside a carried or changed answer, and the per-item confirm. */
function previousLine(item, answer, ctx) {
  const previous = ctx.previous[item.id];
  if (!previous) return null;
  const carried = answer?.carried_over && ctx.draft;
  if (!carried && answer && valueText(item, answer) === valueText(item, previous)) return null;
  return h("div", { class: "previous" },
    h("span", { class: "previous-value", text: `Forrige: ${valueText(item, previous)}` }),
    carried
      ? h("button", { type: "button", class: "btn btn-small confirm-one",
          onclick: () => ctx.save(item, { value: answer.value, not_applicable: answer.not_applicable, note: answer.note }) },
          "Bekreft", h("span", { class: "visually-hidden", text: `: ${nb(item.question)}` }))
      : null);
}

export const STATUS_TEXT = {
  unanswered: "Ikke besvart",
  carried_over: "Ikke bekreftet",
  photo_required: "Bilde mangler",
  done: "Ferdig",
};

export function renderItem(item, ctx) {
  const answer = ctx.answers[item.id];
  const status = ctx.status(item);
  const na = item.not_applicable_allowed ? [["__na", "Ikke relevant"]] : [];
  let control;
  let after = null;
  // The control follows what the type's values are (the table the checklist carries).
  const kind = answerType(item);
  if (kind.value === "boolean") {
    control = [choiceGroup(item, [[true, "Ja"], [false, "Nei"], ...na], answer, ctx)];
  } else if (kind.value === "choice") {
    control = [choiceGroup(item, [...item.choices.map((c) => [c.key, nb(c.label)]), ...na], answer, ctx)];
  } else if (kind.value === "number" || kind.value === "integer") {
    ({ parts: control, after } = numberRow(item, answer, ctx, na.length > 0));
  } else {
    const area = h("textarea", { id: `q-${item.id}`, rows: "2", disabled: !ctx.draft, value: answer?.value || "",
      onchange: () => ctx.save(item, { value: area.value }) });
    control = [h("label", { class: "visually-hidden", for: area.id, text: kind.input_label || "Svar" }), area];
  }
  if (ctx.stateOf?.(item.id) === "missing_fact") {
    control = [h("p", { class: "alert alert-info",
      text: "Kan ikke vurderes før boligregisteret er komplett: en opplysning punktet avhenger av (for eksempel etasje eller heis) mangler." }), ...control];
  }
  const panelId = `more-${item.id}`;
  const panel = h("div", { class: "more", id: panelId, hidden: true });
  const photos = ctx.photoCount(item.id);
  const toggle = h("button", {
    type: "button",
    class: "btn btn-icon more-toggle",
    "aria-expanded": "false",
    "aria-controls": panelId,
    onclick: () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      panel.hidden = !open;
      if (open && !panel.childElementCount) fillPanel(panel, item, ctx);
    },
  }, "Mer", photos ? h("span", { class: "count", text: ` (${photos})` }) : null,
  h("span", { class: "visually-hidden", text: `: hjelp, notat og bilder til «${nb(item.question)}»` }));
  const photoNow = status === "photo_required" && ctx.draft
    ? h("button", { type: "button", class: "btn btn-small take-photo", onclick: (event) => {
        // The item on the page, not this render's: a refresh moves a fresh status row (and this
        // button) into the item already shown, whose own toggle and panel stay.
        const shown = event.currentTarget.closest(".item");
        const more = shown.querySelector(".more-toggle");
        if (more.getAttribute("aria-expanded") !== "true") more.click();
        shown.querySelector(".more .camera")?.click();
      } }, "Ta bilde", h("span", { class: "visually-hidden", text: `: ${nb(item.question)}` }))
    : null;
  const sync = answerSyncText(answer, ctx.sentHere?.has(item.id));
  // The reviewer's comment on this item, from the last return (shown while it is a draft).
  const review = ctx.draft ? ctx.reviewOf?.(item.id) : null;
  return h("fieldset", { class: "item", "data-item": item.id, "data-status": status || "optional", id: `item-${item.id}` },
    h("legend", { id: `legend-${item.id}`, text: nb(item.question) }),
    toggle,
    review
      ? h("div", { class: "alert alert-warning item-review" }, h("p", {}, h("strong", { text: "Kommentar fra godkjenner: " })),
          h("p", { class: "review-comment", text: review.text }))
      : null,
    // The answer and its verdict share a row when they fit; a long verdict wraps below.
    h("div", { class: "answer-line" },
      control,
      h("div", { class: "status-row" },
        verdictNode(item, answer),
        status === "photo_required" ? h("span", { class: "flag flag-bad", text: "Bilde mangler" }) : null,
        photoNow,
        h("span", { class: "item-sync", text: sync }))),
    after,
    previousLine(item, answer, ctx),
    panel);
}

function fillPanel(panel, item, ctx) {
  const help = [nb(item.help), requirementText(item)].filter(Boolean).join(" ");
  const answer = ctx.answers[item.id];
  const note = h("textarea", { id: `note-${item.id}`, rows: "2", disabled: !ctx.draft, value: answer?.note || "",
    onchange: () => {
      const now = ctx.answers[item.id];
      ctx.save(item, { value: now?.value ?? null, not_applicable: Boolean(now?.not_applicable), note: note.value }, { rerender: false });
    } });
  panel.append(
    help ? h("p", { class: "hint", id: `hint-${item.id}`, text: help }) : null,
    h("label", { for: note.id, class: "value-label", text: "Notat" }), note,
    photoPanel(item, ctx),
  );
}

/** Where an answer is on its way to the server, shown beside it. An answer seen waiting on this
 * page says "Sendt" once it went out rather than vanishing, so the items below do not jump
 * under a finger on its way to the next tap (the CSS gives both texts the same width). */
export function answerSyncText(answer, seenWaiting = false) {
  if (!answer || answer.state === "local") return "";
  if (answer.state === "sent") return seenWaiting ? "Sendt" : "";
  return answer.state === "waiting" ? "Venter på sending" : stateText(answer);
}

export function stateText(row) {
  switch (row.state) {
    case "waiting":
      return "Lagret på enheten, venter på sending";
    case "deleting":
      return "Slettes når det er nett";
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
