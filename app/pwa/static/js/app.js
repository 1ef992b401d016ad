// The app shell: who is signed in, the menu for their role, hash routes, network and
// storage banners, the service worker and its updates.

import { ApiError, OfflineError, api, setCsrf } from "./api.js";
import * as db from "./db.js";
import { announce, button, clear, h } from "./dom.js";
import { ROLES } from "./format.js";
import { events as syncEvents, isSyncing, requestSync } from "./sync.js";
import * as admin from "./views/admin.js";
import * as versions from "./views/versions.js";
import * as applicants from "./views/applicants.js";
import * as demand from "./views/demand.js";
import * as inspection from "./views/inspection.js";
import * as inspections from "./views/inspections.js";
import * as login from "./views/login.js";
import * as overview from "./views/overview.js";
import * as planning from "./views/planning.js";
import * as review from "./views/review.js";
import * as units from "./views/units.js";
import * as webhooks from "./views/webhooks.js";

const ALL = ["admin", "inspector", "allocation_officer", "facility_manager"];
const ROUTES = [
  { path: /^befaringer$/, view: inspections.render, roles: ["inspector", "admin"], menu: "Mine befaringer" },
  { path: /^befaring\/([\w-]+)(?:\/(\d+)(?:\/(\d+))?)?$/, view: inspection.render, roles: ["inspector", "admin"] },
  { path: /^husstander$/, view: applicants.renderList, roles: ["allocation_officer", "admin"], menu: "Husstander" },
  { path: /^husstander\/ny$/, view: applicants.renderForm, roles: ["allocation_officer", "admin"] },
  { path: /^husstander\/(\d+)\/endre$/, view: applicants.renderForm, roles: ["allocation_officer", "admin"] },
  { path: /^husstander\/(\d+)$/, view: applicants.renderDetail, roles: ["allocation_officer", "admin"] },
  { path: /^boliger$/, view: units.renderList, roles: ["allocation_officer", "facility_manager", "admin"], menu: "Boliger" },
  { path: /^boliger\/(\d+)$/, view: units.renderDetail, roles: ALL },
  { path: /^behov$/, view: demand.render, roles: ["allocation_officer", "facility_manager", "admin"], menu: "Behov og tilbud" },
  { path: /^godkjenning$/, view: review.renderList, roles: ["facility_manager", "admin"], menu: "Til godkjenning" },
  { path: /^godkjenning\/([\w-]+)$/, view: review.renderDetail, roles: ["facility_manager", "admin"] },
  { path: /^oversikt$/, view: overview.render, roles: ["facility_manager", "admin"], menu: "Oversikt" },
  { path: /^planlegging$/, view: planning.render, roles: ["facility_manager", "admin"], menu: "Planlegging" },
  { path: /^brukere$/, view: admin.renderUsers, roles: ["admin"], menu: "Brukere" },
  { path: /^import$/, view: admin.renderImport, roles: ["admin"], menu: "Import" },
  { path: /^sjekklister$/, view: versions.render, roles: ["admin", "facility_manager"], menu: "Sjekklister" },
  { path: /^webhooker$/, view: webhooks.renderList, roles: ["admin"], menu: "Webhooker" },
  { path: /^webhooker\/(\d+)$/, view: webhooks.renderDeliveries, roles: ["admin"] },
];
const HOME = {
  inspector: "befaringer",
  allocation_officer: "husstander",
  facility_manager: "oversikt",
  admin: "oversikt",
};

const state = { user: null };
const main = document.getElementById("main");

export const navigate = (path) => {
  if (location.hash === `#/${path}`) route();
  else location.hash = `#/${path}`;
};

async function signIn(me) {
  const previous = await db.getMeta("user");
  if (previous && previous.id !== me.user.id) {
    // Another person on this device: their unsent work must not be lost nor be shown.
    const waiting = (await db.getAll("answers")).some((a) => a.state !== "sent") ||
      (await db.getAll("instances")).some((r) => r.state !== "sent");
    if (!waiting) await db.clearAll();
  }
  state.user = me.user;
  setCsrf(me.csrf_token);
  await db.setMeta("user", me.user);
  renderNav();
}

