// Downloads for work with no network: an inspection with its unit and checklist, the
// inspector's units with their last approved answers, and starting an inspection on the device.

import { ApiError, OfflineError, api, request } from "./api.js";
import { fetchDefinition, useTable } from "./checklist.js";
import * as db from "./db.js";

async function ensureChecklist(key, version) {
  const ref = `${key}@${version}`;
  // Revalidated on every download (a 304 when nothing changed): the table of answer types and
  // operators and the measures it carries follow the server. Offline, the stored copy serves.
  try {
    await db.put("checklists", { ref, definition: await fetchDefinition(key, version) });
  } catch (error) {
    const usable = error instanceof OfflineError || error instanceof ApiError;
    if (!usable || !(await db.get("checklists", ref))?.definition.answer_types) throw error;
  }
  return ref;
}

/** A downloaded checklist version's definition, its table taken (useTable). One stored by an
 * older app, without the table, is fetched anew when there is a network; offline it is returned
 * as it is (the caller asks for the network). */
export async function storedChecklist(ref) {
  const record = await db.get("checklists", ref);
  if (record && !record.definition.answer_types) {
    const at = ref.lastIndexOf("@");
    try {
      await ensureChecklist(ref.slice(0, at), Number(ref.slice(at + 1)));
      return (await db.get("checklists", ref)).definition;
    } catch (error) {
      if (!(error instanceof OfflineError) && !(error instanceof ApiError)) throw error;
    }
  }
  return useTable(record?.definition);
}

/** Fetch everything an inspection needs offline: itself, its unit and its checklist version. */
export async function downloadInspection(id) {
  const { data, response } = await request(`/inspections/${id}`);
  const ref = await ensureChecklist(data.checklist_key, data.checklist_version);
  const existing = await db.get("inspections", id);
  const unit = existing?.unit?.id === data.unit_id ? existing.unit : await api(`/units/${data.unit_id}`);
  await db.put("inspections", {
    ...existing,
    id,
    ref,
    unit,
    server: data,
    etag: response.headers.get("ETag"),
    pending_create: null,
    create_error: null,
    previous_answers: data.previous_answers || existing?.previous_answers || [],
    downloaded_at: new Date().toISOString(),
  });
  // Answers from the server the device has not changed become the local starting point.
  for (const answer of data.answers) {
    const instance = answer.instance || 1;
    await db.update("answers", [id, answer.item_id, instance], (local) =>
      !local || local.state === "sent" || local.state === "local"
        ? { ...answer, instance, section_id: local?.section_id, inspection_id: id, state: "sent" }
        : null);
  }
  await refreshMissing(id);
}

/** What a submit would refuse now, as the server sees it (a barrier's missing photo too). */
export async function refreshMissing(id) {
  try {
    const report = await api(`/inspections/${id}/missing`);
    const record = await db.get("inspections", id);
    if (record) await db.put("inspections", { ...record, missing: report.missing });
  } catch (error) {
    if (!(error instanceof OfflineError) && !(error instanceof ApiError)) throw error;
  }
}

/** The inspector's units (or the ones given), ready for an offline start. */
export async function downloadStartingPoints(unitIds = null) {
  const query = unitIds ? `?${unitIds.map((u) => `unit_id=${u}`).join("&")}` : "";
  const points = await api(`/inspections/starting-points${query}`);
  for (const point of points) {
    await ensureChecklist(point.checklist_key, point.checklist_version);
    await db.put("units", { id: point.unit.id, point, downloaded_at: new Date().toISOString() });
  }
  return points;
}

/** The device's open draft of a unit, if any. */
export async function localDraftOf(unitId) {
  return (await db.getAll("inspections")).find(
    (r) => r.unit?.id === unitId && (r.pending_create || (r.server?.status || "draft") === "draft"),
  );
}

/** Start an inspection on the device from a downloaded starting point; the server gets it when
 * the device is online (same UUID, so a repeated create is harmless). The last approved answers
 * are carried over here as the server will carry them: shown, to be confirmed. */
export async function startOffline(point) {
  const id = crypto.randomUUID();
  const ref = await ensureChecklistOffline(point);
  await db.put("inspections", {
    id,
    ref,
    unit: point.unit,
    server: null,
    etag: null,
    pending_create: {
      unit_id: point.unit.id,
      checklist_key: point.checklist_key,
      checklist_version: point.checklist_version,
    },
    previous_answers: point.previous_answers,
    start_instances: point.instances || {}, // the instances the server will start it with
    downloaded_at: new Date().toISOString(),
  });
  const at = point.previous_approved_at || new Date(0).toISOString();
  for (const previous of point.previous_answers) {
    await db.put("answers", {
      inspection_id: id,
      item_id: previous.item_id,
      instance: previous.instance || 1,
      value: previous.value,
      not_applicable: previous.not_applicable,
      note: null,
      answered_at: at,
      carried_over: true,
      state: "local", // the server makes the same carried answer when it creates the inspection
    });
  }
  return id;
}

async function ensureChecklistOffline(point) {
  const ref = `${point.checklist_key}@${point.checklist_version}`;
  if (!(await db.get("checklists", ref))) throw new OfflineError();
  return ref;
}

/** The server already has an open draft of this unit: the device's work moves into it. */
export async function moveInto(fromId, toId) {
  for (const answer of await db.byInspection("answers", fromId)) {
    await db.remove("answers", [fromId, answer.item_id, answer.instance || 1]);
    if (answer.state === "waiting" || answer.state === "failed") {
      await db.put("answers", { ...answer, inspection_id: toId, state: "waiting" });
    }
  }
  for (const photo of await db.byInspection("photos", fromId)) {
    await db.put("photos", { ...photo, inspection_id: toId });
  }
  for (const change of await db.byInspection("instances", fromId)) {
    await db.remove("instances", [fromId, change.section_id, change.number]);
    await db.put("instances", { ...change, inspection_id: toId, state: change.state === "sent" ? "sent" : "waiting" });
  }
  await db.remove("inspections", fromId);
  await db.setMeta(`moved:${fromId}`, toId);
}
