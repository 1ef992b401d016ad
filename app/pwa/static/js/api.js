// The JSON API client: cookie session, CSRF header on writes, problem+json errors.

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Serveren svarte med feil ${status}.`);
    this.status = status;
    this.problem = problem || {};
  }
}

export class OfflineError extends Error {
  constructor() {
    super("Ingen nettforbindelse. Prøv igjen når du er på nett.");
  }
}

export function setCsrf(token) {
  csrfToken = token;
}

// A read the server refused for a moment (503: the database busy, as SQLite is while another
// request writes) is asked again after these pauses (ms) before the error is shown.
const READS = ["GET", "HEAD"];
const READ_RETRIES = [300, 1000];

/** fetch /api/v1 + path; returns {data, response}. Throws ApiError or OfflineError. */
export async function request(path, { method = "GET", json, body, headers = {}, cache = "default" } = {}) {
  const sent = { Accept: "application/json, application/problem+json", ...headers };
  if (json !== undefined) {
    sent["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  }
  if (!READS.includes(method) && csrfToken) sent["X-CSRF-Token"] = csrfToken;
  let response;
  for (let attempt = 0; ; attempt += 1) {
    try {
      response = await fetch(`/api/v1${path}`, { method, headers: sent, body, cache, credentials: "same-origin" });
    } catch {
      throw new OfflineError();
    }
    if (response.status !== 503 || !READS.includes(method) || attempt >= READ_RETRIES.length) break;
    await new Promise((resolve) => setTimeout(resolve, READ_RETRIES[attempt]));
  }
  if (response.status === 401) window.dispatchEvent(new CustomEvent("uu:signed-out"));
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      problem = {};
    }
    throw new ApiError(response.status, problem);
  }
  const type = response.headers.get("Content-Type") || "";
  const data = response.status === 204 || !type.includes("json") ? null : await response.json();
  return { data, response };
}

export const api = async (path, options) => (await request(path, options)).data;

/** A paginated list: {items, total}. */
export async function list(path) {
  const { data, response } = await request(path);
  const meta = JSON.parse(response.headers.get("X-Pagination") || "{}");
  return { items: data, total: meta.total ?? data.length };
}

/** A file from the API (CSV/XLSX) saved through a temporary download link. */
export async function download(path, { method = "GET", json, filename }) {
  const sent = { "Content-Type": "application/json" };
  if (csrfToken) sent["X-CSRF-Token"] = csrfToken;
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: sent,
      body: json === undefined ? undefined : JSON.stringify(json),
      credentials: "same-origin",
    });
  } catch {
    throw new OfflineError();
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      problem = {};
    }
    throw new ApiError(response.status, problem);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
