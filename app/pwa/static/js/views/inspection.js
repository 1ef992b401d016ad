// Walking one inspection on the phone, section by section and item by item, one hand, with no
// network if need be: compact items, a sticky bottom bar, a section menu with counts, and
// progress that counts what a submit would refuse. A repeated section ("Bad 1", "Bad ved
// soverom") is walked one instance at a time (#/befaring/{id}/{section}/{number}); its
// instances are added, renamed, moved and removed here, offline too (instances.js).

import * as db from "../db.js";
import { announce, append, button, clear, fill, h } from "../dom.js";
import { nb } from "../format.js";
import {
  answerKey, deleteInstance, instancesOf, labelFor, nextNumber, repeats, saveInstance,
} from "../instances.js";
import { storedChecklist } from "../offline.js";
import { overview, shown as asked } from "../progress.js";
import { deletePhoto, events, requestSync, setCaption } from "../sync.js";
import { answerSyncText, renderItem, stateText } from "./item.js";
import { bottomBar, drawSync, instancePanel, missingList, sectionMenu, submitCard } from "./inspection_parts.js";

let focusAfterRender = null;

export async function render(main, [id, sectionParam, instanceParam], { navigate }) {
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
  const repeated = repeats(section);
  // Every answer on the device by item and instance; `answers` is what this page's instance
  // sees (by item: this section's items of this instance, the others' instance 1).
  const all = Object.fromEntries((await db.byInspection("answers", id)).map((a) => [answerKey(a.item_id, a.instance), a]));
  let changes = await db.byInspection("instances", id);
  let instances = instancesOf(sections, record, changes);
  const live = () => instances[section.id] || [];
  const wantedNumber = Number(instanceParam || 0);
  const instance = repeated ? live().find((i) => i.number === wantedNumber) || live()[0] || null : { number: 1, label: null };
  if (repeated && instance && instanceParam !== undefined && instance.number !== wantedNumber) {
    // An instance removed meanwhile (here or on the server): its section's first instead.
    return navigate(`befaring/${id}/${index}/${instance.number}`);
  }
  const number = instance?.number || 1;
  const mine = (itemId) => repeated && section.items.some((i) => i.id === itemId);
  const instanceOf = (itemId) => (mine(itemId) ? number : 1);
  const answers = {};
  const previous = {};
  const seeInstance = () => {
    for (const key of Object.keys(answers)) delete answers[key];
    for (const item of sections.flatMap((s) => s.items)) {
      const answer = all[answerKey(item.id, instanceOf(item.id))];
      if (answer) answers[item.id] = answer;
    }
  };
  seeInstance();
  for (const a of record.previous_answers || []) {
    if ((a.instance || 1) === instanceOf(a.item_id)) previous[a.item_id] = a;
  }
  const placeOf = (sectionIndex, n) => (repeats(sections[sectionIndex]) && n ? `${sectionIndex}/${n}` : `${sectionIndex}`);
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
  const instanceSlot = h("div", { class: "instance-slot" });

  // -- a repeated section's instances: added, renamed, moved and removed on the device --
  const labelOf = (sectionId, n) => {
    const s = sections.find((x) => x.id === sectionId);
    if (!repeats(s)) return null;
    return (instances[sectionId] || []).find((i) => i.number === (n || 1))?.label || labelFor(s, n || 1);
  };
  function drawInstances() {
    // Redrawn as answers sync: what is open, typed or focused in it stays so.
    const open = instanceSlot.querySelector(".instance-tools")?.open;
    const typed = instanceSlot.querySelector("#instance-name")?.value;
    const focused = instanceSlot.contains(document.activeElement) ? document.activeElement : null;
    const confirming = instanceSlot.querySelector(".instance-confirm")?.childElementCount;
    const again = !focused ? null
      : focused.id ? `#${focused.id}`
        : focused.matches("a") ? `a[href="${focused.getAttribute("href")}"]`
          : focused.classList.length ? `.${[...focused.classList].join(".")}` : focused.localName;
    fill(instanceSlot, instancePanel({
      id, index, section, live: live(), current: number, view, draft,
      onAdd: addInstance, onRename: renameInstance, onMove: moveInstance, onRemove: removeInstance,
    }));
    const tools = instanceSlot.querySelector(".instance-tools");
    if (tools && open) tools.open = true;
    const name = instanceSlot.querySelector("#instance-name");
    if (name && typed !== undefined) name.value = typed;
    if (confirming) instanceSlot.querySelector(".remove-instance")?.click();
    if (again && !confirming) instanceSlot.querySelector(again)?.focus({ preventScroll: true });
  }
  async function reread() {
    changes = await db.byInspection("instances", id);
    instances = instancesOf(sections, record, changes);
  }
  async function addInstance() {
    const items = new Set(section.items.map((i) => i.id));
    const used = new Set(live().map((i) => i.number));
    for (const c of changes) if (c.section_id === section.id) used.add(c.number);
    for (const a of Object.values(all)) if (items.has(a.item_id)) used.add(a.instance || 1);
    for (const p of [...photos, ...serverPhotos()]) if (items.has(p.item_id)) used.add(p.instance || 1);
    const n = nextNumber(section, live(), used);
    if (n === null) return announce(`Seksjonen kan ha høyst ${section.repeat.max}.`);
    const position = Math.min(999, Math.max(0, ...live().map((i) => i.position)) + 1);
    const label = labelFor(section, n);
    await saveInstance(id, section.id, { number: n, label, position });
    announce(`«${label}» er lagt til.`);
    requestSync();
    navigate(`befaring/${id}/${index}/${n}`);
  }
  async function renameInstance(text) {
    const label = text.trim();
    if (!label || label.length > 60) return "Skriv et navn på 1 til 60 tegn.";
    if (label === instance.label) return null;
    const position = live().find((i) => i.number === number)?.position ?? instance.position;
    await saveInstance(id, section.id, { number, label, position });
    instance.label = label;
    await reread();
    main.querySelector(".instance-name").textContent = `: ${label}`;
    drawProgress();
    announce(`Navnet er endret til «${label}».`);
    requestSync();
    return null;
  }
  async function moveInstance(step) {
    const order = [...live()];
    const at = order.findIndex((i) => i.number === number);
    const to = at + step;
    if (at < 0 || to < 0 || to >= order.length) return;
    [order[at], order[to]] = [order[to], order[at]];
    for (const [k, i] of order.entries()) {
      if (i.position !== k + 1) await saveInstance(id, section.id, { number: i.number, label: i.label, position: k + 1 });
    }
    await reread();
    drawProgress();
    const again = instanceSlot.querySelector(step < 0 ? ".move-up" : ".move-down");
    (again && !again.disabled ? again : instanceSlot.querySelector(".instance-tools summary"))?.focus();
    announce(`«${instance.label}» er flyttet ${step < 0 ? "opp" : "ned"}.`);
    requestSync();
  }
  async function removeInstance() {
    await deleteInstance(id, section, number);
    announce(`«${instance.label}» er fjernet.`);
    requestSync();
    navigate(`befaring/${id}/${index}`);
  }

  // -- photos: what the device holds, and what the server has that the device does not --
  const serverPhotos = () => record.server?.photos || [];
  function photosOf(itemId, n = instanceOf(itemId)) {
    const here = (p) => p.item_id === itemId && (p.instance || 1) === n;
    const local = photos.filter((p) => here(p) && p.state !== "deleting");
    const known = new Set(photos.flatMap((p) => [p.id, p.server?.id]).filter(Boolean));
    const remote = serverPhotos().filter((p) => here(p) && !known.has(p.id));
    return [...local.map((p) => ({ local: p, server: p.server })), ...remote.map((p) => ({ local: null, server: p }))];
  }
  const photoCount = (itemId, n = instanceOf(itemId)) =>
    photosOf(itemId, n).filter((p) => !p.local || p.local.state === "waiting" || p.local.state === "sent").length;
  const photoCounts = () => {
    const counts = {};
    for (const p of [...photos, ...serverPhotos()]) {
      const key = answerKey(p.item_id, p.instance);
      if (p.item_id && !(key in counts)) counts[key] = photoCount(p.item_id, p.instance || 1);
    }
    return counts;
  };

  // Which items are asked follows checklist.js (itemStates), through progress.js.
  const part = () => {
    view = view || overview(sections, all, facts, photoCounts(), record.missing, instances);
    return view.bySection[index].instances.find((p) => p.instance.number === number) || null;
  };
  const shown = () => {
    const here = part();
    return here && instance ? section.items.filter((item) => asked(item, here.states[item.id], answers)) : [];
  };
  const statusOf = (item) => {
    const entry = part()?.items.find((i) => i.item.id === item.id);
    return entry ? entry.status : null;
  };

  function drawProgress() {
    view = overview(sections, all, facts, photoCounts(), record.missing, instances);
    const open = view.total - view.done;
    fill(progress,
      h("label", { for: "progress-bar", text: `Fremdrift: ${view.done} av ${view.total} punkter ferdig` }),
      h("div", { class: "progress-row" },
        h("progress", { id: "progress-bar", max: String(view.total), value: String(view.done), text: `${view.done} av ${view.total}` }),
        open && draft ? button(`Vis hva som mangler (${open})`, () => showMissing(), "btn btn-link missing-link") : null));
    fill(menuSlot, sectionMenu(id, index, view));
    const here = repeated ? part() || { done: 0, total: 0, items: [] } : view.bySection[index];
    sectionCount.textContent = ` ${here.done} av ${here.total}`;
    if (repeated) drawInstances();
    const carried = here.items.filter((i) => i.status === "carried_over");
    fill(confirmSlot, carried.length && draft
      ? button(`Bekreft alle uendrede i seksjonen (${carried.length})`, () => confirmAll(carried.map((i) => i.item)), "btn btn-primary")
      : null);
    updateBar();
  }

  function missingNow() {
    const out = {};
    for (const s of view.bySection) {
      const open = s.items.filter((i) => i.status && i.status !== "done");
      if (open.length) {
        out[s.section.id] = open.map((i) => ({
          item_id: i.item.id, ...(repeats(s.section) ? { instance: i.instance } : {}), reason: i.status,
        }));
      }
    }
    return out;
  }

  function showMissing() {
    const box = missingList(missingNow(), sections, id, goToItem, labelOf);
    fill(submitSlot.querySelector("[aria-live]") || submitSlot, box);
    box.scrollIntoView({ block: "start" });
    box.querySelector("a")?.focus({ preventScroll: true });
  }

  async function write(item, patch) {
    const n = instanceOf(item.id);
    const old = all[answerKey(item.id, n)] || { inspection_id: id, item_id: item.id };
    const next = {
      ...old, instance: n, ...(repeated && mine(item.id) ? { section_id: section.id } : {}),
      value: null, not_applicable: false, ...patch,
      carried_over: false, answered_at: new Date().toISOString(), state: "waiting", error: null, server: null,
    };
    await db.put("answers", next);
    all[answerKey(item.id, n)] = next;
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
    const photo = {
      id: crypto.randomUUID(), inspection_id: id, item_id: item.id, instance: instanceOf(item.id),
      section_id: repeated ? section.id : undefined, caption: "", state: "waiting", created_at: new Date().toISOString(),
    };
    await db.putPhoto(photo, blob);
    photos = await db.byInspection("photos", id);
    announce("Bildet er lagret på enheten og sendes når det er nett.");
    drawProgress();
    refreshItem(item, true, true);
    requestSync();
  }

  const asLocal = async (photo) => {
    if (photo.local) return photo.local;
    const made = { id: photo.server.id, inspection_id: id, item_id: photo.server.item_id, instance: photo.server.instance || 1, caption: photo.server.caption,
      state: "sent", server: photo.server, created_at: photo.server.created_at };
    await db.put("photos", made);
    return made;
  };

  const itemContext = {
    answers, previous, save, addPhoto, draft, id, urls, photosOf, photoCount, sentHere, status: statusOf,
    stateOf: (itemId) => part()?.states[itemId],
    // The reviewer's comment on an item, from the last return (the record is re-read on sync).
    reviewOf: (itemId) => (record.server?.item_comments || []).find((c) => c.item_id === itemId && (c.instance || 1) === instanceOf(itemId)),
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
    if (!instance) list.append(h("p", { text: `Ingen ${nb(section.title).toLowerCase()} er registrert. Legg til en for å svare.` }));
    else if (!items.length) list.append(h("p", { text: "Ingen punkter gjelder i denne seksjonen ut fra svarene så langt." }));
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
  // Within a repeated section the bar goes on to the section's next (previous) instance first.
  const at = () => live().findIndex((i) => i.number === number);
  const before = () => (repeated && at() > 0 ? `${index}/${live()[at() - 1].number}` : index > 0 ? `${index - 1}` : null);
  const after = () => (repeated && at() >= 0 && at() < live().length - 1 ? `${index}/${live()[at() + 1].number}`
    : index < sections.length - 1 ? `${index + 1}` : null);
  const bar = bottomBar({
    onPrevious: () => (current > 0 ? goTo(current - 1) : before() !== null && navigate(`befaring/${id}/${before()}`)),
    onNext: () => (current < shown().length - 1 ? goTo(current + 1) : after() !== null && navigate(`befaring/${id}/${after()}`)),
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
  function goToItem(event, sectionIndex, itemId, n) {
    if (sectionIndex !== index || (repeated && (n || 1) !== number)) {
      focusAfterRender = `q-${itemId}`;
      return;
    }
    event?.preventDefault();
    const position = shown().findIndex((i) => i.id === itemId);
    if (position >= 0) goTo(position);
  }
  function nextOpen() {
    const order = view.bySection.flatMap((s, si) =>
      s.instances.flatMap((p) => p.items.map((entry, ii) => ({ si, n: p.instance.number, ii, entry }))));
    const here = order.findIndex((o) => o.si === index && o.n === number && o.ii === current);
    const rest = [...order.slice(here + 1), ...order.slice(0, here + 1)];
    const target = rest.find((o) => o.entry.status && o.entry.status !== "done");
    if (!target) {
      announce("Alle punkter er besvart. Befaringen kan sendes inn.");
      document.getElementById("submit-heading")?.scrollIntoView({ block: "start" });
      return;
    }
    if (target.si === index && target.n === number) return goTo(target.ii);
    focusAfterRender = `q-${target.entry.item.id}`;
    navigate(`befaring/${id}/${placeOf(target.si, target.n)}`);
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
    changes = await db.byInspection("instances", id);
    const was = JSON.stringify(live());
    instances = instancesOf(sections, record, changes);
    if (repeated && instance && !live().some((i) => i.number === number)) {
      announce(`«${instance.label}» finnes ikke lenger.`);
      return navigate(`befaring/${id}/${index}`);
    }
    const stored = await db.byInspection("answers", id);
    const keys = new Set(stored.map((a) => answerKey(a.item_id, a.instance)));
    for (const key of Object.keys(all)) if (!keys.has(key)) delete all[key];
    for (const a of stored) {
      // Read while a tap was being saved, the copy is older than the tap: the tap stays.
      const key = answerKey(a.item_id, a.instance);
      const tapped = all[key];
      if (!(tapped?.state === "waiting" && a.answered_at < tapped.answered_at)) all[key] = a;
    }
    seeInstance();
    if (repeated && was !== JSON.stringify(live())) drawInstances();
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
    onServerValue: async (itemId, n = 1) => {
      all[answerKey(itemId, n)] = await db.get("answers", [id, itemId, n]);
      seeInstance();
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
    draft ? reviewedItems(record.server?.item_comments, sections, id, labelOf) : null,
    progress,
    syncPanel,
    menuSlot,
    h("h2", { class: "section-title", id: "section-heading", tabindex: "-1" },
      nb(section.title), repeated && instance ? h("span", { class: "instance-name", text: `: ${instance.label}` }) : null, sectionCount),
    repeated ? instanceSlot : null,
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
  submitSlot.append(submitCard({ id, sections, draft, goTo: goToItem, labelOf, last: index === sections.length - 1, onRefused: async () => {
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

/** The items the reviewer commented on, linked to their sections (and instances). */
function reviewedItems(comments, sections, id, labelOf) {
  if (!comments?.length) return null;
  return h("div", { class: "alert alert-warning" },
    h("p", {}, h("strong", { text: `Godkjenneren har kommentert ${comments.length} punkter:` })),
    h("ul", {}, comments.map((c) => {
      const index = sections.findIndex((s) => s.items.some((i) => i.id === c.item_id));
      const item = sections[index]?.items.find((i) => i.id === c.item_id);
      const label = index >= 0 ? labelOf(sections[index].id, c.instance) : null;
      const where = label ? `/${c.instance}` : "";
      return h("li", {}, h("a", { href: `#/befaring/${id}/${Math.max(index, 0)}${where}`,
        text: `${nb(item?.question) || c.item_id}${label ? ` (${label})` : ""}` }), `: ${c.text}`);
    })));
}
