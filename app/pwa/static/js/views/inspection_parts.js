// Parts of the inspection screen: the sync status, the section menu with counts, a repeated
// section's instances, the sticky bottom bar, the list of what is missing, and the submit card.

import { ApiError, OfflineError, api } from "../api.js";
import * as db from "../db.js";
import { announce, button, errorBox, fill, h } from "../dom.js";
import { nb } from "../format.js";
import { REASONS } from "../progress.js";
import { queueState, requestSync, resolveConflict, retryFailed } from "../sync.js";
import { stateText, valueText } from "./item.js";

export async function drawSync(panel, { id, sections, onServerValue }) {
  const q = await queueState(id);
  const record = await db.get("inspections", id);
  const rows = [];
  for (const a of q.answers.filter((x) => x.state === "conflict")) {
    const section = sections.find((s) => s.items.some((i) => i.id === a.item_id));
    const item = section?.items.find((i) => i.id === a.item_id);
    // In a repeated section, which instance ("Bad 2") the answer belongs to.
    const instance = section?.repeat
      ? (record?.server?.instances?.[section.id] || []).find((i) => i.number === (a.instance || 1))
      : null;
    rows.push(h("li", { class: "conflict" },
      h("p", {}, h("strong", { text: `${instance ? `${instance.label}: ` : ""}${nb(item?.question) || a.item_id}` })),
      h("p", { text: `På serveren: ${valueText(item, a.server)}` }),
      h("p", { text: `På denne enheten: ${valueText(item, a)}` }),
      h("div", { class: "actions" },
        button("Behold verdien på enheten", async () => {
          await resolveConflict(id, a.item_id, "device", a.instance || 1);
          announce("Verdien på enheten beholdes og sendes.");
        }, "btn btn-primary"),
        button("Bruk verdien fra serveren", async () => {
          await resolveConflict(id, a.item_id, "server", a.instance || 1);
          announce("Verdien fra serveren er brukt.");
          onServerValue(a.item_id, a.instance || 1);
        }, "btn"))));
  }
  const failed = [...q.answers, ...q.photos, ...q.instances].filter((x) => x.state === "failed");
  const photoRows = q.photos.map((p) =>
    h("li", { text: `Bilde ${new Date(p.created_at).toLocaleTimeString("nb-NO")}: ${stateText(p)}` }));
  const trouble = failed.length || rows.length || record?.create_error;
  // Short, so the line keeps its height while answers go out and the items below stay put.
  const counts = [
    q.waiting && `${q.waiting} venter på sending`,
    q.failed && `${q.failed} feilet`,
    q.conflict && `${q.conflict} i konflikt`,
  ].filter(Boolean);
  const summary = counts.length ? `${counts.join(", ")}.` : "Alt er sendt.";
  panel.classList.toggle("trouble", Boolean(trouble));
  fill(panel,
    h("h2", { id: "sync-heading", class: trouble ? null : "visually-hidden", text: "Synkronisering" }),
    h("div", { class: "sync-line" },
      h("p", { class: "sync-summary", "data-waiting": String(q.waiting) }, summary),
      button("Send nå", () => requestSync(), "btn btn-small")),
    record?.pending_create
      ? h("p", { class: "hint", text: "Befaringen er startet på enheten og opprettes på serveren når du er på nett." })
      : null,
    record?.create_error ? h("p", { class: "alert alert-error", text: `Kunne ikke opprette befaringen: ${record.create_error}` }) : null,
    failed.length ? h("ul", {}, failed.map((f) => h("li", { text: `Feilet: ${f.error || "ukjent feil"}` }))) : null,
    rows.length ? h("div", {}, h("h3", { text: "Konflikter: velg hvilken verdi som gjelder" }), h("ul", { class: "plain" }, rows)) : null,
    photoRows.length ? h("details", {}, h("summary", { text: `Bilder (${q.photos.length})` }), h("ul", {}, photoRows)) : null,
    q.failed ? button("Prøv feilede på nytt", () => retryFailed(id), "btn") : null,
  );
}

