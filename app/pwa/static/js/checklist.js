// Checklist logic the inspector needs at once, offline: does an answer meet the item's
// requirement, and does an item apply given the other answers (its condition)?

import { num } from "./format.js";

/** {pass: true|false|null, text} for an answer to an item; null pass when nothing to judge. */
export function judge(item, answer) {
  if (!answer) return { pass: null, text: "" };
  if (answer.not_applicable) return { pass: null, text: "Ikke relevant" };
  const value = answer.value;
  if (value === null || value === undefined || value === "") return { pass: null, text: "" };
  if (item.type === "yes_no") {
    return value ? { pass: true, text: "Oppfyller kravet" } : { pass: false, text: "Avvik" };
  }
  if (item.type === "choice") {
    const choice = (item.choices || []).find((c) => c.key === value);
    if (!choice || choice.passes === null || choice.passes === undefined) return { pass: null, text: "" };
    return choice.passes ? { pass: true, text: "Oppfyller kravet" } : { pass: false, text: "Avvik" };
  }
  if ((item.type === "measurement" || item.type === "count") && item.requirement) {
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

/** true / false, or null when it cannot be decided yet (an item it depends on is unanswered). */
export function applies(condition, answers, facts) {
  if (!condition) return true;
  if (condition.any) {
    const results = condition.any.map((c) => applies(c, answers, facts));
    if (results.includes(true)) return true;
    return results.includes(null) ? null : false;
  }
  if (condition.all) {
    const results = condition.all.map((c) => applies(c, answers, facts));
    if (results.includes(false)) return false;
    return results.includes(null) ? null : true;
  }
  if (condition.not) {
    const result = applies(condition.not, answers, facts);
    return result === null ? null : !result;
  }
  let value;
  if (condition.item) {
    const answer = answers[condition.item];
    if (!answer || answer.not_applicable || answer.value === null || answer.value === undefined) return null;
    value = answer.value;
  } else if (condition.fact) {
    value = facts[condition.fact];
    if (value === null || value === undefined) return null;
  }
  if ("eq" in condition) return value === condition.eq;
  if ("ne" in condition) return value !== condition.ne;
  if ("gt" in condition) return value > condition.gt;
  if ("gte" in condition) return value >= condition.gte;
  if ("lt" in condition) return value < condition.lt;
  if ("lte" in condition) return value <= condition.lte;
  if ("in" in condition) return condition.in.includes(value);
  return true;
}

export function isAnswered(answer) {
  if (!answer) return false;
  if (answer.not_applicable) return true;
  return answer.value !== null && answer.value !== undefined && answer.value !== "";
}
