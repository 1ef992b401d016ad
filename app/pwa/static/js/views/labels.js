// Limitations, profiles, districts and checklist definitions change rarely: fetch once per
// page load, and name every key in Norwegian (the general score is "Alle beboere").

import { api } from "../api.js";
import { fetchDefinition } from "../checklist.js";
import { GENERAL_LABEL, nb } from "../format.js";

let cached = null;
let districtList = null;
const definitions = new Map();

export async function labels() {
  if (!cached) {
    const [limitations, profiles] = await Promise.all([api("/limitations"), api("/profiles")]);
    cached = { limitations, profiles: profiles.profiles || profiles };
  }
  return cached;
}

/** {key: Norwegian name} for every limitation, age group and "general". */
export async function needNames() {
  const { limitations, profiles } = await labels();
  return { general: GENERAL_LABEL, ...Object.fromEntries([...limitations, ...profiles].map((x) => [x.key, nb(x.label)])) };
}

export async function districts() {
  if (!districtList) districtList = await api("/units/districts");
  return districtList;
}

/** A published checklist version (immutable): its items by id. */
export async function checklistItems(key, version) {
  const ref = `${key}@${version}`;
  if (!definitions.has(ref)) {
    const definition = await fetchDefinition(key, version);
    const items = new Map();
    for (const section of definition.sections) for (const item of section.items) items.set(item.id, { ...item, sectionTitle: section.title });
    definitions.set(ref, { definition, items });
  }
  return definitions.get(ref);
}
