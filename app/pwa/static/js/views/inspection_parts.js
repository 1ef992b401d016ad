// Parts of the inspection screen: the sync status, the section menu with counts, the sticky
// bottom bar, the list of what is missing, and the submit card.

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
    const item = sections.flatMap((s) => s.items).find((i) => i.id === a.item_id);
    rows.push(h("li", { class: "conflict" },
      h("p", {}, h("strong", { text: nb(item?.question) || a.item_id })),
      h("p", { text: `På serveren: ${valueText(item, a.server)}` }),
      h("p", { text: `På denne enheten: ${valueText(item, a)}` }),
      h("div", { class: "actions" },
        button("Behold verdien på enheten", async () => {
          await resolveConflict(id, a.item_id, "device");
          announce("Verdien på enheten beholdes og sendes.");
        }, "btn btn-primary"),
        button("Bruk verdien fra serveren", async () => {
          await resolveConflict(id, a.item_id, "server");
          announce("Verdien fra serveren er brukt.");
          onServerValue(a.item_id);
        }, "btn"))));
  }
  const failed = [...q.answers, ...q.photos].filter((x) => x.state === "failed");
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

export function missingList(missing, sections, id, goTo) {
  const groups = Object.entries(missing).map(([sectionId, items]) => {
    const index = sections.findIndex((s) => s.id === sectionId);
    const section = sections[index];
    return h("li", {}, h("strong", { text: nb(section?.title) || sectionId }),
      h("ul", {}, items.map(({ item_id: itemId, reason }) => {
        const item = section?.items.find((i) => i.id === itemId);
        return h("li", {}, h("a", {
          href: `#/befaring/${id}/${index}`,
          onclick: (event) => goTo(event, index, itemId),
          text: `${nb(item?.question) || itemId} (${REASONS[reason] || reason})`,
        }));
      })));
  });
  const count = Object.values(missing).reduce((n, items) => n + items.length, 0);
  return h("div", { class: "alert alert-warning", role: "alert" },
    h("p", { text: `Befaringen kan ikke sendes inn ennå: ${count} punkter mangler.` }),
    h("ul", {}, groups));
}

/** The submit: in full on the last section, one button on the others. */
export function submitCard({ id, sections, draft, goTo, onRefused, last }) {
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
          result.replaceChildren(missingList(error.problem.missing, sections, id, goTo));
          onRefused();
        } else if (error instanceof OfflineError) {
          result.replaceChildren(h("p", { class: "alert alert-warning", role: "alert", text: error.message }));
        } else result.replaceChildren(errorBox(error));
      }
    }, "btn btn-primary"),
    result);
}
