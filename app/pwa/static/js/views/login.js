import { api } from "../api.js";
import { errorBox, field, h } from "../dom.js";

export function render(main, { onSignedIn }) {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const status = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    {
      class: "card narrow",
      onsubmit: async (event) => {
        event.preventDefault();
        status.replaceChildren(h("p", { text: "Logger inn …" }));
        try {
          const me = await api("/auth/login", { method: "POST", json: { email: email.value, password: password.value } });
          status.replaceChildren();
          await onSignedIn(me);
        } catch (error) {
          status.replaceChildren(errorBox(error));
        }
      },
    },
    field("E-post", email),
    field("Passord", password),
    h("button", { type: "submit", class: "btn btn-primary" }, "Logg inn"),
    status,
  );
  main.append(h("h1", { text: "Logg inn" }), h("p", { text: "Universell utforming av kommunale utleieboliger." }), form);
}
