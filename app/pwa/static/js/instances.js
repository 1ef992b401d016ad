// Instances of repeated sections on the device ("Bad 1", "Bad ved soverom"): which ones an
// inspection has as the device sees it, the number a new one gets, and the changes the
// inspector makes offline, kept in the `instances` store until sync.js has sent them in order.
// Outside repeated sections everything is instance 1.

import * as db from "./db.js";
import { nb } from "./format.js";

export const repeats = (section) => Boolean(section?.repeat);

export const labelFor = (section, number) =>
  (nb(section.repeat?.label) || `${nb(section.title)} {n}`).replaceAll("{n}", String(number));

/** The key of one answer in a view's map: item and instance. */
export const answerKey = (itemId, instance) => `${itemId}#${instance || 1}`;

/** Per repeated section, its live instances [{number, label, position}] by position then
 * number: the server's copy (or, for an inspection started on the device, the ones it starts
 * with), changed by what the device has not sent yet and without what it deleted. */
export function instancesOf(sections, record, local) {
  const base = record?.server?.instances || record?.start_instances || {};
  const out = {};
  for (const section of sections.filter(repeats)) {
    const listed = base[section.id]?.length ? base[section.id] : [{ number: 1, label: labelFor(section, 1), position: 1 }];
    const byNumber = new Map(listed.map((i) => [i.number, { ...i }]));
    for (const change of local.filter((r) => r.section_id === section.id)) {
      if (change.deleted) byNumber.delete(change.number);
      else if (change.state !== "sent") byNumber.set(change.number, { number: change.number, label: change.label, position: change.position });
    }
    out[section.id] = [...byNumber.values()].sort((a, b) => a.position - b.position || a.number - b.number);
  }
  return out;
}

/** The number a new instance gets: the highest the device knows + 1; past the section's max,
 * the lowest number up to max never used; null when the section has max instances. */
export function nextNumber(section, live, used) {
  const max = section.repeat.max;
  if (max && live.length >= max) return null;
  const highest = Math.max(0, ...used);
  if (!max || highest + 1 <= max) return highest + 1;
  for (let n = 1; n <= max; n += 1) if (!used.has(n)) return n;
  return null;
}

/** Every number the device has seen in a section: live, deleted, or named by an answer. */
export function usedNumbers(sectionId, live, local, answers) {
  const section = new Set(live.map((i) => i.number));
  for (const r of local) if (r.section_id === sectionId) section.add(r.number);
  for (const a of answers) if (a.section_id === sectionId) section.add(a.instance || 1);
  return section;
}

let counter = 0;
const sequence = () => Date.now() * 1000 + (counter++ % 1000);

/** Which change of one instance this is (`seq`), and its place in the queue (`order`): a
 * change to an instance whose earlier change still waits keeps that one's place, so "add Bad 2,
 * remove Bad 1, rename Bad 2" still reaches the server as add, remove (never below min). */
function stamp(old) {
  const seq = sequence();
  return { seq, order: old?.state === "waiting" && old.order ? old.order : seq };
}

/** Create, rename or move an instance: the latest wish waits to be sent (PUT). */
export async function saveInstance(inspectionId, sectionId, { number, label, position }) {
  const old = await db.get("instances", [inspectionId, sectionId, number]);
  await db.put("instances", {
    inspection_id: inspectionId, section_id: sectionId, number, label, position,
    deleted: false, state: "waiting", error: null, ...stamp(old),
  });
}

/** Delete an instance: its answers and photos go from the device at once, the server deletes
 * its own when the DELETE is sent; the record stays so its number is never used again. */
export async function deleteInstance(inspectionId, section, number) {
  const old = await db.get("instances", [inspectionId, section.id, number]);
  await db.put("instances", {
    ...(old || {}), inspection_id: inspectionId, section_id: section.id, number,
    deleted: true, state: "waiting", error: null, ...stamp(old),
  });
  await dropLocalWork(inspectionId, section.items.map((i) => i.id), number);
}

/** Remove the device's answers and photos of one instance of a section's items. */
export async function dropLocalWork(inspectionId, itemIds, number) {
  const items = new Set(itemIds);
  for (const answer of await db.byInspection("answers", inspectionId)) {
    if (items.has(answer.item_id) && (answer.instance || 1) === number) {
      await db.remove("answers", [inspectionId, answer.item_id, answer.instance || 1]);
    }
  }
  for (const photo of await db.byInspection("photos", inspectionId)) {
    if (items.has(photo.item_id) && (photo.instance || 1) === number) await db.remove("photos", photo.id);
  }
}

/** Whether an answer or photo of `instance` in `sectionId` must wait: its instance is not on
 * the server yet (or is being deleted). */
export function held(pending, sectionId, instance) {
  if (!instance || instance === 1 && !sectionId) return false;
  return pending.some((r) => r.number === instance && (!sectionId || r.section_id === sectionId) && (r.state !== "sent" || r.deleted));
}
