// Limitations and profiles change rarely: fetch once per page load.

import { api } from "../api.js";

let cached = null;

export async function labels() {
  if (!cached) {
    const [limitations, profiles] = await Promise.all([api("/limitations"), api("/profiles")]);
    cached = { limitations, profiles: profiles.profiles || profiles };
  }
  return cached;
}
