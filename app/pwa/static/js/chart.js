// Charts that do not rely on colour: every bar carries its number and class as text, and
// the bars themselves are decoration (aria-hidden). SVG attributes, not inline styles (CSP).

import { h, tableBox } from "./dom.js";
import { CLASSES, num } from "./format.js";

export function classBadge(cls) {
  const c = CLASSES[cls] || CLASSES.unknown;
  return h("span", { class: `badge badge-${cls}` }, h("span", { "aria-hidden": "true", text: `${c.icon} ` }), c.label);
}

/** Score bars 0-100: rows of [label, result] where result has score and class. */
export function scoreChart(caption, rows) {
  return h("figure", { class: "chart" },
    h("figcaption", { text: caption }),
    h("ul", { class: "bars" }, rows.map(([label, result]) => {
      const score = result?.score;
      return h("li", {},
        h("span", { class: "bar-label", text: label }),
        h("svg:svg", { class: "bar", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true", focusable: "false" },
          h("svg:rect", { x: "0", y: "0", width: "100", height: "10", class: "bar-track" }),
          h("svg:rect", { x: "0", y: "0", width: String(Math.max(0, Math.min(100, score ?? 0))), height: "10", class: `bar-fill fill-${result?.class || "unknown"}` })),
        h("span", { class: "bar-value" }, `${score === null || score === undefined ? "–" : num(Math.round(score))} av 100 `, classBadge(result?.class || "unknown")));
    })));
}

const ORDER = ["suitable", "adaptable", "unsuitable", "unknown", "not_assessed"];

/** One stacked bar per row of class counts, with a table carrying the same numbers. */
export function classTable(caption, rows) {
  return h("div", tableBox(caption),
    h("table", {},
      h("caption", { text: caption }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Gruppe" }),
        ORDER.map((c) => h("th", { scope: "col" }, h("span", { "aria-hidden": "true", text: `${CLASSES[c].icon} ` }), CLASSES[c].label)),
        h("th", { scope: "col", text: "Fordeling" }))),
      h("tbody", {}, rows.map(([label, classes]) => {
        const total = ORDER.reduce((n, c) => n + (classes?.[c] || 0), 0) || 1;
        let x = 0;
        const segments = ORDER.map((c) => {
          const width = ((classes?.[c] || 0) / total) * 100;
          const rect = h("svg:rect", { x: String(x), y: "0", width: String(width), height: "10", class: `fill-${c}` });
          x += width;
          return rect;
        });
        return h("tr", {},
          h("th", { scope: "row", text: label }),
          ORDER.map((c) => h("td", { class: "num", text: num(classes?.[c] || 0) })),
          h("td", {}, h("svg:svg", { class: "bar stacked", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true", focusable: "false" }, segments)));
      }))));
}

/** Horizontal bars of counts, with the same numbers as a table for screen readers and print. */
export function countChart(caption, rows, unit) {
  const max = Math.max(1, ...rows.map(([, n]) => n || 0));
  return h("figure", { class: "chart" },
    h("figcaption", { text: caption }),
    h("ul", { class: "bars", "aria-hidden": "true" }, rows.map(([label, n]) => h("li", {},
      h("span", { class: "bar-label", text: label }),
      h("svg:svg", { class: "bar", viewBox: "0 0 100 10", preserveAspectRatio: "none", focusable: "false" },
        h("svg:rect", { x: "0", y: "0", width: "100", height: "10", class: "bar-track" }),
        h("svg:rect", { x: "0", y: "0", width: String(((n || 0) / max) * 100), height: "10", class: "bar-fill fill-count" })),
      h("span", { class: "bar-value", text: `${num(n)} ${unit}` })))),
    h("details", {}, h("summary", { text: "Vis som tabell" }),
      h("div", tableBox(caption), h("table", {},
        h("caption", { text: caption }),
        h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Barriere" }), h("th", { scope: "col", text: `Antall ${unit}` }))),
        h("tbody", {}, rows.map(([label, n]) => h("tr", {}, h("th", { scope: "row", text: label }), h("td", { class: "num", text: num(n) }))))))));
}
