// Lists that page through everything on the server, with their state in the address
// ("#/boliger?side=3&krets=Idd"), so a reload, the back button or a shared link shows the
// same page.

import { h } from "./dom.js";
import { num } from "./format.js";

/** Write the view's state into the address without re-rendering the view. */
export function keepState(path, params) {
  const clean = new URLSearchParams([...params].filter(([, v]) => v !== "" && v !== null && v !== undefined));
  const query = clean.toString();
  history.replaceState(history.state, "", `#/${path}${query ? `?${query}` : ""}`);
}

/** "Forrige side" / "Side 2 av 12 (600 treff)" / "Neste side". */
export function pager({ page, pageSize, total, label, onPage }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const go = (to) => h("button", {
    type: "button",
    class: "btn",
    disabled: to < 1 || to > pages,
    onclick: () => onPage(to),
  }, to < page ? "Forrige side" : "Neste side");
  return h("nav", { class: "pager", "aria-label": `Sider: ${label}` },
    go(page - 1),
    h("p", { class: "page-of", text: `Side ${num(page)} av ${num(pages)} (${num(total)} treff)` }),
    go(page + 1));
}

/** A select whose options are [value, text] pairs; `value` picks the selected one. */
export function choice(name, options, value) {
  return h("select", { name }, options.map(([v, text]) => h("option", { value: v, text, selected: String(value ?? "") === v })));
}

/** A positive whole number from the address, or the fallback. */
export function whole(params, name, fallback) {
  const n = Number.parseInt(params.get(name) || "", 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
