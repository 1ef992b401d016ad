// Tiny DOM builder: the CSP forbids inline scripts and styles, so every view is built
// with createElement and textContent (never innerHTML with data).

export function h(tag, attrs = {}, ...children) {
  const svg = tag.startsWith("svg:");
  const el = svg
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    else if (key === "class") el.setAttribute("class", value);
    else if (key in el && !svg && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function announce(message) {
  const region = document.getElementById("announcer");
  region.textContent = "";
  // A fresh text node makes screen readers repeat an identical message.
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

let counter = 0;
export function uid(prefix = "f") {
  counter += 1;
  return `${prefix}-${counter}`;
}

export function field(label, control, hint) {
  const id = control.id || uid();
  control.id = id;
  const hintEl = hint ? h("p", { class: "hint", id: `${id}-hint`, text: hint }) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id, text: label }), hintEl, control);
}

export function button(text, onclick, cls = "btn") {
  return h("button", { type: "button", class: cls, onclick }, text);
}

export function errorBox(error) {
  const list = [];
  const errors = error?.problem?.errors;
  if (errors && typeof errors === "object") {
    for (const [name, messages] of Object.entries(flatten(errors))) {
      list.push(h("li", {}, `${fieldName(name)}: ${messages}`));
    }
  }
  return h(
    "div",
    { class: "alert alert-error", role: "alert" },
    h("p", {}, h("strong", { text: "Feil: " }), error?.message || String(error)),
    list.length ? h("ul", {}, list) : null,
  );
}

/** A field's label on the page ("Saksnummer"), not its key ("case_reference"). */
function fieldName(key) {
  const control = document.querySelector(`main [name="${CSS.escape(key.split(".")[0])}"]`);
  const label = control?.labels?.[0]?.textContent || control?.getAttribute("aria-label");
  return label || (key === "_schema" ? "Skjemaet" : key);
}

function flatten(obj, prefix = "") {
  const out = {};
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
      out[name] = value.join(" ");
    } else if (value && typeof value === "object") Object.assign(out, flatten(value, name));
    else out[name] = String(value);
  }
  return out;
}

/** Replace an element's children; null/false parts are skipped (native calls print "null"). */
export function fill(el, ...children) {
  return append(clear(el), children);
}

/** A table's scrolling box: focusable and named, so a keyboard can scroll a wide table. */
export const tableBox = (label) => ({ class: "table-wrap", tabindex: "0", role: "region", "aria-label": label });
