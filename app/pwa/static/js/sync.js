// The sync queue: answers, instances of repeated sections and photos saved on the device are
// sent when there is a network. Each answer carries answered_at, each photo its UUID and each
// instance change its whole wish (PUT or DELETE of one number), so a retry is always safe.
// Per inspection instance changes go first, in the order they were made; an answer or photo
// of an instance the server does not have yet waits until its PUT has gone.
// States: waiting (Venter), sent (Sendt), failed (Feilet, with reason), conflict (Konflikt).

import { ApiError, OfflineError, api, request, setCsrf } from "./api.js";
import * as db from "./db.js";
import { dropLocalWork, held } from "./instances.js";
import { downloadInspection, moveInto, refreshMissing } from "./offline.js";

export const events = new EventTarget();
let running = null;
let again = false;

const changed = (detail) => events.dispatchEvent(new CustomEvent("change", { detail }));

/** Send what waits; a request while sending runs one more round after it. */
export function requestSync() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      await drain();
    } while (again && navigator.onLine);
  })().finally(() => {
    running = null;
    changed({ done: true });
  });
  return running;
}

export const isSyncing = () => running !== null;

async function drain() {
  try {
    for (const record of await db.getAll("inspections")) {
      if (record.pending_create) await createOnServer(record);
    }
    const changes = (await db.getAll("instances")).filter((r) => r.state === "waiting");
    const reshaped = new Set(changes.map((r) => r.inspection_id));
    for (const id of reshaped) await sendInstances(id);
    const answers = await db.getAll("answers");
    const ids = new Set(answers.filter((a) => a.state === "waiting").map((a) => a.inspection_id));
    for (const id of ids) await sendAnswers(id);
    for (const id of reshaped) ids.add(id);
    const touched = new Set();
    for (const photo of await db.getAll("photos")) {
      if (photo.state === "waiting" || photo.state === "deleting") {
        await sendPhoto(photo);
        touched.add(photo.inspection_id);
      }
    }
    for (const id of new Set([...ids, ...touched])) await refreshServerCopy(id);
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
}

/** An inspection started offline: create it on the server under the device's UUID. If the
 * server has an open draft of the unit already, the device's answers and photos move into it. */
async function createOnServer(record) {
  try {
    await withCsrfRetry(() =>
      request("/inspections", { method: "POST", json: { id: record.id, ...record.pending_create } }),
    );
    await downloadInspection(record.id);
    changed({ inspection: record.id, created: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 409 && error.problem.open_draft_id) {
      const target = error.problem.open_draft_id;
      await downloadInspection(target);
      await moveInto(record.id, target);
      changed({ inspection: record.id, moved: target });
      return;
    }
    if (error instanceof ApiError) {
      await db.put("inspections", { ...record, create_error: error.message });
      changed({ inspection: record.id });
      return;
    }
    throw error;
  }
}

/** After photos or answers went out: the server's photos and what a submit would refuse. */
async function refreshServerCopy(id) {
  const record = await db.get("inspections", id);
  if (!record || record.pending_create) return;
  const waiting = (await db.byInspection("answers", id)).some((a) => a.state === "waiting");
  if (!waiting) {
    const { data, response } = await request(`/inspections/${id}`);
    await db.put("inspections", { ...(await db.get("inspections", id)), server: data, etag: response.headers.get("ETag") });
  }
  await refreshMissing(id);
  changed({ inspection: id });
}

function entry(answer) {
  const out = { item_id: answer.item_id, instance: answer.instance || 1, answered_at: answer.answered_at, note: answer.note || null };
  if (answer.not_applicable) out.not_applicable = true;
  else out.value = answer.value;
  return out;
}

const sameAnswer = (a, b) =>
  (a?.value ?? null) === (b?.value ?? null) &&
  Boolean(a?.not_applicable) === Boolean(b?.not_applicable);

async function withCsrfRetry(send) {
  try {
    return await send();
  } catch (error) {
    // A session restored after a restart may need a fresh CSRF token: fetch it once.
    if (error instanceof ApiError && error.status === 403) {
      const me = await api("/auth/me");
      setCsrf(me.csrf_token);
      return send();
    }
    throw error;
  }
}

const keyOf = (a) => `${a.item_id}#${a.instance || 1}`;
const answerKey = (id, a) => [id, a.item_id, a.instance || 1];

/** The instance changes of one inspection, oldest first; each answer names the server's copy. */
async function sendInstances(id) {
  const record = await db.get("inspections", id);
  if (!record || record.pending_create) return;
  const waiting = (await db.byInspection("instances", id))
    .filter((r) => r.state === "waiting")
    .sort((a, b) => (a.order || a.seq) - (b.order || b.seq));
  for (const change of waiting) {
    const path = `/inspections/${id}/sections/${encodeURIComponent(change.section_id)}/instances/${change.number}`;
    let outcome = { state: "sent", error: null };
    try {
      const { data, response } = await withCsrfRetry(() => change.deleted
        ? request(path, { method: "DELETE" })
        : request(path, { method: "PUT", json: { label: change.label, position: change.position } }));
      const now = await db.get("inspections", id);
      await db.put("inspections", { ...now, server: data, etag: response.headers.get("ETag") });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (change.deleted && error.status === 404) {
        // never reached the server: nothing to delete
      } else if (!change.deleted && error.status === 409 && error.problem.next_number) {
        // The number was deleted on the server (from another device): the instance is gone.
        outcome = { state: "sent", error: null, deleted: true };
        const definition = (await db.get("checklists", record.ref))?.definition;
        const section = definition?.sections.find((s) => s.id === change.section_id);
        await dropLocalWork(id, (section?.items || []).map((i) => i.id), change.number);
      } else {
        outcome = { state: "failed", error: error.status === 401 ? "Du må logge inn på nytt." : error.message };
      }
    }
    await db.update("instances", [id, change.section_id, change.number], (now) =>
      now && now.seq === change.seq ? { ...now, ...outcome } : null);
    changed({ inspection: id, instances: true });
  }
}

async function sendAnswers(id, attempt = 0) {
  const record = await db.get("inspections", id);
  const pending = await db.byInspection("instances", id);
  const waiting = (await db.byInspection("answers", id))
    .filter((a) => a.state === "waiting" && !held(pending, a.section_id, a.instance));
  if (!record || record.pending_create || !waiting.length) return;
  try {
    const { data, response } = await withCsrfRetry(() =>
      request(`/inspections/${id}/answers`, {
        method: "PUT",
        json: { answers: waiting.map(entry) },
        headers: record.etag ? { "If-Match": record.etag } : {},
      }),
    );
    const outcomes = Object.fromEntries(data.outcomes.map((o) => [keyOf(o), o.outcome]));
    const server = Object.fromEntries(data.inspection.answers.map((a) => [keyOf(a), a]));
    for (const answer of waiting) {
      const outcome = outcomes[keyOf(answer)] === "stale"
        ? { state: "conflict", server: server[keyOf(answer)] }
        : { state: "sent", error: null };
      await markIfUnchanged(id, answer, outcome);
    }
    await db.put("inspections", { ...record, server: data.inspection, etag: response.headers.get("ETag") });
    changed({ inspection: id });
  } catch (error) {
    if (error instanceof ApiError && error.status === 412 && error.problem.current && attempt < 3) {
      await markConflicts(record, waiting, error.problem);
      return sendAnswers(id, attempt + 1);
    }
    if (error instanceof ApiError) {
      const reason = error.status === 401 ? "Du må logge inn på nytt." : error.message;
      for (const answer of waiting) await db.put("answers", { ...answer, state: "failed", error: reason });
      changed({ inspection: id });
      return;
    }
    throw error;
  }
}

/** Set the sent answer's outcome, unless it was typed on while out: the newer value stays
 * waiting for the next batch. */
function markIfUnchanged(id, answer, outcome) {
  return db.update("answers", answerKey(id, answer), (now) =>
    now && now.answered_at === answer.answered_at ? { ...now, ...outcome } : null);
}

/** 412: items someone changed on the server since our copy are conflicts; the rest resend. */
async function markConflicts(record, waiting, problem) {
  const current = problem.current;
  const before = Object.fromEntries((record.server?.answers || []).map((a) => [keyOf(a), a]));
  const now = Object.fromEntries(current.answers.map((a) => [keyOf(a), a]));
  for (const answer of waiting) {
    const theirs = now[keyOf(answer)];
    if (theirs && !sameAnswer(theirs, before[keyOf(answer)]) && !sameAnswer(theirs, answer)) {
      await markIfUnchanged(record.id, answer, { state: "conflict", server: theirs });
    }
  }
  await db.put("inspections", { ...record, server: current, etag: problem.current_etag });
  changed({ inspection: record.id });
}

/** The inspector chose: keep the device's value (resend as newest) or take the server's. */
export async function resolveConflict(inspectionId, itemId, keep, instance = 1) {
  const answer = await db.get("answers", [inspectionId, itemId, instance]);
  if (!answer) return;
  if (keep === "device") {
    await db.put("answers", {
      ...answer,
      state: "waiting",
      server: null,
      answered_at: new Date().toISOString(),
    });
  } else {
    const theirs = answer.server || {};
    await db.put("answers", {
      ...answer,
      value: theirs.value ?? null,
      not_applicable: Boolean(theirs.not_applicable),
      note: theirs.note ?? answer.note,
      answered_at: theirs.answered_at || answer.answered_at,
      state: "sent",
      server: null,
    });
  }
  changed({ inspection: inspectionId });
  return requestSync();
}

async function sendPhoto(photo) {
  const record = await db.get("inspections", photo.inspection_id);
  if (record?.pending_create) return; // the inspection itself goes first
  if (photo.state === "deleting") return deleteOnServer(photo);
  if (held(await db.byInspection("instances", photo.inspection_id), photo.section_id, photo.instance)) return;
  const blob = await db.photoBlob(photo);
  const send = () => {
    const form = new FormData();
    form.append("id", photo.id);
    if (photo.item_id) form.append("item_id", photo.item_id);
    if (photo.item_id && photo.instance > 1) form.append("instance", String(photo.instance));
    if (photo.caption) form.append("caption", photo.caption);
    form.append("file", blob, `${photo.id}.jpg`);
    return request(`/inspections/${photo.inspection_id}/photos`, { method: "POST", body: form });
  };
  try {
    const { data } = await withCsrfRetry(send);
    // Sent: keep a small record with what the server has (its id, its item), free the image.
    await db.put("photos", {
      ...photo,
      item_id: data.item_id,
      instance: data.instance || photo.instance || 1,
      blob: null,
      dataUrl: null,
      state: "sent",
      error: null,
      server: data,
    });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    await db.put("photos", { ...photo, state: "failed", error: error.message });
  }
  changed({ inspection: photo.inspection_id, photo: photo.id });
}

async function deleteOnServer(photo) {
  const serverId = photo.server?.id || photo.id;
  try {
    await withCsrfRetry(() => request(`/photos/${serverId}`, { method: "DELETE" }));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status !== 404) {
      await db.put("photos", { ...photo, state: "failed", error: error.message });
      changed({ inspection: photo.inspection_id, photo: photo.id });
      return;
    }
  }
  await db.remove("photos", photo.id);
  changed({ inspection: photo.inspection_id, photo: photo.id });
}

/** Delete a photo: one not yet sent goes at once, a sent one when the server has deleted it. */
export async function deletePhoto(photo) {
  if (photo.state === "sent" || photo.server) {
    await db.put("photos", { ...photo, state: "deleting", error: null });
  } else {
    await db.remove("photos", photo.id);
  }
  changed({ inspection: photo.inspection_id, photo: photo.id });
  return requestSync();
}

/** Change a caption: before sending it travels with the photo, after it is sent straight away. */
export async function setCaption(photo, caption) {
  if (photo.state !== "sent") {
    await db.put("photos", { ...photo, caption });
    return;
  }
  const serverId = photo.server?.id || photo.id;
  const data = await withCsrfRetry(() => api(`/photos/${serverId}`, { method: "PATCH", json: { caption } }));
  await db.put("photos", { ...photo, caption: data.caption, server: data });
}

export async function retryFailed(inspectionId) {
  for (const answer of await db.byInspection("answers", inspectionId)) {
    if (answer.state === "failed") await db.put("answers", { ...answer, state: "waiting", error: null });
  }
  for (const change of await db.byInspection("instances", inspectionId)) {
    if (change.state === "failed") await db.put("instances", { ...change, state: "waiting", error: null });
  }
  for (const photo of await db.byInspection("photos", inspectionId)) {
    if (photo.state === "failed") {
      const state = photo.server ? "deleting" : "waiting";
      await db.put("photos", { ...photo, state, error: null });
    }
  }
  return requestSync();
}

export async function queueState(inspectionId) {
  const answers = await db.byInspection("answers", inspectionId);
  const photos = await db.byInspection("photos", inspectionId);
  const count = (rows, state) => rows.filter((r) => r.state === state).length;
  const instances = await db.byInspection("instances", inspectionId);
  const record = await db.get("inspections", inspectionId);
  return {
    waiting:
      count(answers, "waiting") + count(photos, "waiting") + count(photos, "deleting") + count(instances, "waiting") +
      (record?.pending_create ? 1 : 0),
    failed: count(answers, "failed") + count(photos, "failed") + count(instances, "failed"),
    conflict: count(answers, "conflict"),
    sent: count(answers, "sent") + count(photos, "sent"),
    answers,
    photos,
    instances,
  };
}
