// Administrator: webhook subscriptions (address, events, secret shown once), test events,
// and each subscription's deliveries with their attempts and a resend button.

import { api, list } from "../api.js";
import { announce, button, errorBox, field, h, tableBox } from "../dom.js";
import { dateTime, num } from "../format.js";

const EVENTS = {
  "assessment.approved": "Vurdering godkjent",
  "unit.suitability_changed": "Boligens egnethet endret",
  "inspection.returned": "Befaring sendt tilbake",
  "webhook.ping": "Testhendelse",
};
const STATUS = { pending: "Venter", delivered: "Levert", failed: "Mislyktes" };

export async function renderList(main, _params, { navigate }) {
  const out = h("div", { "aria-live": "polite" });
  const table = h("div");
  const draw = async () => {
    const { items } = await list("/webhooks?page_size=100");
    table.replaceChildren(items.length === 0 ? h("p", { text: "Ingen abonnementer ennå." }) : h("div", tableBox("Abonnementer"), h("table", {},
      h("caption", { text: "Abonnementer" }),
      h("thead", {}, h("tr", {}, ["Adresse", "Hendelser", "Aktiv", "Handlinger"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, items.map((s) => row(s))))));
  };
  const act = async (work, message) => {
    try {
      await work();
      announce(message);
      out.replaceChildren();
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
    await draw();
  };
  const row = (s) => {
    const active = h("input", { type: "checkbox", checked: s.active, "aria-label": `${s.url} er aktiv` });
    active.addEventListener("change", () => act(() => api(`/webhooks/${s.id}`, { method: "PATCH", json: { active: active.checked } }),
      active.checked ? "Abonnementet er aktivt." : "Abonnementet er satt på pause."));
    return h("tr", {},
      h("td", { class: "url" }, h("span", { text: s.url }), s.description ? h("p", { class: "hint", text: s.description }) : null),
      h("td", { text: s.events.map((e) => EVENTS[e] || e).join(", ") }),
      h("td", {}, active),
      h("td", {}, h("div", { class: "actions" },
        button("Send testhendelse", () => act(() => api(`/webhooks/${s.id}/ping`, { method: "POST" }), "Testhendelsen er lagt i kø.")),
        button("Leveranser", () => navigate(`webhooker/${s.id}`)),
        button("Slett", () => {
          if (window.confirm(`Slette abonnementet for ${s.url}?`)) {
            act(() => api(`/webhooks/${s.id}`, { method: "DELETE" }), "Abonnementet er slettet.");
          }
        }, "btn btn-danger"))));
  };
  const url = h("input", { type: "url", name: "url", required: true, autocomplete: "off", placeholder: "https://" });
  const description = h("input", { type: "text", name: "description", maxlength: 200, autocomplete: "off" });
  const boxes = Object.entries(EVENTS).filter(([k]) => k !== "webhook.ping")
    .map(([k, label]) => [k, h("input", { type: "checkbox", name: "events", value: k }), label]);
  const secretOut = h("div", { "aria-live": "polite" });
  main.append(h("h1", { text: "Webhooker" }),
    h("p", { text: "Andre systemer (saksbehandling, FDV, arkiv) varsles når noe skjer. Meldingene inneholder bare id-er og nøkler, aldri personopplysninger." }),
    out, table,
    h("form", { class: "card", onsubmit: async (e) => {
      e.preventDefault();
      const events = boxes.filter(([, box]) => box.checked).map(([k]) => k);
      try {
        const created = await api("/webhooks", { method: "POST", json: { url: url.value, events, description: description.value || null } });
        e.target.reset();
        out.replaceChildren();
        secretOut.replaceChildren(h("div", { class: "alert alert-warning", role: "alert" },
          h("p", { text: "Hemmeligheten vises bare nå. Gi den til mottakeren, som bruker den til å kontrollere signaturen:" }),
          h("code", { class: "secret", text: created.secret })));
        announce("Abonnementet er opprettet.");
        await draw();
      } catch (error) {
        out.replaceChildren(errorBox(error));
      }
    } }, h("h2", { text: "Nytt abonnement" }),
    field("Mottakerens adresse (https)", url),
    h("fieldset", {}, h("legend", { text: "Hendelser" }),
      boxes.map(([, box, label]) => h("label", { class: "choice" }, box, h("span", { text: label })))),
    field("Beskrivelse", description, "For eksempel: Saksbehandlingssystemet."),
    h("button", { type: "submit", class: "btn btn-primary" }, "Opprett abonnement")),
    secretOut);
  await draw();
}

export async function renderDeliveries(main, [subscriptionId]) {
  const subscription = await api(`/webhooks/${subscriptionId}`);
  const out = h("div", { "aria-live": "polite" });
  const table = h("div");
  const draw = async () => {
    const { items, total } = await list(`/webhooks/${subscriptionId}/deliveries?page_size=50`);
    table.replaceChildren(items.length === 0 ? h("p", { text: "Ingen leveranser ennå." }) : h("div", tableBox("Leveranser"), h("table", {},
      h("caption", { text: `Leveranser (${num(total)}), nyeste først` }),
      h("thead", {}, h("tr", {}, ["Tidspunkt", "Hendelse", "Status", "Forsøk", "Siste svar", "Neste forsøk", ""].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, items.map((d) => h("tr", {},
        h("td", { text: dateTime(d.created_at) }),
        h("td", { text: EVENTS[d.event] || d.event }),
        h("td", { text: STATUS[d.status] || d.status }),
        h("td", { class: "num", text: num(d.attempts) }),
        h("td", { text: d.last_error || (d.last_status_code ? `HTTP ${d.last_status_code}` : "–") }),
        h("td", { text: dateTime(d.next_attempt_at) }),
        h("td", {}, d.status === "pending" && d.attempts === 0 ? null : button("Send på nytt", async () => {
          try {
            await api(`/webhooks/deliveries/${d.id}/resend`, { method: "POST" });
            announce("Leveransen sendes på nytt.");
            out.replaceChildren();
          } catch (error) {
            out.replaceChildren(errorBox(error));
          }
          await draw();
        }))))))));
  };
  main.append(h("h1", { text: "Leveranser" }), h("p", { text: subscription.url }),
    h("p", {}, h("a", { href: "#webhooker", text: "Tilbake til webhooker" })), out, table);
  await draw();
}
