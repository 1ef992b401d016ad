// "Mine befaringer": the inspector's drafts, downloaded for offline use, and new ones.

import { OfflineError, api, list, request } from "../api.js";
import * as db from "../db.js";
import { announce, button, errorBox, field, h } from "../dom.js";
import { INSPECTION_STATUS, dateTime } from "../format.js";
import { queueState } from "../sync.js";

/** Fetch everything an inspection needs offline: itself, its unit and its checklist version. */
export async function downloadInspection(id) {
  const { data, response } = await request(`/inspections/${id}`);
  const ref = `${data.checklist_key}@${data.checklist_version}`;
  if (!(await db.get("checklists", ref))) {
    const definition = await api(`/checklists/${data.checklist_key}/versions/${data.checklist_version}`);
    await db.put("checklists", { ref, definition });
  }
  const unit = await api(`/units/${data.unit_id}`);
  const existing = await db.get("inspections", id);
  await db.put("inspections", {
    ...existing,
    id,
    ref,
    unit,
    server: data,
    etag: response.headers.get("ETag"),
    downloaded_at: new Date().toISOString(),
  });
  // Answers from the server the device has not changed become the local starting point.
  for (const answer of data.answers) {
    const local = await db.get("answers", [id, answer.item_id]);
    if (!local || local.state === "sent") {
      await db.put("answers", { ...answer, inspection_id: id, state: "sent" });
    }
  }
}

function syncSummary(q) {
  const parts = [];
  if (q.waiting) parts.push(`${q.waiting} venter på sending`);
  if (q.failed) parts.push(`${q.failed} feilet`);
  if (q.conflict) parts.push(`${q.conflict} konflikt`);
  return parts.length ? parts.join(", ") : "Alt er sendt";
}

export async function render(main, _params, { navigate }) {
  const status = h("div", { "aria-live": "polite" });
  const local = await db.getAll("inspections");
  let remote = [];
  try {
    remote = (await list("/inspections?assigned_to=me&status=draft&page_size=100")).items;
  } catch (error) {
    if (!(error instanceof OfflineError)) status.append(errorBox(error));
    else status.append(h("p", { class: "alert alert-info", text: "Frakoblet: viser befaringene som er lastet ned på enheten." }));
  }
  const byId = new Map(local.map((r) => [r.id, { local: r, info: r.server }]));
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
    const title = `${info.address || "Bolig"} ${info.unit_number || ""}`.trim();
    const actions = rec
      ? h("a", { class: "btn btn-primary", href: `#/befaring/${id}`, text: "Åpne" })
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
        h("p", { text: `Status: ${INSPECTION_STATUS[info.status] || info.status}` }),
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
    newInspectionForm(status, navigate),
  );
}

const PAGE = 20;

function newInspectionForm(status, navigate) {
  const query = h("input", { type: "search", name: "q", autocomplete: "off" });
  const results = h("div", { "aria-live": "polite" });
  const found = h("ul", { class: "plain" });
  const start = (unit) => h("li", {}, button(`Start befaring: ${unit.address} ${unit.unit_number}`, async () => {
    try {
      const created = await api("/inspections", { method: "POST", json: { id: crypto.randomUUID(), unit_id: unit.id } });
      await downloadInspection(created.id);
      announce("Befaringen er opprettet og lastet ned.");
      navigate(`befaring/${created.id}`);
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }, "btn"));
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
  const form = h("form", {
    class: "card",
    onsubmit: async (event) => {
      event.preventDefault();
      results.replaceChildren(h("p", { text: "Søker …" }));
      await showPage(1);
    },
  },
  h("h2", { text: "Ny befaring" }),
  field("Søk etter adresse eller boligkode", query),
  h("button", { type: "submit", class: "btn" }, "Søk"),
  results);
  return form;
}
