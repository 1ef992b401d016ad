// "Mine befaringer": the inspector's drafts, their units ready for an offline start, a search
// for any other unit, and the reports of their approved inspections. Starting on a unit with an
// open draft opens that draft.

import { ApiError, OfflineError, api, list } from "../api.js";
import * as db from "../db.js";
import { announce, button, errorBox, field, h } from "../dom.js";
import { INSPECTION_STATUS, date, dateTime } from "../format.js";
import {
  downloadInspection,
  downloadStartingPoints,
  localDraftOf,
  startOffline,
} from "../offline.js";
import { queueState, requestSync } from "../sync.js";

export { downloadInspection };

function syncSummary(q) {
  const parts = [];
  if (q.waiting) parts.push(`${q.waiting} venter på sending`);
  if (q.failed) parts.push(`${q.failed} feilet`);
  if (q.conflict) parts.push(`${q.conflict} konflikt`);
  return parts.length ? parts.join(", ") : "Alt er sendt";
}

const unitTitle = (unit) => `${unit.address || "Bolig"} ${unit.unit_number || ""}`.trim();

/** Open the unit's draft if there is one (device or server), else start one: on the server
 * when online, on the device when not. Never a silent second draft. */
export async function startOn(unit, { navigate, status }) {
  const local = await localDraftOf(unit.id);
  if (local) {
    announce(`Du har allerede en åpen befaring av ${unitTitle(unit)}. Den er åpnet.`);
    return navigate(`befaring/${local.id}`);
  }
  const point = (await db.get("units", unit.id))?.point;
  try {
    if (point?.open_draft_id && navigator.onLine) {
      await downloadInspection(point.open_draft_id);
      announce(`Du har allerede en åpen befaring av ${unitTitle(unit)}. Den er åpnet.`);
      return navigate(`befaring/${point.open_draft_id}`);
    }
    if (!navigator.onLine) throw new OfflineError();
    const id = crypto.randomUUID();
    await api("/inspections", { method: "POST", json: { id, unit_id: unit.id } });
    await downloadInspection(id);
    announce("Befaringen er opprettet og lastet ned.");
    return navigate(`befaring/${id}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 409 && error.problem.open_draft_id) {
      await downloadInspection(error.problem.open_draft_id);
      announce(`Du har allerede en åpen befaring av ${unitTitle(unit)}. Den er åpnet.`);
      return navigate(`befaring/${error.problem.open_draft_id}`);
    }
    if (!(error instanceof OfflineError)) return status.replaceChildren(errorBox(error));
    if (!point) {
      return status.replaceChildren(h("p", { class: "alert alert-warning", role: "alert",
        text: `${unitTitle(unit)} er ikke lastet ned til enheten. Last den ned når du er på nett for å starte uten nett.` }));
    }
    if (point.open_draft_id) {
      return status.replaceChildren(h("p", { class: "alert alert-warning", role: "alert",
        text: "Du har en åpen befaring av denne boligen som ikke er lastet ned. Åpne den når du er på nett." }));
    }
    const id = await startOffline(point);
    announce("Befaringen er startet på enheten og opprettes på serveren når du er på nett.");
    requestSync();
    return navigate(`befaring/${id}`);
  }
}

export async function render(main, _params, { navigate }) {
  const status = h("div", { "aria-live": "polite" });
  const local = await db.getAll("inspections");
  let remote = [];
  let approved = null;
  try {
    remote = (await list("/inspections?assigned_to=me&status=draft&page_size=100")).items;
    approved = await list(`/inspections?assigned_to=me&status=approved&page_size=${REPORTS}`);
    await downloadStartingPoints();
  } catch (error) {
    if (!(error instanceof OfflineError)) status.append(errorBox(error));
    else status.append(h("p", { class: "alert alert-info", text: "Frakoblet: viser befaringene og boligene som er lastet ned på enheten." }));
  }
  const byId = new Map(local.map((r) => [r.id, { local: r, info: r.server || { ...r.unit, status: "draft" } }]));
  for (const item of remote) {
    const known = byId.get(item.id);
    if (known?.local && known.local.server?.status !== item.status) {
      // Returned by the reviewer since the download: fetch it again (unsent answers are kept).
      try {
        await downloadInspection(item.id);
        known.local = await db.get("inspections", item.id);
      } catch (error) {
        if (!(error instanceof OfflineError)) throw error;
      }
    }
    byId.set(item.id, { ...byId.get(item.id), info: item });
  }

  const rows = [];
  for (const [id, { local: rec, info }] of byId) {
    const q = rec ? await queueState(id) : null;
    const title = `${info.address || rec?.unit?.address || "Bolig"} ${info.unit_number || rec?.unit?.unit_number || ""}`.trim();
    const actions = rec
      ? h("a", { class: "btn btn-primary", href: `#/befaring/${id}`, text: `Åpne ${title}` })
      : button(`Last ned ${title}`, async () => {
          status.replaceChildren(h("p", { text: "Laster ned …" }));
          try {
            await downloadInspection(id);
            announce(`${title} er lastet ned og kan brukes uten nett.`);
            navigate(`befaring/${id}`);
          } catch (error) {
            status.replaceChildren(errorBox(error));
          }
        }, "btn btn-primary");
    rows.push(
      h("li", { class: "card" },
        h("h2", { text: title }),
        h("p", { text: `Status: ${INSPECTION_STATUS[info.status] || info.status}${rec?.pending_create ? " (startet på enheten)" : ""}` }),
        info.status === "draft" && info.return_comment
          ? h("p", { class: "alert alert-warning return-comment", text: `Sendt tilbake med kommentar: ${info.return_comment}` })
          : null,
        rec
          ? h("p", {}, `Lastet ned ${dateTime(rec.downloaded_at)}. Synk: `, h("span", { class: "sync-summary", text: syncSummary(q) }))
          : h("p", { text: "Ikke lastet ned til enheten." }),
        actions),
    );
  }

  main.append(
    h("h1", { text: "Mine befaringer" }),
    status,
    rows.length ? h("ul", { class: "cards" }, rows) : h("p", { text: "Du har ingen befaringer under arbeid." }),
    await myUnits(status, navigate, new Set([...byId.values()].map((v) => v.local?.unit?.id ?? v.info.unit_id))),
    newInspectionForm(status, navigate),
    approvedReports(approved),
  );
}

const REPORTS = 20;

/** The inspector's approved inspections, newest first, each with its report (needs a network). */
function approvedReports(approved) {
  if (!approved?.items.length) return null;
  return h("section", { class: "card", "aria-labelledby": "approved-heading" },
    h("h2", { id: "approved-heading", text: "Godkjente befaringer" }),
    approved.total > approved.items.length
      ? h("p", { class: "hint", text: `Viser de ${approved.items.length} siste av ${approved.total}.` })
      : null,
    h("ul", { class: "plain unit-list" }, approved.items.map((inspection) => {
      const title = unitTitle(inspection);
      return h("li", {},
        h("p", { class: "report-of" }, h("strong", { text: title }), `, godkjent ${date(inspection.approved_at)}`),
        h("a", { class: "btn", href: `/api/v1/inspections/${inspection.id}/report.pdf`, download: "" },
          "Last ned rapport (PDF)", h("span", { class: "visually-hidden", text: `: ${title}` })));
    })));
}

/** The inspector's units, downloaded with their last approved answers: start here offline. */
async function myUnits(status, navigate, busy) {
  const units = (await db.getAll("units")).filter((u) => !busy.has(u.id));
  if (!units.length) return null;
  units.sort((a, b) => unitTitle(a.point.unit).localeCompare(unitTitle(b.point.unit), "nb"));
  return h("section", { class: "card", "aria-labelledby": "my-units" },
    h("h2", { id: "my-units", text: "Start befaring (virker uten nett)" }),
    h("ul", { class: "plain unit-list" }, units.map(({ point }) =>
      h("li", {},
        button(`Start befaring: ${unitTitle(point.unit)}`, () => startOn(point.unit, { navigate, status }), "btn start-unit"),
        point.previous_answers.length ? h("span", { class: "hint", text: " Svarene fra forrige befaring følger med." }) : null))));
}

const PAGE = 20;

function newInspectionForm(status, navigate) {
  const query = h("input", { type: "search", name: "q", autocomplete: "off", enterkeyhint: "search" });
  const results = h("div", { "aria-live": "polite" });
  const found = h("ul", { class: "plain unit-list" });
  const start = (unit) => h("li", {},
    button(`Start befaring: ${unitTitle(unit)}`, () => startOn(unit, { navigate, status }), "btn"),
    button(`Last ned for bruk uten nett: ${unitTitle(unit)}`, async () => {
      try {
        await downloadStartingPoints([unit.id]);
        announce(`${unitTitle(unit)} er lastet ned og kan startes uten nett.`);
      } catch (error) {
        status.replaceChildren(errorBox(error));
      }
    }, "btn btn-link"));
  // "Vis flere" appends the next page, so a long street is reachable without a finer search.
  const showPage = async (page) => {
    try {
      const { items, total } = await list(`/units?q=${encodeURIComponent(query.value)}&page=${page}&page_size=${PAGE}`);
      if (page === 1) found.replaceChildren();
      found.append(...items.map(start));
      const more = page * PAGE < total
        ? button(`Vis flere (${Math.min(PAGE, total - page * PAGE)} til av ${total})`, async () => {
            more.remove();
            const first = found.children.length;
            await showPage(page + 1);
            found.children[first]?.querySelector("button")?.focus();
          })
        : null;
      results.replaceChildren(h("p", { text: `${total} boliger funnet.` }), found, more || "");
    } catch (error) {
      results.replaceChildren(errorBox(error));
    }
  };
  return h("form", {
    class: "card",
    onsubmit: async (event) => {
      event.preventDefault();
      results.replaceChildren(h("p", { text: "Søker …" }));
      await showPage(1);
    },
  },
  h("h2", { text: "Ny befaring" }),
  field("Søk etter adresse eller boligkode", query, "For eksempel «Asakveien 15 H0102», «veien» eller «H0102 Tistedal»."),
  h("button", { type: "submit", class: "btn" }, "Søk"),
  results);
}
