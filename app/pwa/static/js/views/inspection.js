// Walking one inspection, section by section, on the phone; works with no network.

import { ApiError, OfflineError, api } from "../api.js";
import { isAnswered, itemStates } from "../checklist.js";
import * as db from "../db.js";
import { announce, append, button, clear, errorBox, fill, h } from "../dom.js";
import { nb } from "../format.js";
import { events, queueState, requestSync, resolveConflict, retryFailed } from "../sync.js";
import { renderItem, stateText, valueText } from "./item.js";

const REASONS = {
  unanswered: "ikke besvart",
  carried_over: "svaret fra forrige befaring er ikke bekreftet",
  photo_required: "avviket mangler bilde",
};
let focusAfterRender = null;

export async function render(main, [id, sectionParam]) {
  const record = await db.get("inspections", id);
  if (!record) {
    main.append(h("h1", { text: "Befaringen er ikke lastet ned" }),
      h("p", {}, "Gå til ", h("a", { href: "#/befaringer", text: "Mine befaringer" }), " og last den ned først."));
    return;
  }
  const { definition } = await db.get("checklists", record.ref);
  const sections = definition.sections;
  const index = Math.min(Number(sectionParam || 0), sections.length - 1);
  const section = sections[index];
  const answers = Object.fromEntries((await db.byInspection("answers", id)).map((a) => [a.item_id, a]));
  const facts = record.unit?.facts || record.unit || {};
  const allItems = sections.flatMap((s) => s.items);
  const draft = (record.server?.status || "draft") === "draft";
  const dependents = new Set(
    sections.flatMap((s) => s.items).flatMap((i) => JSON.stringify(i.condition || {}).match(/"item":"[^"]+"/g) || [])
      .map((m) => m.slice(8, -1)),
  );
  const urls = [];

  const syncPanel = h("section", { class: "card sync", "aria-labelledby": "sync-heading" });
  const progress = h("div", { class: "progress" });
  const list = h("div", { class: "items" });

  // Not applicable and satisfied-another-way items are not asked; an item that waits for a
  // missing register fact is shown with a notice and not required.
  const states = () => itemStates(allItems, answers, facts);
  const visible = (item) => ["applies", "missing_fact"].includes(states()[item.id]);

  function drawProgress() {
    const now = states();
    const all = allItems.filter((i) => now[i.id] === "applies");
    const done = all.filter((i) => isAnswered(answers[i.id]) && !answers[i.id].carried_over).length;
    const label = `${done} av ${all.length} punkter besvart`;
    clear(progress).append(
      h("label", { for: "progress-bar", text: `Fremdrift: ${label}` }),
      h("progress", { id: "progress-bar", max: String(all.length), value: String(done), text: label }),
    );
  }

  async function save(item, patch) {
    const old = answers[item.id] || { inspection_id: id, item_id: item.id };
    const next = {
      ...old,
      value: null,
      not_applicable: false,
      ...patch,
      carried_over: false,
      answered_at: new Date().toISOString(),
      state: "waiting",
      error: null,
      server: null,
    };
    await db.put("answers", next);
    answers[item.id] = next;
    drawProgress();
    if (dependents.has(item.id)) drawItems();
    else refreshItem(item);
    requestSync();
  }

  async function addPhoto(item, blob) {
    const photo = {
      id: crypto.randomUUID(),
      inspection_id: id,
      item_id: item.id,
      caption: "",
      state: "waiting",
      created_at: new Date().toISOString(),
    };
    await db.putPhoto(photo, blob);
    announce("Bildet er lagret på enheten og sendes når det er nett.");
    refreshItem(item);
    requestSync();
  }

  const itemContext = { answers, save, addPhoto, draft, id, record, urls, stateOf: (itemId) => states()[itemId] };
  function refreshItem(item) {
    const old = list.querySelector(`[data-item="${CSS.escape(item.id)}"]`);
    if (!old) return;
    const focused = document.activeElement?.id;
    renderItem(item, itemContext).then((fresh) => {
      old.replaceWith(fresh);
      if (focused) document.getElementById(focused)?.focus();
    });
  }

  async function drawItems() {
    const focused = document.activeElement?.id;
    const items = section.items.filter(visible);
    const rendered = await Promise.all(items.map((item) => renderItem(item, itemContext)));
    clear(list).append(...rendered);
    if (!items.length) list.append(h("p", { text: "Ingen punkter gjelder i denne seksjonen ut fra svarene så langt." }));
    const target = focusAfterRender || focused;
    focusAfterRender = null;
    if (target) document.getElementById(target)?.focus();
  }

  async function drawSync() {
    const q = await queueState(id);
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
            answers[a.item_id] = await db.get("answers", [id, a.item_id]);
            announce("Verdien fra serveren er brukt.");
            drawItems();
            drawProgress();
          }, "btn"))));
    }
    const failed = [...q.answers, ...q.photos].filter((x) => x.state === "failed");
    const photoRows = q.photos.map((p) =>
      h("li", { text: `Bilde ${new Date(p.created_at).toLocaleTimeString("nb-NO")}: ${stateText(p)}` }));
    fill(syncPanel,
      h("h2", { id: "sync-heading", text: "Synkronisering" }),
      h("p", { class: "sync-summary", "data-waiting": String(q.waiting) },
        q.waiting || q.failed || q.conflict
          ? `${q.waiting} venter på sending, ${q.failed} feilet, ${q.conflict} i konflikt.`
          : "Alt er sendt."),
      failed.length ? h("ul", {}, failed.map((f) => h("li", { text: `Feilet: ${f.error || "ukjent feil"}` }))) : null,
      rows.length ? h("div", {}, h("h3", { text: "Konflikter: velg hvilken verdi som gjelder" }), h("ul", { class: "plain" }, rows)) : null,
      photoRows.length ? h("details", {}, h("summary", { text: `Bilder (${q.photos.length})` }), h("ul", {}, photoRows)) : null,
      h("div", { class: "actions" },
        button("Send nå", () => requestSync(), "btn"),
        q.failed ? button("Prøv feilede på nytt", () => retryFailed(id), "btn") : null),
    );
  }

  const onSync = async (event) => {
    if (event.detail.inspection && event.detail.inspection !== id) return;
    for (const a of await db.byInspection("answers", id)) answers[a.item_id] = a;
    await drawSync();
    for (const item of section.items) {
      const status = list.querySelector(`[data-item="${CSS.escape(item.id)}"] .item-sync`);
      if (status && answers[item.id]) status.textContent = stateText(answers[item.id]);
    }
    for (const photo of await db.byInspection("photos", id)) {
      const status = list.querySelector(`[data-photo="${photo.id}"] .photo-state`);
      if (status) status.textContent = stateText(photo);
    }
  };
  events.addEventListener("change", onSync);

  const sectionNav = h("nav", { class: "sections", "aria-label": "Seksjoner" },
    h("details", {}, h("summary", { text: `Seksjon ${index + 1} av ${sections.length}: ${nb(section.title)}` }),
      h("ol", {}, sections.map((s, i) => h("li", {},
        h("a", { href: `#/befaring/${id}/${i}`, "aria-current": i === index ? "step" : null, text: nb(s.title) }))))));

  const pager = h("div", { class: "pager" },
    index > 0 ? h("a", { class: "btn", href: `#/befaring/${id}/${index - 1}`, text: `← Forrige: ${nb(sections[index - 1].title)}` }) : null,
    index < sections.length - 1
      ? h("a", { class: "btn btn-primary", href: `#/befaring/${id}/${index + 1}`, text: `Neste: ${nb(sections[index + 1].title)} →` })
      : null);

  const submitResult = h("div", { "aria-live": "polite" });
  const submit = draft
    ? h("section", { class: "card", "aria-labelledby": "submit-heading" },
        h("h2", { id: "submit-heading", text: "Send inn befaringen" }),
        h("p", { text: "Alle svar og bilder må være sendt før befaringen kan sendes inn." }),
        button("Send inn befaringen", async () => {
          submitResult.replaceChildren(h("p", { text: "Sender inn …" }));
          await requestSync();
          const q = await queueState(id);
          if (q.waiting || q.failed || q.conflict) {
            submitResult.replaceChildren(h("p", { class: "alert alert-warning", role: "alert",
              text: "Noe er ikke sendt ennå (se Synkronisering). Prøv igjen når du er på nett." }));
            return;
          }
          try {
            const result = await api(`/inspections/${id}/submit`, { method: "POST" });
            await db.put("inspections", { ...record, server: result });
            submitResult.replaceChildren(h("p", { class: "alert alert-success", role: "status", text: "Befaringen er sendt inn til godkjenning." }));
          } catch (error) {
            if (error instanceof ApiError && error.status === 422 && error.problem.missing) {
              submitResult.replaceChildren(missingList(error.problem.missing, sections, id, index));
            } else if (error instanceof OfflineError) {
              submitResult.replaceChildren(h("p", { class: "alert alert-warning", role: "alert", text: error.message }));
            } else submitResult.replaceChildren(errorBox(error));
          }
        }, "btn btn-primary"),
        submitResult)
    : h("p", { class: "alert alert-info", text: "Befaringen er sendt inn og kan ikke endres." });

  append(main, [
    h("h1", { text: `Befaring: ${record.unit?.address || ""} ${record.unit?.unit_number || ""}` }),
    draft && record.server?.return_comment
      ? h("div", { class: "alert alert-warning" }, h("p", {}, h("strong", { text: "Sendt tilbake fra godkjenner. Kommentar:" })),
          h("p", { class: "return-comment", text: record.server.return_comment }))
      : null,
    draft ? reviewedItems(record.server?.item_comments, sections, id) : null,
    progress,
    syncPanel,
    sectionNav,
    h("h2", { class: "section-title", text: nb(section.title) }),
    list,
    pager,
    submit,
  ]);
  drawProgress();
  await drawItems();
  await drawSync();
  return () => {
    events.removeEventListener("change", onSync);
    for (const url of urls) URL.revokeObjectURL(url);
  };
}

