// The sync queue: answers and photos saved on the device are sent when there is a network.
// Each answer carries answered_at and each photo its UUID, so a retry is always safe.
// States: waiting (Venter), sent (Sendt), failed (Feilet, with reason), conflict (Konflikt).

import { ApiError, OfflineError, api, request, setCsrf } from "./api.js";
import * as db from "./db.js";

export const events = new EventTarget();
let running = null;

const changed = (detail) => events.dispatchEvent(new CustomEvent("change", { detail }));

export function requestSync() {
  if (!running) {
    running = drain().finally(() => {
      running = null;
      changed({ done: true });
    });
  }
  return running;
}

export const isSyncing = () => running !== null;

async function drain() {
  const answers = await db.getAll("answers");
  const ids = new Set(answers.filter((a) => a.state === "waiting").map((a) => a.inspection_id));
  try {
    for (const id of ids) await sendAnswers(id);
    for (const photo of await db.getAll("photos")) {
      if (photo.state === "waiting") await sendPhoto(photo);
    }
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
}

function entry(answer) {
  const out = { item_id: answer.item_id, answered_at: answer.answered_at, note: answer.note || null };
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

async function sendAnswers(id, attempt = 0) {
  const record = await db.get("inspections", id);
  const waiting = (await db.byInspection("answers", id)).filter((a) => a.state === "waiting");
  if (!record || !waiting.length) return;
  try {
    const { data, response } = await withCsrfRetry(() =>
      request(`/inspections/${id}/answers`, {
        method: "PUT",
        json: { answers: waiting.map(entry) },
        headers: record.etag ? { "If-Match": record.etag } : {},
      }),
    );
    const outcomes = Object.fromEntries(data.outcomes.map((o) => [o.item_id, o.outcome]));
    const server = Object.fromEntries(data.inspection.answers.map((a) => [a.item_id, a]));
    for (const answer of waiting) {
      if (outcomes[answer.item_id] === "stale") {
        await db.put("answers", { ...answer, state: "conflict", server: server[answer.item_id] });
      } else {
        await db.put("answers", { ...answer, state: "sent", error: null });
      }
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

/** 412: items someone changed on the server since our copy are conflicts; the rest resend. */
async function markConflicts(record, waiting, problem) {
  const current = problem.current;
  const before = Object.fromEntries((record.server?.answers || []).map((a) => [a.item_id, a]));
  const now = Object.fromEntries(current.answers.map((a) => [a.item_id, a]));
  for (const answer of waiting) {
    const theirs = now[answer.item_id];
    if (theirs && !sameAnswer(theirs, before[answer.item_id]) && !sameAnswer(theirs, answer)) {
      await db.put("answers", { ...answer, state: "conflict", server: theirs });
    }
  }
  await db.put("inspections", { ...record, server: current, etag: problem.current_etag });
  changed({ inspection: record.id });
}

/** The inspector chose: keep the device's value (resend as newest) or take the server's. */
export async function resolveConflict(inspectionId, itemId, keep) {
  const answer = await db.get("answers", [inspectionId, itemId]);
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
  const blob = await db.photoBlob(photo);
  const send = () => {
    const form = new FormData();
    form.append("id", photo.id);
    if (photo.item_id) form.append("item_id", photo.item_id);
    if (photo.caption) form.append("caption", photo.caption);
    form.append("file", blob, `${photo.id}.jpg`);
    return request(`/inspections/${photo.inspection_id}/photos`, { method: "POST", body: form });
  };
  try {
    const { data } = await withCsrfRetry(send);
    // Sent: keep a small record for the list, free the space the image took.
    await db.put("photos", { ...photo, blob: null, dataUrl: null, state: "sent", error: null, server: data });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    await db.put("photos", { ...photo, state: "failed", error: error.message });
  }
  changed({ inspection: photo.inspection_id, photo: photo.id });
}

export async function retryFailed(inspectionId) {
  for (const answer of await db.byInspection("answers", inspectionId)) {
    if (answer.state === "failed") await db.put("answers", { ...answer, state: "waiting", error: null });
  }
  for (const photo of await db.byInspection("photos", inspectionId)) {
    if (photo.state === "failed") await db.put("photos", { ...photo, state: "waiting", error: null });
  }
  return requestSync();
}

export async function queueState(inspectionId) {
  const answers = await db.byInspection("answers", inspectionId);
  const photos = await db.byInspection("photos", inspectionId);
  const count = (rows, state) => rows.filter((r) => r.state === state).length;
  return {
    waiting: count(answers, "waiting") + count(photos, "waiting"),
    failed: count(answers, "failed") + count(photos, "failed"),
    conflict: count(answers, "conflict"),
    sent: count(answers, "sent") + count(photos, "sent"),
    answers,
    photos,
  };
}
