// CPIMS page behaviour. No inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  const value = field ? field.value : token ? token.split("=")[1] : "";
  if (value) event.detail.headers["X-CSRFToken"] = value;
});
