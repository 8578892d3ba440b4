// Starts Swagger UI on /openapi.json (a file of its own: the page allows no inline script).
"use strict";
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
