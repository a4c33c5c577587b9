// The contact form. The server draft (saved every few seconds) is the record; this keeps a copy
// of what is typed in the browser as well, so a dropped connection or a crashed browser loses
// nothing: reopening the contact puts back anything newer than the server's draft and saves it.
(() => {
  const form = document.getElementById("contact-form");
  if (!form || !window.localStorage) return;
  const key = `cpims-contact-${form.dataset.contact}`;
  const status = document.getElementById("save-status");
  let failed = false;

  const snapshot = () => {
    const data = {};
    for (const el of form.elements) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") continue;
      if (el.type === "checkbox" || el.type === "radio") data[`${el.name}=${el.value}`] = el.checked;
      else if (el.multiple) data[el.name] = Array.from(el.selectedOptions, (o) => o.value);
      else data[el.name] = el.value;
    }
    return data;
  };
  const restore = (data) => {
    for (const el of form.elements) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") continue;
      const box = `${el.name}=${el.value}`;
      if ((el.type === "checkbox" || el.type === "radio") && box in data) el.checked = data[box];
      else if (el.multiple && Array.isArray(data[el.name])) {
        for (const option of el.options) option.selected = data[el.name].includes(option.value);
      } else if (el.name in data && typeof data[el.name] === "string") el.value = data[el.name];
    }
  };
  const keep = () => {
    try {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), data: snapshot() }));
    } catch (e) { /* storage full or disabled: the server draft still works */ }
  };
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);

  try {
    const saved = JSON.parse(localStorage.getItem(key) || "null");
    const serverAt = Number(form.dataset.saved || 0) * 1000;
    if (saved && saved.at > serverAt + 2000) {
      restore(saved.data);
      window.setTimeout(() => htmx.trigger(form, "change"), 50);
    }
  } catch (e) { localStorage.removeItem(key); }

  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt !== form) return;
    if (event.detail.successful) {
      failed = false;
      const saved = JSON.parse(localStorage.getItem(key) || "null");
      if (saved && JSON.stringify(saved.data) === JSON.stringify(snapshot())) localStorage.removeItem(key);
    } else {
      failed = true;
      keep();
      if (status) status.textContent = status.dataset.offline;
    }
  });
  // While offline, try again every 15 seconds.
  window.setInterval(() => { if (failed) htmx.trigger(form, "change"); }, 15000);
})();
