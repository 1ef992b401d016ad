// Where an inspection stands, item by item, counted the way a submit counts: an item is done
// when it is answered, not merely carried over, and a barrier that needs a photo has one.

import { answerType, isAnswered, itemStates, judge } from "./checklist.js";
import { answerKey } from "./instances.js";

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

/** The whole picture: per section the applicable items with their status, and totals.
 * `answers` and `photoCounts` are keyed by item and instance (answerKey); a repeated section is
 * counted once per instance of `instances` ({section_id: [{number, label}]}), each instance's
 * conditions read the answers of the same instance for items of its section (instance 1 for
 * the others). Each section lists its `instances` with their items and counts; its `items`
 * are those of all its instances, each entry naming its instance. */
export function overview(sections, answers, facts, photoCounts, serverMissing, instances = {}) {
  const missingByItem = {};
  for (const items of Object.values(serverMissing || {})) {
    for (const m of items) missingByItem[answerKey(m.item_id, m.instance)] = m.reason;
  }
  const all = sections.flatMap((s) => s.items);
  const seenBy = (section, number) => {
    const out = {};
    for (const s of sections) {
      for (const item of s.items) {
        const answer = answers[answerKey(item.id, s === section ? number : 1)];
        if (answer) out[item.id] = answer;
      }
    }
    return out;
  };
  const base = seenBy(null, 1);
  const states = itemStates(all, base, facts);
  let done = 0;
  let total = 0;
  const bySection = sections.map((section) => {
    const listed = section.repeat ? instances[section.id] || [{ number: 1, label: null }] : [{ number: 1, label: null }];
    const parts = listed.map((instance) => {
      const seen = section.repeat ? seenBy(section, instance.number) : base;
      const here = section.repeat ? itemStates(all, seen, facts) : states;
      const items = section.items
        .filter((item) => shown(item, here[item.id], seen))
        .map((item) => {
          const key = answerKey(item.id, instance.number);
          return {
            item,
            instance: instance.number,
            status: here[item.id] === "missing_fact"
              ? null // waits for a register fact: shown, not required
              : itemStatus(item, seen[item.id], photoCounts[key] || 0, missingByItem[key]),
          };
        });
      const counted = items.filter((i) => i.status !== null);
      return { instance, items, states: here, answers: seen, done: counted.filter((i) => i.status === "done").length, total: counted.length };
    });
    const sectionDone = parts.reduce((n, p) => n + p.done, 0);
    const sectionTotal = parts.reduce((n, p) => n + p.total, 0);
    done += sectionDone;
    total += sectionTotal;
    return { section, instances: parts, items: parts.flatMap((p) => p.items), done: sectionDone, total: sectionTotal };
  });
  return { bySection, done, total, states };
}

/** Asked on the phone: items that apply or wait for a register fact, and items the inspector
 * answered "Ikke relevant" (kept in view so the answer can be changed). Not applicable and
 * satisfied-another-way items are not asked (the evaluation is checklist.js's). */
export function shown(item, state, answers) {
  return state === "applies" || state === "missing_fact" || (state === "not_applicable" && Boolean(answers[item.id]?.not_applicable));
}