export function sectionMenu(id, index, view) {
  const tick = (s) => (s.total > 0 && s.done === s.total ? "✓ " : "");
  const complete = view.bySection.filter((s) => tick(s)).length;
  return h("nav", { class: "sections", "aria-label": "Seksjoner" },
    h("details", {},
      h("summary", {},
        h("span", { text: `Seksjoner: ${index + 1} av ${view.bySection.length}` }),
        h("span", { class: "section-where", text: ` (${complete} ferdige)` })),
      h("ol", {}, view.bySection.map((s, i) => h("li", {},
        h("a", { href: `#/befaring/${id}/${i}`, "aria-current": i === index ? "step" : null },
          h("span", { class: "tick", "aria-hidden": "true", text: tick(s) || "" }),
          h("span", { text: nb(s.section.title) }),
          h("span", { class: "section-count", text: ` ${s.done} av ${s.total}${tick(s) ? " (ferdig)" : ""}` })))))));
}

/** A repeated section's instances, each with its count, the one shown marked; in a draft the
 * inspector adds one, and renames, moves or removes (after a confirm) the one shown. */
export function instancePanel({ id, index, section, live, current, view, draft, onAdd, onRename, onMove, onRemove }) {
  const parts = view.bySection[index].instances;
  const title = nb(section.title);
  const { max, min = 1 } = section.repeat;
  const tabs = h("ul", { class: "instance-tabs" }, live.map((i) => {
    const part = parts.find((p) => p.instance.number === i.number);
    return h("li", {}, h("a", {
      class: "btn instance-tab",
      href: `#/befaring/${id}/${index}/${i.number}`,
      "aria-current": i.number === current ? "page" : null,
    }, h("span", { class: "instance-label", text: i.label }),
    h("span", { class: "section-count", text: part ? ` (${part.done} av ${part.total})` : "" })));
  }));
  const full = max && live.length >= max;
  const add = draft && !full ? button(`Legg til ${title.toLowerCase()}`, onAdd, "btn add-instance") : null;
  const here = live.find((i) => i.number === current);
  let tools = null;
  if (draft && here) {
    const at = live.indexOf(here);
    const name = h("input", { type: "text", id: "instance-name", value: here.label, maxlength: "60", autocomplete: "off",
      "aria-describedby": "instance-name-error" });
    const error = h("p", { class: "field-error", id: "instance-name-error" });
    const confirmBox = h("div", { class: "instance-confirm" });
    const up = button("Flytt opp", () => onMove(-1), "btn move-up");
    const down = button("Flytt ned", () => onMove(1), "btn move-down");
    up.disabled = at === 0;
    down.disabled = at === live.length - 1;
    const ask = () => {
      fill(confirmBox, h("div", { class: "alert alert-warning", role: "alert" },
        h("p", { text: `Fjerne «${here.label}» med alle svar og bilder? Det kan ikke angres.` }),
        h("div", { class: "actions" },
          button("Ja, fjern", onRemove, "btn btn-danger confirm-remove"),
          button("Avbryt", () => fill(confirmBox), "btn"))));
      confirmBox.querySelector(".confirm-remove").focus();
    };
    tools = h("details", { class: "instance-tools" },
      h("summary", { text: `Endre «${here.label}»` }),
      h("form", { class: "instance-rename", novalidate: true, onsubmit: async (event) => {
        event.preventDefault();
        const problem = await onRename(name.value);
        error.textContent = problem || "";
        name.setAttribute("aria-invalid", problem ? "true" : "false");
      } },
      h("label", { for: name.id, class: "value-label", text: "Navn" }),
      h("div", { class: "instance-row" }, name, h("button", { type: "submit", class: "btn" }, "Lagre navn")),
      error),
      h("div", { class: "actions" }, up, down,
        live.length > min ? button(`Fjern «${here.label}»`, ask, "btn remove-instance") : null),
      confirmBox);
  }
  return h("nav", { class: "instances", "aria-label": `${title}: ${live.length} registrert` },
    tabs,
    full ? h("p", { class: "hint", text: `Seksjonen kan ha høyst ${max}.` }) : null,
    add,
    tools);
}

