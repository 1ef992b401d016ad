// Administrator: users and roles, and the unit register import with its dry-run report.

import { api, list } from "../api.js";
import { announce, button, errorBox, field, h, tableBox } from "../dom.js";
import { ROLES, num } from "../format.js";

export async function renderUsers(main) {
  const out = h("div", { "aria-live": "polite" });
  const table = h("div");
  const draw = async () => {
    const { items } = await list("/users?page_size=100");
    // One card per user: full-width controls with 48 px targets fit a phone as well.
    table.replaceChildren(h("h2", { text: `Brukere (${num(items.length)})` }),
      h("ul", { class: "cards users" }, items.map((u) => {
        const who = u.name || u.email;
        const role = h("select", { name: `role-${u.id}` },
          Object.entries(ROLES).map(([k, v]) => h("option", { value: k, text: v, selected: u.role === k })));
        role.addEventListener("change", () => patch(u, { role: role.value }));
        const active = h("input", { type: "checkbox", name: `active-${u.id}`, checked: u.active });
        active.addEventListener("change", () => patch(u, { active: active.checked }));
        return h("li", { class: "card user" },
          h("h3", { text: who }), h("p", { text: u.email }),
          field(`Rolle for ${who}`, role),
          h("label", { class: "choice" }, active, h("span", { text: `${who} er aktiv` })));
      })));
  };
  const patch = async (user, body) => {
    try {
      await api(`/users/${user.id}`, { method: "PATCH", json: body });
      announce(`${user.name || user.email} er oppdatert.`);
    } catch (error) {
      out.replaceChildren(errorBox(error));
      await draw();
    }
  };
  const name = h("input", { name: "name", required: true, autocomplete: "off" });
  const email = h("input", { type: "email", name: "email", required: true, autocomplete: "off" });
  const role = h("select", { name: "role" }, Object.entries(ROLES).map(([k, v]) => h("option", { value: k, text: v })));
  const password = h("input", { type: "password", name: "password", required: true, autocomplete: "new-password" });
  main.append(h("h1", { text: "Brukere og roller" }), out, table,
    h("form", { class: "card", onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api("/users", { method: "POST", json: { name: name.value, email: email.value, role: role.value, password: password.value } });
        announce("Brukeren er opprettet.");
        e.target.reset();
        out.replaceChildren();
        await draw();
      } catch (error) {
        out.replaceChildren(errorBox(error));
      }
    } }, h("h2", { text: "Ny bruker" }), field("Navn", name), field("E-post", email), field("Rolle", role),
    field("Passord", password, "Minst 12 tegn."), h("button", { type: "submit", class: "btn btn-primary" }, "Opprett bruker")));
  await draw();
}

export function renderImport(main) {
  const file = h("input", { type: "file", name: "file", accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", required: true });
  const out = h("div", { "aria-live": "polite" });
  const send = (dryRun) => async () => {
    if (!file.files?.[0]) {
      out.replaceChildren(h("p", { role: "alert", class: "alert alert-error", text: "Velg en fil først." }));
      return;
    }
    const form = new FormData();
    form.append("file", file.files[0]);
    out.replaceChildren(h("p", { text: dryRun ? "Kontrollerer …" : "Importerer …" }));
    try {
      const report = await api(`/units/import?dry_run=${dryRun}`, { method: "POST", body: form });
      out.replaceChildren(reportView(report, dryRun));
    } catch (error) {
      out.replaceChildren(errorBox(error), error.problem?.report ? reportView(error.problem.report, dryRun) : "");
    }
  };
  main.append(h("h1", { text: "Importer boligregister" }),
    h("form", { class: "card", onsubmit: (e) => e.preventDefault() },
      field("Fil fra forvaltningssystemet (CSV eller XLSX)", file),
      h("div", { class: "actions" }, button("Kontroller (prøvekjøring)", send(true), "btn"), button("Importer", send(false), "btn btn-primary"))),
    out);
}

function reportView(report, dryRun) {
  const summary = Object.entries(report.summary || {}).map(([k, v]) => h("li", { text: `${SUMMARY[k] || k}: ${typeof v === "number" ? num(v) : v}` }));
  const problems = report.problems || [];
  return h("section", {},
    h("h2", { text: dryRun ? "Rapport fra prøvekjøring" : "Rapport fra import" }),
    h("ul", {}, summary),
    report.unknown_columns?.length ? h("p", { text: `Ukjente kolonner: ${report.unknown_columns.join(", ")}` }) : null,
    problems.length
      ? h("div", tableBox("Problemer, rad for rad"), h("table", {},
          h("caption", { text: `${problems.length} problemer, rad for rad` }),
          h("thead", {}, h("tr", {}, ["Rad", "Kolonne", "Problem"].map((t) => h("th", { scope: "col", text: t })))),
          h("tbody", {}, problems.map((p) => h("tr", {}, h("td", { class: "num", text: num(p.line) }), h("td", { text: p.column || "–" }), h("td", { text: p.message }))))))
      : h("p", { text: "Ingen problemer funnet." }));
}

const SUMMARY = {
  rows: "Rader",
  buildings_created: "Nye bygg",
  buildings_updated: "Endrede bygg",
  units_created: "Nye boliger",
  units_updated: "Endrede boliger",
  units_unchanged: "Uendrede boliger",
  problems: "Problemer",
};
