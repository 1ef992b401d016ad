// Where an inspection stands, item by item, counted the way a submit counts: an item is done
// when it is answered, not merely carried over, and a barrier that needs a photo has one.

import { answerType, isAnswered, itemStates, judge } from "./checklist.js";

export const REASONS = {
  unanswered: "ikke besvart",
  carried_over: "svaret fra forrige befaring er ikke bekreftet",
  photo_required: "avviket mangler bilde",
};

/** Does this answer make the item a barrier that must be documented with a photo? */
export function needsPhoto(item, answer) {
  return item.photo === "required_on_barrier" && judge(item, answer).pass === false;
}

/** "done", "unanswered", "carried_over" or "photo_required"; null for optional items (of a type
 * a submission does not need answered: free text).
 * `serverMissing` is what the server last said a submit would refuse for this item. */
export function itemStatus(item, answer, photoCount, serverMissing) {
  if (!answerType(item).required) return null;
  if (!isAnswered(answer)) return "unanswered";
  if (answer.carried_over) return "carried_over";
  const serverSays = serverMissing === "photo_required" && answer.state === "sent";
  if ((needsPhoto(item, answer) || serverSays) && !photoCount) return "photo_required";
  return "done";
}

/** The whole picture: per section the applicable items with their status, and totals. */
export function overview(sections, answers, facts, photoCounts, serverMissing) {
  const missingByItem = {};
  for (const items of Object.values(serverMissing || {})) {
    for (const m of items) missingByItem[m.item_id] = m.reason;
  }
  const states = itemStates(sections.flatMap((s) => s.items), answers, facts);
  let done = 0;
  let total = 0;
  const bySection = sections.map((section) => {
    const items = section.items
      .filter((item) => shown(item, states[item.id], answers))
      .map((item) => ({
        item,
        status: states[item.id] === "missing_fact"
          ? null // waits for a register fact: shown, not required
          : itemStatus(item, answers[item.id], photoCounts[item.id] || 0, missingByItem[item.id]),
      }));
    const counted = items.filter((i) => i.status !== null);
    const sectionDone = counted.filter((i) => i.status === "done").length;
    done += sectionDone;
    total += counted.length;
    return { section, items, done: sectionDone, total: counted.length };
  });
  return { bySection, done, total, states };
}

/** Asked on the phone: items that apply or wait for a register fact, and items the inspector
 * answered "Ikke relevant" (kept in view so the answer can be changed). Not applicable and
 * satisfied-another-way items are not asked (the evaluation is checklist.js's). */
export function shown(item, state, answers) {
  return state === "applies" || state === "missing_fact" || (state === "not_applicable" && Boolean(answers[item.id]?.not_applicable));
}
