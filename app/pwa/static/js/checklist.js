// Checklist logic the inspector needs at once, offline: does an answer meet the item's
// requirement, and does an item apply given the other answers (its condition)?
//
// What an answer type's values are and how they are judged, and what each condition operator
// does, come from the table every checklist definition carries (answer_types, operators: the
// server's app/checklists/answer_types.py). The phone has no list of its own: it reads the
// properties of that table, never the names of types or operators.

import { api } from "./api.js";
import { num } from "./format.js";

const types = {};
const operators = {};

/** Take the table of answer types and operators a checklist definition carries (the same
 * for every version the server serves); returns the definition. */
export function useTable(definition) {
  Object.assign(types, definition?.answer_types);
  Object.assign(operators, definition?.operators);
  return definition;
}

/** A checklist version's definition from the server, its table taken (useTable). The body is
 * cached as immutable, yet the table comes with the server: a body without it (cached by an
 * older app) is fetched again past the browser's cache. */
export async function fetchDefinition(key, version) {
  const path = `/checklists/${key}/versions/${version}`;
  const definition = await api(path);
  return useTable(definition.answer_types ? definition : await api(path, { cache: "reload" }));
}

/** The answer type of an item: {value, judged_by, inputmode, input_label, required, ...};
 * {} while no definition carrying the table has been read. */
export const answerType = (item) => types[item?.type] || {};

/** {pass: true|false|null, text} for an answer to an item; null pass when nothing to judge. */
export function judge(item, answer) {
  if (!answer) return { pass: null, text: "" };
  if (answer.not_applicable) return { pass: null, text: "Ikke relevant" };
  const value = answer.value;
  if (value === null || value === undefined || value === "") return { pass: null, text: "" };
  const judgedBy = answerType(item).judged_by;
  if (judgedBy === "yes") {
    return value ? { pass: true, text: "Oppfyller kravet" } : { pass: false, text: "Avvik" };
  }
  if (judgedBy === "choice") {
    const choice = (item.choices || []).find((c) => c.key === value);
    if (!choice || choice.passes === null || choice.passes === undefined) return { pass: null, text: "" };
    return choice.passes ? { pass: true, text: "Oppfyller kravet" } : { pass: false, text: "Avvik" };
  }
  if (judgedBy === "requirement" && item.requirement) {
    const { min, max, recommended } = item.requirement;
    const unit = item.unit ? ` ${item.unit}` : "";
    if (min !== null && min !== undefined && value < min) {
      return { pass: false, text: `Avvik: kravet er minst ${num(min)}${unit}` };
    }
    if (max !== null && max !== undefined && value > max) {
      return { pass: false, text: `Avvik: kravet er høyst ${num(max)}${unit}` };
    }
    if (recommended !== null && recommended !== undefined) {
      const upper = max !== null && max !== undefined;
      if (upper ? value > recommended : value < recommended) {
        return { pass: true, text: `Oppfyller kravet, men anbefalt er ${upper ? "høyst" : "minst"} ${num(recommended)}${unit}` };
      }
    }
    return { pass: true, text: "Oppfyller kravet" };
  }
  return { pass: null, text: "" };
}

/** A human description of the requirement, for the label hint. */
export function requirementText(item) {
  const r = item.requirement;
  if (!r) return "";
  const unit = item.unit ? ` ${item.unit}` : "";
  const parts = [];
  if (r.min !== null && r.min !== undefined) parts.push(`minst ${num(r.min)}${unit}`);
  if (r.max !== null && r.max !== undefined) parts.push(`høyst ${num(r.max)}${unit}`);
  if (r.recommended !== null && r.recommended !== undefined) parts.push(`anbefalt ${num(r.recommended)}${unit}`);
  return parts.length ? `Krav: ${parts.join(", ")}.` : "";
}

// Which items apply: the same rules as the server (app/scoring/conditions.py, docs/scoring.md),
// checked against the same table of cases (tests/scoring/condition_cases.json).
// A condition's outcome is true, false, NA (refers to an item that does not apply), null
// (a referenced item is unanswered: the item applies) or MISSING (a register fact is missing).
const NA = "not_applicable";
const MISSING = "missing_fact";

