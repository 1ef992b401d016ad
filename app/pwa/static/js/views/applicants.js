// Applicant households (no names, no national identity numbers): needs and matches.

import { ApiError, api, list, request } from "../api.js";
import { announce, append, button, clear, errorBox, field, h, tableBox } from "../dom.js";
import { APPLICANT_STATUS, date, nb, num } from "../format.js";
import { choice, keepState, pager, whole } from "../listing.js";
import { labels } from "./labels.js";
import { matchList, offersSection } from "./offers.js";

const HOUSEHOLD = [
  ["adults", "Voksne"],
  ["children_0_5", "Barn 0–5 år"],
  ["children_6_12", "Barn 6–12 år"],
  ["children_13_17", "Barn 13–17 år"],
  ["over_67", "Personer over 67 år"],
  ["over_80", "Personer over 80 år"],
];

const PAGE_SIZE = 50;

export async function renderList(main, _params, { query }) {
  const { limitations } = await labels();
  const name = Object.fromEntries(limitations.map((l) => [l.key, nb(l.label)]));
  const status = choice("status", [["", "Alle"], ...Object.entries(APPLICANT_STATUS)], query.get("status") ?? "waiting");
  const out = h("div", { "aria-live": "polite" });
  const show = async (page) => {
    keepState("husstander", new URLSearchParams({ status: status.value || "", side: String(page) }));
    const ask = new URLSearchParams({ page: String(page), page_size: String(PAGE_SIZE) });
    if (status.value) ask.set("status", status.value);
    try {
      const { items, total } = await list(`/applicants?${ask}`);
      out.replaceChildren(
        pager({ page, pageSize: PAGE_SIZE, total, label: "husstander", onPage: show }),
        items.length ? h("div", tableBox("Husstander"), h("table", {},
          h("caption", { class: "visually-hidden", text: "Husstander" }),
          h("thead", {}, h("tr", {}, ["Saksnummer", "Behov", "Soverom", "Status"].map((t) => h("th", { scope: "col", text: t })))),
          h("tbody", {}, items.map((a) => h("tr", {},
            h("td", {}, h("a", { href: `#/husstander/${a.id}`, text: a.case_reference })),
            h("td", { text: a.needs.map((n) => `${name[n.limitation] || n.limitation}${n.level === "preferred" ? " (ønsket)" : ""}`).join(", ") || "–" }),
            h("td", { class: "num", text: num(a.min_bedrooms) }),
            h("td", { text: APPLICANT_STATUS[a.status] || a.status }))))))
          : h("p", { text: "Ingen husstander med denne statusen." }));
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  };
  main.append(h("h1", { text: "Husstander på venteliste" }),
    h("p", {}, h("a", { class: "btn btn-primary", href: "#/husstander/ny", text: "Registrer ny husstand" })),
    h("form", { class: "card filters", onsubmit: (e) => { e.preventDefault(); show(1); } },
      field("Status", status), h("button", { type: "submit", class: "btn" }, "Vis husstander")),
    out);
  await show(whole(query, "side", 1));
}

async function districtNames(extra) {
  try {
    const stats = await api("/stats/portfolio");
    return [...new Set([...Object.keys(stats.districts || {}), ...extra])].sort((a, b) => a.localeCompare(b, "nb"));
  } catch {
    return extra;
  }
}

const STALE = "Noen andre har endret husstanden mens du redigerte. Skjemaet viser nå den lagrede versjonen; gjør endringene dine på nytt og lagre.";

export async function renderForm(main, [applicantId], { navigate, notice }) {
  const { limitations } = await labels();
  let current = null;
  let etag = null;
  if (applicantId) {
    const { data, response } = await request(`/applicants/${applicantId}`);
    current = data;
    etag = response.headers.get("ETag");
  }
  const districts = await districtNames(current?.districts || []);
  const caseRef = h("input", { name: "case_reference", required: true, value: current?.case_reference || "", autocomplete: "off" });
  const counts = HOUSEHOLD.map(([key, label]) => [key, h("input", {
    type: "number", inputmode: "numeric", min: "0", max: "20", name: key, value: String(current?.household?.[key] ?? (key === "adults" ? 1 : 0)),
  }), label]);
  const needs = limitations.map((l) => {
    const had = current?.needs?.find((n) => n.limitation === l.key);
    const level = h("select", { name: `level-${l.key}`, "aria-label": `Hvor viktig: ${nb(l.label)}` },
      h("option", { value: "", text: "Ikke et behov" }),
      h("option", { value: "required", text: "Må oppfylles", selected: had?.level === "required" }),
      h("option", { value: "preferred", text: "Ønskelig", selected: had?.level === "preferred" }));
    return [l.key, level, nb(l.label)];
  });
  const bedrooms = h("input", { type: "number", inputmode: "numeric", min: "0", max: "10", name: "min_bedrooms", value: String(current?.min_bedrooms ?? 0) });
  const districtBoxes = districts.map((d) => [d, h("input", { type: "checkbox", name: "districts", value: d, checked: current?.districts?.includes(d) })]);
  const required = h("input", { type: "checkbox", name: "districts_required", checked: Boolean(current?.districts_required) });
  const moveIn = h("input", { type: "date", name: "earliest_move_in", value: current?.earliest_move_in || "" });
  const status = h("select", { name: "status" }, Object.entries(APPLICANT_STATUS).map(([k, v]) =>
    h("option", { value: k, text: v, selected: (current?.status || "waiting") === k })));
  const notes = h("textarea", { name: "notes", rows: "3", value: current?.notes || "" });
  const result = h("div", { "aria-live": "polite" });

  const form = h("form", { class: "card", onsubmit: async (event) => {
    event.preventDefault();
    const body = {
      case_reference: caseRef.value.trim(),
      household: Object.fromEntries(counts.map(([k, input]) => [k, Number(input.value || 0)])),
      needs: needs.filter(([, sel]) => sel.value).map(([k, sel]) => ({ limitation: k, level: sel.value })),
      min_bedrooms: Number(bedrooms.value || 0),
      districts: districtBoxes.filter(([, box]) => box.checked).map(([d]) => d),
      districts_required: required.checked,
      earliest_move_in: moveIn.value || null,
      status: status.value,
      notes: notes.value || null,
    };
    try {
      const saved = current
        ? await api(`/applicants/${current.id}`, { method: "PATCH", json: body, headers: { "If-Match": etag } })
        : await api("/applicants", { method: "POST", json: body });
      announce("Husstanden er lagret.");
      navigate(`husstander/${saved.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        // Someone saved the household meanwhile: show their version; the user redoes the edit.
        clear(main);
        await renderForm(main, [applicantId], { navigate, notice: STALE });
        main.querySelector(".stale")?.focus();
        return;
      }
      result.replaceChildren(errorBox(error));
    }
  } },
  h("p", { class: "hint", text: "Registrer aldri navn, fødselsnummer eller diagnoser. Bruk saksnummeret." }),
  field("Saksnummer", caseRef),
  h("fieldset", {}, h("legend", { text: "Husstanden" }), counts.map(([, input, label]) => field(label, input))),
  h("fieldset", {}, h("legend", { text: "Behov (funksjonsnedsettelser)" }),
    h("ul", { class: "plain needs" }, needs.map(([, sel, label]) => h("li", {}, field(label, sel))))),
  field("Minste antall soverom", bedrooms),
  h("fieldset", {}, h("legend", { text: "Ønskede kretser" }),
    districtBoxes.map(([d, box]) => h("label", { class: "choice" }, box, h("span", { text: d }))),
    h("label", { class: "choice" }, required, h("span", { text: "Bare disse kretsene er aktuelle" }))),
  field("Tidligste innflytting", moveIn),
  field("Status", status),
  field("Merknader", notes, "Ingen helseopplysninger utover behovene over."),
  h("button", { type: "submit", class: "btn btn-primary" }, "Lagre husstand"),
  result);
  append(main, [h("h1", { text: current ? `Endre husstand ${current.case_reference}` : "Ny husstand" }),
    notice ? h("p", { class: "alert alert-warning stale", role: "alert", tabindex: "-1", text: notice }) : null, form]);
}

export async function renderDetail(main, [applicantId], { navigate }) {
  const applicant = await api(`/applicants/${applicantId}`);
  const reload = () => navigate(`husstander/${applicantId}`);
  const { limitations } = await labels();
  const name = Object.fromEntries(limitations.map((l) => [l.key, nb(l.label)]));
  const adaptable = h("input", { type: "checkbox", id: "allow-adaptable", checked: true });
  const out = h("div", { "aria-live": "polite" });
  const load = async () => {
    out.replaceChildren(h("p", { text: "Finner boliger …" }));
    try {
      const data = await api(`/applicants/${applicantId}/matches?allow_adaptable=${adaptable.checked}&include_unassessed=true`);
      out.replaceChildren(matchList(data, name, applicant, reload));
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  };
  adaptable.addEventListener("change", load);
  const household = HOUSEHOLD.filter(([k]) => applicant.household?.[k]).map(([k, label]) => `${label}: ${applicant.household[k]}`);
  main.append(
    h("h1", { text: `Husstand ${applicant.case_reference}` }),
    h("div", { class: "actions" }, h("a", { class: "btn", href: `#/husstander/${applicant.id}/endre`, text: "Endre husstand og behov" }),
      deleteButton(applicant, navigate)),
    h("dl", { class: "facts" },
      h("dt", { text: "Husstand" }), h("dd", { text: household.join(", ") || "–" }),
      h("dt", { text: "Behov" }), h("dd", { text: applicant.needs.map((n) => `${name[n.limitation] || n.limitation} (${n.level === "required" ? "må oppfylles" : "ønskelig"})`).join(", ") || "–" }),
      h("dt", { text: "Soverom" }), h("dd", { text: `minst ${num(applicant.min_bedrooms)}` }),
      h("dt", { text: "Kretser" }), h("dd", { text: applicant.districts.join(", ") || "alle" }),
      h("dt", { text: "Tidligste innflytting" }), h("dd", { text: date(applicant.earliest_move_in) }),
      h("dt", { text: "Status" }), h("dd", { text: APPLICANT_STATUS[applicant.status] || applicant.status })),
    await offersSection(applicant, reload),
    h("h2", { text: "Boliger som passer" }),
    h("label", { class: "choice", for: "allow-adaptable" }, adaptable, h("span", { text: "Ta med boliger som kan tilpasses" })),
    out);
  await load();
}

function deleteButton(applicant, navigate) {
  const box = h("div", { class: "confirm" });
  const open = button("Slett husstand", () => {
    const question = h("p", { tabindex: "-1" }, h("strong", { text: `Vil du slette husstand ${applicant.case_reference} for godt? Dette kan ikke angres.` }));
    box.replaceChildren(h("div", { class: "alert alert-warning", role: "group", "aria-label": "Bekreft sletting" }, question,
      h("div", { class: "actions" },
        button("Ja, slett husstanden", async () => {
          try {
            await api(`/applicants/${applicant.id}`, { method: "DELETE" });
            announce(`Husstand ${applicant.case_reference} er slettet.`);
            navigate("husstander");
          } catch (error) {
            box.replaceChildren(errorBox(error));
          }
        }, "btn btn-danger"),
        button("Avbryt", () => {
          box.replaceChildren();
          open.focus();
        }))));
    question.focus();
  });
  return h("div", {}, open, box);
}
