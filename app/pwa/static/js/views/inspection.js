// Walking one inspection on the phone, section by section and item by item, one hand, with no
// network if need be: compact items, a sticky bottom bar, a section menu with counts, and
// progress that counts what a submit would refuse.

import * as db from "../db.js";
import { announce, append, button, clear, fill, h } from "../dom.js";
import { nb } from "../format.js";
import { storedChecklist } from "../offline.js";
import { overview, shown as asked } from "../progress.js";
import { deletePhoto, events, requestSync, setCaption } from "../sync.js";
import { answerSyncText, renderItem, stateText } from "./item.js";
import { bottomBar, drawSync, missingList, sectionMenu, submitCard } from "./inspection_parts.js";

let focusAfterRender = null;

export async function render(main, [id, sectionParam], { navigate }) {
  const moved = await db.getMeta(`moved:${id}`);
  if (moved) return navigate(`befaring/${moved}${sectionParam ? `/${sectionParam}` : ""}`);
  let record = await db.get("inspections", id);
  if (!record) {
    main.append(h("h1", { text: "Befaringen er ikke lastet ned" }),
      h("p", {}, "Gå til ", h("a", { href: "#/befaringer", text: "Mine befaringer" }), " og last den ned først."));
    return;
  }
  const definition = await storedChecklist(record.ref);
  if (!definition?.answer_types) {
    // Stored by an older version of the app, and no network to bring it up to date.
    main.append(h("h1", { text: "Sjekklisten må lastes ned på nytt" }),
      h("p", { text: "Sjekklisten på enheten er fra en eldre versjon av appen. Åpne befaringen igjen når du er på nett." }));
    return;
  }
  const sections = definition.sections;
  const index = Math.min(Number(sectionParam || 0), sections.length - 1);
  const section = sections[index];
  const answers = Object.fromEntries((await db.byInspection("answers", id)).map((a) => [a.item_id, a]));
  const previous = Object.fromEntries((record.previous_answers || []).map((a) => [a.item_id, a]));
  let photos = await db.byInspection("photos", id);
  const facts = record.unit?.facts || record.unit || {};
  const draft = (record.server?.status || "draft") === "draft";
  const dependents = new Set(
    sections.flatMap((s) => s.items).flatMap((i) => JSON.stringify(i.condition || {}).match(/"item":"[^"]+"/g) || [])
      .map((m) => m.slice(8, -1)),
  );
  const urls = [];
  const sentHere = new Set(); // items seen waiting on this page: they say "Sendt" when sent
  let view = null;
  let current = 0;
  let ticking = false;
  let quietUntil = 0;

  const progress = h("div", { class: "progress" });
  const syncPanel = h("section", { class: "sync", "aria-labelledby": "sync-heading" });
  const menuSlot = h("div");
  const confirmSlot = h("div", { class: "confirm-all" });
  const sectionCount = h("span", { class: "section-count" });
  const list = h("div", { class: "items" });
  const submitSlot = h("div");

  // -- photos: what the device holds, and what the server has that the device does not --
  const serverPhotos = () => record.server?.photos || [];
  function photosOf(itemId) {
    const local = photos.filter((p) => p.item_id === itemId && p.state !== "deleting");
    const known = new Set(photos.flatMap((p) => [p.id, p.server?.id]).filter(Boolean));
    const remote = serverPhotos().filter((p) => p.item_id === itemId && !known.has(p.id));
    return [...local.map((p) => ({ local: p, server: p.server })), ...remote.map((p) => ({ local: null, server: p }))];
  }
  const photoCount = (itemId) =>
    photosOf(itemId).filter((p) => !p.local || p.local.state === "waiting" || p.local.state === "sent").length;
  const photoCounts = () => {
    const counts = {};
    for (const s of sections) for (const item of s.items) counts[item.id] = photoCount(item.id);
    return counts;
  };

  // Which items are asked follows checklist.js (itemStates), through progress.js.
  const shown = () => {
    const states = view?.states || overview(sections, answers, facts, {}, null).states;
    return section.items.filter((item) => asked(item, states[item.id], answers));
  };
  const statusOf = (item) => {
    const entry = view?.bySection[index].items.find((i) => i.item.id === item.id);
    return entry ? entry.status : null;
  };

  function drawProgress() {
    view = overview(sections, answers, facts, photoCounts(), record.missing);
    const open = view.total - view.done;
    fill(progress,
      h("label", { for: "progress-bar", text: `Fremdrift: ${view.done} av ${view.total} punkter ferdig` }),
      h("div", { class: "progress-row" },
        h("progress", { id: "progress-bar", max: String(view.total), value: String(view.done), text: `${view.done} av ${view.total}` }),
        open && draft ? button(`Vis hva som mangler (${open})`, () => showMissing(), "btn btn-link missing-link") : null));
    fill(menuSlot, sectionMenu(id, index, view));
    const here = view.bySection[index];
    sectionCount.textContent = ` ${here.done} av ${here.total}`;
    const carried = view.bySection[index].items.filter((i) => i.status === "carried_over");
    fill(confirmSlot, carried.length && draft
      ? button(`Bekreft alle uendrede i seksjonen (${carried.length})`, () => confirmAll(carried.map((i) => i.item)), "btn btn-primary")
      : null);
    updateBar();
  }

  function missingNow() {
    const out = {};
    for (const s of view.bySection) {
      const open = s.items.filter((i) => i.status && i.status !== "done");
      if (open.length) out[s.section.id] = open.map((i) => ({ item_id: i.item.id, reason: i.status }));
    }
    return out;
  }

  function showMissing() {
    const box = missingList(missingNow(), sections, id, goToItem);
    fill(submitSlot.querySelector("[aria-live]") || submitSlot, box);
    box.scrollIntoView({ block: "start" });
    box.querySelector("a")?.focus({ preventScroll: true });
  }

  async function write(item, patch) {
    const old = answers[item.id] || { inspection_id: id, item_id: item.id };
    const next = {
      ...old, value: null, not_applicable: false, ...patch,
      carried_over: false, answered_at: new Date().toISOString(), state: "waiting", error: null, server: null,
    };
    await db.put("answers", next);
    answers[item.id] = next;
  }

  async function save(item, patch, { rerender = true } = {}) {
    await write(item, patch);
    drawProgress();
    if (dependents.has(item.id)) drawItems();
    else refreshItem(item, rerender);
    requestSync();
  }

  async function confirmAll(items) {
    for (const item of items) {
      const a = answers[item.id];
      await write(item, { value: a.value, not_applicable: a.not_applicable, note: a.note });
    }
    drawProgress();
    await drawItems();
    announce(`${items.length} svar er bekreftet uendret.`);
    requestSync();
  }

  async function addPhoto(item, blob) {
    const photo = { id: crypto.randomUUID(), inspection_id: id, item_id: item.id, caption: "", state: "waiting", created_at: new Date().toISOString() };
    await db.putPhoto(photo, blob);
    photos = await db.byInspection("photos", id);
    announce("Bildet er lagret på enheten og sendes når det er nett.");
    drawProgress();
    refreshItem(item, true, true);
    requestSync();
  }

  const asLocal = async (photo) => {
    if (photo.local) return photo.local;
    const made = { id: photo.server.id, inspection_id: id, item_id: photo.server.item_id, caption: photo.server.caption,
      state: "sent", server: photo.server, created_at: photo.server.created_at };
    await db.put("photos", made);
    return made;
  };

  const itemContext = {
    answers, previous, save, addPhoto, draft, id, urls, photosOf, photoCount, sentHere, status: statusOf,
    stateOf: (itemId) => view?.states[itemId],
    // The reviewer's comment on an item, from the last return (the record is re-read on sync).
    reviewOf: (itemId) => (record.server?.item_comments || []).find((c) => c.item_id === itemId),
    deletePhoto: async (photo) => {
      await deletePhoto(await asLocal(photo));
      photos = await db.byInspection("photos", id);
      announce("Bildet er slettet.");
      drawProgress();
      const item = sections.flatMap((s) => s.items).find((i) => i.id === (photo.local || photo.server).item_id);
      if (item) refreshItem(item, true, true);
    },
    setCaption: async (photo, caption) => {
      try {
        await setCaption(await asLocal(photo), caption);
        photos = await db.byInspection("photos", id);
        announce("Bildeteksten er lagret.");
      } catch (error) {
        announce(`Bildeteksten ble ikke lagret: ${error.message}`);
      }
    },
  };

  function refreshItem(item, rerender, keepOpen = false) {
    const old = list.querySelector(`[data-item="${CSS.escape(item.id)}"]`);
    if (!old) return;
    const fresh = renderItem(item, itemContext);
    if (!rerender) {
      old.dataset.status = fresh.dataset.status;
      for (const part of [".status-row", ".previous"]) {
        const mine = old.querySelector(part);
        const theirs = fresh.querySelector(part);
        if (mine && theirs) mine.replaceWith(theirs);
        else if (theirs) old.querySelector(".more").before(theirs);
        else mine?.remove();
      }
      return;
    }
    const focused = document.activeElement?.id;
    const wasOpen = old.querySelector(".more-toggle")?.getAttribute("aria-expanded") === "true";
    old.replaceWith(fresh);
    if (wasOpen || keepOpen) fresh.querySelector(".more-toggle").click();
    if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
  }

  async function drawItems() {
    const focused = document.activeElement?.id;
    const items = shown();
    clear(list).append(...items.map((item) => renderItem(item, itemContext)));
    if (!items.length) list.append(h("p", { text: "Ingen punkter gjelder i denne seksjonen ut fra svarene så langt." }));
    const target = focusAfterRender || focused;
    focusAfterRender = null;
    const el = target && document.getElementById(target);
    if (el) {
      el.closest(".item")?.scrollIntoView({ block: "start" });
      el.focus({ preventScroll: true });
    }
    updateBar();
  }

  // -- the bottom bar: item by item within the section, then on to the next section --
  const bar = bottomBar({
    onPrevious: () => (current > 0 ? goTo(current - 1) : index > 0 && navigate(`befaring/${id}/${index - 1}`)),
    onNext: () => (current < shown().length - 1 ? goTo(current + 1) : index < sections.length - 1 && navigate(`befaring/${id}/${index + 1}`)),
    onNextOpen: () => nextOpen(),
  });
  function updateBar() {
    const count = shown().length;
    current = Math.min(current, Math.max(count - 1, 0));
    bar.setWhere(count ? current + 1 : 0, count);
  }
  function goTo(position) {
    const el = list.querySelectorAll(".item")[position];
    if (!el) return;
    current = position;
    quietUntil = performance.now() + 500;
    el.scrollIntoView({ block: "start" });
    el.querySelector("input:checked, input:not([type=hidden]), textarea")?.focus({ preventScroll: true });
    updateBar();
  }
  function goToItem(event, sectionIndex, itemId) {
    if (sectionIndex !== index) {
      focusAfterRender = `q-${itemId}`;
      return;
    }
    event?.preventDefault();
    const position = shown().findIndex((i) => i.id === itemId);
    if (position >= 0) goTo(position);
  }
  function nextOpen() {
    const order = view.bySection.flatMap((s, si) => s.items.map((entry, ii) => ({ si, ii, entry })));
    const here = order.findIndex((o) => o.si === index && o.ii === current);
    const rest = [...order.slice(here + 1), ...order.slice(0, here + 1)];
    const target = rest.find((o) => o.entry.status && o.entry.status !== "done");
    if (!target) {
      announce("Alle punkter er besvart. Befaringen kan sendes inn.");
      document.getElementById("submit-heading")?.scrollIntoView({ block: "start" });
      return;
    }
    if (target.si === index) return goTo(target.ii);
    focusAfterRender = `q-${target.entry.item.id}`;
    navigate(`befaring/${id}/${target.si}`);
  }
  list.addEventListener("focusin", (event) => {
    const el = event.target.closest(".item");
    const position = [...list.querySelectorAll(".item")].indexOf(el);
    if (position >= 0 && position !== current) {
      current = position;
      updateBar();
    }
  });
  const onScroll = () => {
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(() => {
      ticking = false;
      const items = [...list.querySelectorAll(".item")];
      if (performance.now() < quietUntil) return; // our own scroll to an item
      const position = items.findIndex((el) => {
        const box = el.getBoundingClientRect();
        return box.top + box.height / 2 > 0;
      });
      if (position >= 0 && position !== current) {
        current = position;
        updateBar();
      }
    });
  };
  window.addEventListener("scroll", onScroll, { passive: true });

  const onSync = async (event) => {
    const detail = event.detail;
    if (detail.inspection && detail.inspection !== id) return;
    if (detail.moved) return navigate(`befaring/${detail.moved}/${index}`);
    record = (await db.get("inspections", id)) || record;
    for (const a of await db.byInspection("answers", id)) {
      // Read while a tap was being saved, the copy is older than the tap: the tap stays.
      const mine = answers[a.item_id];
      if (!(mine?.state === "waiting" && a.answered_at < mine.answered_at)) answers[a.item_id] = a;
    }
    photos = await db.byInspection("photos", id);
    await drawSync(syncPanel, syncOptions);
    drawProgress();
    for (const item of shown()) {
      const el = list.querySelector(`[data-item="${CSS.escape(item.id)}"]`);
      if (!el) continue;
      if (el.querySelector(".item-sync")?.textContent) sentHere.add(item.id);
      const status = statusOf(item);
      if (el.dataset.status !== status || detail.photo) refreshItem(item, false);
      const sync = el.querySelector(".item-sync");
      if (sync) sync.textContent = answerSyncText(answers[item.id], sentHere.has(item.id));
    }
    for (const photo of photos) {
      const state = list.querySelector(`[data-photo="${photo.id}"] .photo-state`);
      if (state) state.textContent = stateText(photo);
    }
  };
  const syncOptions = {
    id,
    sections,
    onServerValue: async (itemId) => {
      answers[itemId] = await db.get("answers", [id, itemId]);
      drawProgress();
      drawItems();
    },
  };
  events.addEventListener("change", onSync);

  document.body.classList.add("has-bottom-bar");
  append(main, [
    h("h1", { class: "inspection-title", text: `Befaring: ${record.unit?.address || ""} ${record.unit?.unit_number || ""}` }),
    draft && record.server?.return_comment
      ? h("div", { class: "alert alert-warning" }, h("p", {}, h("strong", { text: "Sendt tilbake fra godkjenner. Kommentar:" })),
          h("p", { class: "return-comment", text: record.server.return_comment }))
      : null,
    draft ? reviewedItems(record.server?.item_comments, sections, id) : null,
    progress,
    syncPanel,
    menuSlot,
    h("h2", { class: "section-title", id: "section-heading", tabindex: "-1" },
      nb(section.title), sectionCount),
    confirmSlot,
    list,
    h("div", { class: "pager" },
      index > 0 ? h("a", { class: "btn", href: `#/befaring/${id}/${index - 1}`, text: `← Forrige: ${nb(sections[index - 1].title)}` }) : null,
      index < sections.length - 1
        ? h("a", { class: "btn btn-primary", href: `#/befaring/${id}/${index + 1}`, text: `Neste: ${nb(sections[index + 1].title)} →` })
        : null),
    submitSlot,
    bar,
  ]);
  drawProgress();
  submitSlot.append(submitCard({ id, sections, draft, goTo: goToItem, last: index === sections.length - 1, onRefused: async () => {
    record = await db.get("inspections", id);
    drawProgress();
  } }));
  const wanted = focusAfterRender;
  await drawItems();
  await drawSync(syncPanel, syncOptions);
  if (!wanted && sectionParam !== undefined) {
    // A section opened from the menu or the bar: its first item in view, the heading focused.
    const heading = document.getElementById("section-heading");
    heading.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  }
  return () => {
    events.removeEventListener("change", onSync);
    window.removeEventListener("scroll", onScroll);
    document.body.classList.remove("has-bottom-bar");
    for (const url of urls) URL.revokeObjectURL(url);
  };
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