export function bottomBar({ onPrevious, onNext, onNextOpen }) {
  const where = h("span", { class: "where", "aria-live": "polite" });
  const bar = h("nav", { class: "bottom-bar", "aria-label": "Punkt for punkt" },
    button("‹ Forrige", onPrevious, "btn btn-bar prev"),
    where,
    button("Neste ›", onNext, "btn btn-bar next"),
    button("Neste ubesvarte", onNextOpen, "btn btn-bar btn-primary next-open"));
  bar.setWhere = (position, count) => {
    where.textContent = count ? `${position} av ${count} i seksjonen` : "Ingen punkter her";
  };
  return bar;
}

export function missingList(missing, sections, id, goTo, labelOf = () => null) {
  const groups = Object.entries(missing).map(([sectionId, items]) => {
    const index = sections.findIndex((s) => s.id === sectionId);
    const section = sections[index];
    return h("li", {}, h("strong", { text: nb(section?.title) || sectionId }),
      h("ul", {}, items.map(({ item_id: itemId, instance, reason }) => {
        const item = section?.items.find((i) => i.id === itemId);
        const label = instance ? labelOf(sectionId, instance) : null;
        return h("li", {}, h("a", {
          href: `#/befaring/${id}/${index}${label ? `/${instance}` : ""}`,
          onclick: (event) => goTo(event, index, itemId, instance),
          text: `${label ? `${label}: ` : ""}${nb(item?.question) || itemId} (${REASONS[reason] || reason})`,
        }));
      })));
  });
  const count = Object.values(missing).reduce((n, items) => n + items.length, 0);
  return h("div", { class: "alert alert-warning", role: "alert" },
    h("p", { text: `Befaringen kan ikke sendes inn ennå: ${count} punkter mangler.` }),
    h("ul", {}, groups));
}

/** The submit: in full on the last section, one button on the others. */
export function submitCard({ id, sections, draft, goTo, labelOf, onRefused, last }) {
  if (!draft) return h("p", { class: "alert alert-info", text: "Befaringen er sendt inn og kan ikke endres." });
  const result = h("div", { "aria-live": "polite" });
  return h("section", { class: last ? "card submit" : "submit compact", "aria-labelledby": "submit-heading" },
    h("h2", { id: "submit-heading", class: last ? null : "visually-hidden", text: "Send inn befaringen" }),
    last ? h("p", { text: "Alle svar og bilder må være sendt før befaringen kan sendes inn." }) : null,
    button("Send inn befaringen", async () => {
      result.replaceChildren(h("p", { text: "Sender inn …" }));
      await requestSync();
      const q = await queueState(id);
      if (q.waiting || q.failed || q.conflict) {
        result.replaceChildren(h("p", { class: "alert alert-warning", role: "alert",
          text: "Noe er ikke sendt ennå (se Synkronisering). Prøv igjen når du er på nett." }));
        return;
      }
      try {
        const done = await api(`/inspections/${id}/submit`, { method: "POST" });
        await db.put("inspections", { ...(await db.get("inspections", id)), server: done, missing: {} });
        result.replaceChildren(h("p", { class: "alert alert-success", role: "status", text: "Befaringen er sendt inn til godkjenning." }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 422 && error.problem.missing) {
          await db.put("inspections", { ...(await db.get("inspections", id)), missing: error.problem.missing });
          result.replaceChildren(missingList(error.problem.missing, sections, id, goTo, labelOf));
          onRefused();
        } else if (error instanceof OfflineError) {
          result.replaceChildren(h("p", { class: "alert alert-warning", role: "alert", text: error.message }));
        } else result.replaceChildren(errorBox(error));
      }
    }, "btn btn-primary"),
    result);
}
