// Starts Swagger UI on the spec; external file so the page needs no inline script.
const root = document.getElementById("swagger-ui");
window.ui = SwaggerUIBundle({ url: root.dataset.spec, dom_id: "#swagger-ui" });
