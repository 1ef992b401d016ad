// IndexedDB on the device: downloaded inspections, checklists, the inspector's units for an
// offline start, and the queue of inspections, answers, instances of repeated sections and
// photos waiting to be sent. Upgrades add stores, or move a store's records into a new key
// (answers gained their instance in version 3), so an app update keeps the data.

const NAME = "uu-bolig";
const VERSION = 3;
const STORES = {
  // Per unit, what starting an inspection offline needs (the unit, its last approved answers).
  units: { keyPath: "id" },
  meta: { keyPath: "key" },
  checklists: { keyPath: "ref" },
  inspections: { keyPath: "id" },
  // One answer per item and instance (1 outside repeated sections).
  answers: { keyPath: ["inspection_id", "item_id", "instance"], index: "inspection_id" },
  photos: { keyPath: "id", index: "inspection_id" },
  // Instances of repeated sections the device created, renamed, moved or deleted: each the
  // latest wish for one instance (deleted: true for a delete), sent in the order made (order).
  instances: { keyPath: ["inspection_id", "section_id", "number"], index: "inspection_id" },
};

let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(NAME, VERSION);
      req.onupgradeneeded = (event) => {
        const db = req.result;
        if (event.oldVersion > 0 && event.oldVersion < 3) rekeyAnswers(db, req.transaction);
        for (const [name, spec] of Object.entries(STORES)) {
          if (db.objectStoreNames.contains(name)) continue;
          const store = db.createObjectStore(name, { keyPath: spec.keyPath });
          if (spec.index) store.createIndex(spec.index, spec.index);
        }
      };
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => db.close(); // let a newer app version upgrade
        resolve(db);
      };
      req.onerror = () => reject(req.error);
    });
  }
  return opening;
}

/** Version 3 keys answers by item and instance: the old records (all instance 1) move over in
 * the upgrade's own transaction. */
function rekeyAnswers(db, transaction) {
  if (!db.objectStoreNames.contains("answers")) return;
  const read = transaction.objectStore("answers").getAll();
  read.onsuccess = () => {
    db.deleteObjectStore("answers");
    const spec = STORES.answers;
    const answers = db.createObjectStore("answers", { keyPath: spec.keyPath });
    answers.createIndex(spec.index, spec.index);
    for (const record of read.result) answers.put({ ...record, instance: record.instance || 1 });
  };
}

function done(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function store(name, mode = "readonly") {
  return (await open()).transaction(name, mode).objectStore(name);
}

export const get = async (name, key) => done((await store(name)).get(key));
export const getAll = async (name) => done((await store(name)).getAll());
export const put = async (name, value) => done((await store(name, "readwrite")).put(value));
export const remove = async (name, key) => done((await store(name, "readwrite")).delete(key));
export const byInspection = async (name, id) =>
  done((await store(name)).index("inspection_id").getAll(id));

/** Read, change and write one record in one transaction, so a write in between is never lost.
 * `change` gets the record (or undefined) and returns the new one, or null to leave it. */
export async function update(name, key, change) {
  const objects = await store(name, "readwrite");
  const next = change(await done(objects.get(key)));
  if (next) await done(objects.put(next));
  return next;
}

export async function getMeta(key) {
  return (await get("meta", key))?.value;
}

export async function setMeta(key, value) {
  return put("meta", { key, value });
}

/** Store a photo as a Blob; where the browser cannot store Blobs, as a data URL instead. */
export async function putPhoto(record, blob) {
  try {
    await put("photos", { ...record, blob });
  } catch (error) {
    if (error?.name !== "DataCloneError") throw error;
    const dataUrl = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
    await put("photos", { ...record, blob: null, dataUrl });
  }
}

export async function photoBlob(record) {
  if (record.blob) return record.blob;
  if (record.dataUrl) return (await fetch(record.dataUrl)).blob();
  return null;
}

/** Drop everything of one user (on sign-out by another user); never while items wait. */
export async function clearAll() {
  const db = await open();
  for (const name of Object.keys(STORES)) {
    await done(db.transaction(name, "readwrite").objectStore(name).clear());
  }
}

/** Warn when the device is close to its storage quota. */
export async function storageNearlyFull() {
  if (!navigator.storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  return quota > 0 && usage / quota > 0.8 ? { usage, quota } : null;
}
