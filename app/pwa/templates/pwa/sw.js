// Service worker: serves the app shell from a versioned cache so the app starts with no
// network. Inspection data lives in IndexedDB, which this worker never touches, so an update
// cannot drop anything; a new version waits until the page tells it to take over.
const VERSION = "{{ version }}";
const CACHE = "uu-shell-" + VERSION;
const ASSETS = {{ assets | safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(ASSETS.map((url) => new Request(url, { cache: "reload" }))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith("uu-shell-") && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return; // data: always the network, never a cache
  if (request.mode === "navigate" && url.pathname === "/") {
    event.respondWith(caches.match("/", { cacheName: CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  if (!ASSETS.includes(url.pathname)) return;
  event.respondWith(
    caches.match(url.pathname, { cacheName: CACHE }).then((hit) => hit || fetch(request)),
  );
});