/** Whether operator `spec` holds for one expected value: by the outcome of the comparison
 * (-1 less, 0 equal, 1 greater) it lists in `holds`; null when it orders and either is no number. */
function holds(spec, actual, expected) {
  if (!spec.orders) {
    // A bool never equals a number (true is not 1).
    const same = typeof actual === "boolean" === (typeof expected === "boolean") && actual === expected;
    return spec.holds.includes(same ? 0 : 1);
  }
  if (typeof actual !== "number" || typeof expected !== "number") return null;
  return spec.holds.includes(actual < expected ? -1 : actual > expected ? 1 : 0);
}

function compare(actual, op, expected) {
  const spec = operators[op];
  if (!spec) return null;
  if (spec.takes === "list") return Array.isArray(expected) && expected.some((e) => holds(spec, actual, e) === true);
  return holds(spec, actual, expected);
}

function outcome(condition, ctx) {
  if (condition.all || condition.any) {
    const results = (condition.all || condition.any).map((c) => outcome(c, ctx));
    const order = condition.all ? [false, NA, MISSING, null, true] : [true, MISSING, null, false, NA];
    return order.find((o) => results.includes(o));
  }
  if (condition.not) {
    const result = outcome(condition.not, ctx);
    return typeof result === "boolean" ? !result : result;
  }
  const op = Object.keys(operators).find((o) => o in condition);
  let value;
  if ("fact" in condition) {
    value = ctx.facts[condition.fact];
  } else {
    const state = ctx.states[condition.item];
    if (state === NA || state === MISSING) return state;
    const answer = ctx.answers[condition.item];
    if (answer && answer.not_applicable) return NA;
    if (!answer || answer.value === null || answer.value === undefined || answer.value === "") {
      const register = ctx.byId[condition.item]?.register;
      if (!register) return null;
      value = ctx.facts[register];
    } else {
      value = answer.value;
    }
  }
  if (value === null || value === undefined) return MISSING;
  return compare(value, op, condition[op]);
}

/** {item: X, eq: false} on a rated X judged by yes (yes/no) means "satisfied when X passes"
 * (docs/scoring.md). */
function normalised(item, byId) {
  const c = item.condition;
  if (!c || item.satisfied_by || !("item" in c)) return [c, item.satisfied_by];
  const target = byId[c.item];
  const flips = c.eq === false || c.ne === true;
  if (flips && answerType(target).judged_by === "yes" && Object.keys(target.severity || {}).length) {
    return [null, { item: c.item, eq: true }];
  }
  return [c, item.satisfied_by];
}

/**
 * The state of every item: "applies", "not_applicable", "satisfied" (counts as a pass) or
 * "missing_fact" (cannot be assessed until the register fact is filled in).
 */
export function itemStates(items, answers, facts) {
  const byId = Object.fromEntries(items.map((i) => [i.id, i]));
  const ctx = { answers, facts: facts || {}, states: {}, byId };
  const visiting = new Set();
  const stateOf = (item) => {
    if (item.id in ctx.states) return ctx.states[item.id];
    if (visiting.has(item.id)) return "applies";
    visiting.add(item.id);
    const [condition, satisfiedBy] = normalised(item, byId);
    for (const c of [condition, satisfiedBy]) {
      for (const ref of JSON.stringify(c || {}).match(/"item":"[^"]+"/g) || []) {
        const parent = byId[ref.slice(8, -1)];
        if (parent) stateOf(parent);
      }
    }
    const got = condition ? outcome(condition, ctx) : true;
    const answer = answers[item.id];
    let state = "applies";
    if (got === false || got === NA) state = NA;
    else if (got === MISSING) state = MISSING;
    else if (answer && answer.not_applicable) state = NA;
    else if (satisfiedBy && outcome(satisfiedBy, ctx) === true) state = "satisfied";
    ctx.states[item.id] = state;
    return state;
  };
  items.forEach(stateOf);
  return ctx.states;
}

export function isAnswered(answer) {
  if (!answer) return false;
  if (answer.not_applicable) return true;
  return answer.value !== null && answer.value !== undefined && answer.value !== "";
}