async function signOut() {
  try {
    await api("/auth/logout", { method: "POST" });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  state.user = null;
  renderNav();
  announce("Du er logget ut.");
  navigate("logg-inn");
}

function renderNav() {
  const nav = clear(document.getElementById("nav"));
  const toggle = document.getElementById("menu-toggle");
  toggle.hidden = !state.user;
  if (!state.user) return;
  const items = ROUTES.filter((r) => r.menu && r.roles.includes(state.user.role));
  nav.append(
    h(
      "ul",
      { class: "menu" },
      items.map((r) => {
        const path = r.path.source.replace(/[\^$\\]/g, "");
        return h("li", {}, h("a", { href: `#/${path}`, "data-path": path, text: r.menu }));
      }),
      h("li", { class: "who" }, h("span", { text: `${state.user.name || state.user.email} (${ROLES[state.user.role]})` })),
      h("li", {}, button("Logg ut", signOut, "btn btn-link")),
    ),
  );
}

/** On a phone the menu folds away: one button opens it, choosing a page folds it again. */
function setUpMenu() {
  const nav = document.getElementById("nav");
  const toggle = document.getElementById("menu-toggle");
  const show = (open) => {
    nav.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", () => show(!nav.classList.contains("open")));
  nav.addEventListener("click", (event) => {
    if (event.target.closest("a")) show(false);
  });
}

/** Light or dark: the system's choice until the inspector picks one on this device. */
function setUpTheme() {
  const button = document.getElementById("theme-toggle");
  const system = window.matchMedia("(prefers-color-scheme: dark)");
  const apply = () => {
    const chosen = localStorage.getItem("theme");
    if (chosen) document.documentElement.dataset.theme = chosen;
    else delete document.documentElement.dataset.theme;
    const dark = chosen ? chosen === "dark" : system.matches;
    button.setAttribute("aria-pressed", String(dark));
    document.querySelector('meta[name="theme-color"]')?.setAttribute("content", dark ? "#121417" : "#003a70");
  };
  button.addEventListener("click", () => {
    const dark = button.getAttribute("aria-pressed") === "true";
    localStorage.setItem("theme", dark ? "light" : "dark");
    apply();
  });
  system.addEventListener("change", apply);
  apply();
}

function markCurrent(path) {
  for (const link of document.querySelectorAll("#nav a[data-path]")) {
    if (path.startsWith(link.dataset.path)) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

let cleanup = null;

async function route() {
  // "#/boliger?side=2&krets=Idd": the path picks the view, the query is the view's state.
  const [path, search = ""] = location.hash.replace(/^#\/?/, "").split("?");
  if (cleanup) cleanup();
  cleanup = null;
  if (!state.user || path === "logg-inn") {
    if (state.user && path === "logg-inn") return navigate(HOME[state.user.role]);
    clear(main);
    return login.render(main, {
      onSignedIn: async (me) => {
        await signIn(me);
        navigate(HOME[me.user.role]);
      },
    });
  }
  const found = ROUTES.map((r) => [r, r.path.exec(path)]).find(([, m]) => m);
  if (!found) return navigate(HOME[state.user.role]);
  const [target, match] = found;
  markCurrent(path);
  const before = document.activeElement;
  // Each view renders into its own element: a slow view that finishes after the user has
  // moved on writes into a detached element, never into the page now shown.
  const view = h("div", { class: "view" });
  clear(main);
  main.append(view);
  const current = () => view.isConnected;
  if (!target.roles.includes(state.user.role)) {
    view.append(h("h1", { tabindex: "-1", text: "Ingen tilgang" }), h("p", { text: "Rollen din gir ikke tilgang til denne siden." }));
  } else {
    try {
      const done = (await target.view(view, match.slice(1), { user: state.user, navigate, query: new URLSearchParams(search) })) || null;
      if (current()) cleanup = done;
      else if (done) done();
    } catch (error) {
      view.append(h("h1", { tabindex: "-1", text: "Noe gikk galt" }), h("p", { role: "alert", text: error.message }));
    }
  }
  if (!current()) return;
  const heading = view.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    document.title = `${heading.textContent} – UU-bolig`;
    const now = document.activeElement;
    const viewFocused = now !== before && now !== main && main.contains(now); // e.g. a linked item
    if (!viewFocused && (now === document.body || now?.closest("#nav, main"))) {
      heading.focus({ preventScroll: false });
    }
  }
}

function showNetwork() {
  const el = document.getElementById("net-state");
  el.textContent = navigator.onLine ? "" : "Frakoblet: endringer lagres på enheten og sendes senere.";
  el.classList.toggle("offline", !navigator.onLine);
}

async function checkStorage() {
  const full = await db.storageNearlyFull();
  const banners = document.getElementById("banners");
  banners.querySelector(".storage-warning")?.remove();
  if (full) {
    banners.append(
      h("p", { class: "alert alert-warning storage-warning", role: "alert" },
        "Lagringsplassen på enheten er nesten full. Koble til nett slik at bilder og svar kan sendes, og slett gamle befaringer du ikke trenger."),
    );
  }
}

function offerUpdate(worker) {
  const banners = document.getElementById("banners");
  if (banners.querySelector(".update")) return;
  const apply = async () => {
    // Send what waits first; the data itself lives in IndexedDB and survives the update anyway.
    if (navigator.onLine) await requestSync();
    else if (isSyncing()) return;
    worker.postMessage("skip-waiting");
  };
  banners.append(
    h("div", { class: "alert alert-info update", role: "status" },
      h("p", { text: "En ny versjon av UU-bolig er klar. Ulagrede svar beholdes." }),
      button("Oppdater nå", apply)),
  );
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(worker);
    });
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading || !document.querySelector(".update")) return;
    reloading = true;
    location.reload();
  });
}

async function start() {
  setUpTheme();
  setUpMenu();
  showNetwork();
  window.addEventListener("online", () => {
    showNetwork();
    announce("Tilkoblet igjen. Sender det som venter.");
    requestSync();
  });
  window.addEventListener("offline", () => {
    showNetwork();
    announce("Frakoblet. Svarene lagres på enheten.");
  });
  window.addEventListener("uu:signed-out", () => {
    if (state.user) {
      state.user = null;
      renderNav();
      navigate("logg-inn");
    }
  });
  window.addEventListener("hashchange", route);
  syncEvents.addEventListener("change", (e) => {
    if (e.detail.done) checkStorage();
  });
  try {
    await signIn(await api("/auth/me"));
  } catch (error) {
    if (error instanceof OfflineError) {
      // No network: carry on as the last signed-in user; writes wait in the queue.
      state.user = (await db.getMeta("user")) || null;
      renderNav();
    }
  }
  await route();
  checkStorage();
  navigator.storage?.persist?.();
  registerWorker().catch(() => {});
  requestSync();
  setInterval(() => navigator.onLine && requestSync(), 20000);
}

start();