function missingList(missing, sections, id, current) {
  const groups = Object.entries(missing).map(([sectionId, items]) => {
    const index = sections.findIndex((s) => s.id === sectionId);
    const section = sections[index];
    return h("li", {}, h("strong", { text: nb(section?.title) || sectionId }),
      h("ul", {}, items.map(({ item_id: itemId, reason }) => {
        const item = section?.items.find((i) => i.id === itemId);
        return h("li", {}, h("a", {
          href: `#/befaring/${id}/${index}`,
          onclick: (event) => {
            if (index !== current) {
              focusAfterRender = `q-${itemId}`;
              return;
            }
            event.preventDefault(); // already on this section: the hash would not change
            document.getElementById(`q-${itemId}`)?.focus();
          },
          text: `${nb(item?.question) || itemId} (${REASONS[reason] || reason})`,
        }));
      })));
  });
  const count = Object.values(missing).reduce((n, items) => n + items.length, 0);
  return h("div", { class: "alert alert-warning", role: "alert" },
    h("p", { text: `Befaringen kan ikke sendes inn ennå: ${count} punkter mangler.` }),
    h("ul", {}, groups));
}

/** The items the reviewer commented on, linked to their sections. */
function reviewedItems(comments, sections, id) {
  if (!comments?.length) return null;
  return h("div", { class: "alert alert-warning" },
    h("p", {}, h("strong", { text: `Godkjenneren har kommentert ${comments.length} punkter:` })),
    h("ul", {}, comments.map((c) => {
      const index = sections.findIndex((s) => s.items.some((i) => i.id === c.item_id));
      const item = sections[index]?.items.find((i) => i.id === c.item_id);
      return h("li", {}, h("a", { href: `#/befaring/${id}/${Math.max(index, 0)}`, text: nb(item?.question) || c.item_id }), `: ${c.text}`);
    })));
}
