// CPIMS page behaviour. No inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  const value = field ? field.value : token ? token.split("=")[1] : "";
  if (value) event.detail.headers["X-CSRFToken"] = value;
});

// "Use these": copy what a registration number says into the birth date and sex fields.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-fill-dob]");
  if (!button) return;
  const dob = document.getElementById("id_date_of_birth");
  const sex = document.getElementById("id_sex");
  if (dob) dob.value = button.dataset.fillDob;
  if (sex) sex.value = button.dataset.fillSex;
});

// A step's form is fetched when its section is opened (the link inside is the fallback without
// JavaScript): once it is in, move the focus to its first field.
document.addEventListener("htmx:afterSwap", (event) => {
  const body = event.detail.target;
  if (!body.classList || !body.classList.contains("step-body")) return;
  const field = body.querySelector("input:not([type=hidden]), select, textarea, button");
  if (field) field.focus();
});
