// Answers the server refused, shown at their fields in the NHS.UK error style while the
// rest of the step is saved (static/js/autosave.js). Only what this file adds is ever
// taken away: messages the server rendered with the page come back as they were.

export function fieldLabel(wrapper) {
  const label = wrapper.querySelector("legend, label");
  return label ? label.textContent.replace(/\s+/g, " ").trim() : wrapper.dataset.fieldId;
}

function describedBy(el, id, add) {
  const ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && x !== id);
  if (add) ids.push(id);
  if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
  else el.removeAttribute("aria-describedby");
}

export function showFieldError(wrapper, message) {
  // The NHS.UK error pattern, at the field: a red bar on its group, the message above
  // the control (read with it), and any message the server put there hidden meanwhile.
  const id = `${wrapper.dataset.fieldId}--autosave-error`;
  const group = wrapper.querySelector(".nhsuk-form-group") || wrapper;
  const fieldset = group.querySelector(":scope > fieldset");
  const described = fieldset || group.querySelector("textarea, input:not([type=hidden]), select");
  const single = fieldset ? [] : [...group.querySelectorAll("textarea, input:not([type=hidden])")];
  let error = wrapper.querySelector("[data-autosave-error]");
  if (!message) {
    if (!error) return;
    error.remove();
    if (group.dataset.autosaveAddedError) group.classList.remove("nhsuk-form-group--error");
    delete group.dataset.autosaveAddedError;
    for (const el of single) el.classList.remove("nhsuk-textarea--error", "nhsuk-input--error");
    if (described) describedBy(described, id, false);
    for (const el of group.querySelectorAll("[data-autosave-hid]")) {
      el.hidden = false;
      delete el.dataset.autosaveHid;
    }
    return;
  }
  if (!error) {
    error = document.createElement("span");
    error.className = "nhsuk-error-message";
    error.id = id;
    error.dataset.autosaveError = "";
    const container = fieldset || group;
    // (Not the character count's own "too many words" line, which stays as it is.)
    const server = container.querySelector(":scope > .nhsuk-error-message:not(.nhsuk-character-count__status)");
    let anchor = server || container.querySelector("textarea, input:not([type=hidden]), select, table, ol, ul");
    while (anchor && anchor.parentElement !== container) anchor = anchor.parentElement;
    container.insertBefore(error, anchor);
    if (server) {
      server.hidden = true;
      server.dataset.autosaveHid = "";
    }
  }
  const prefix = document.createElement("span");
  prefix.className = "nhsuk-u-visually-hidden";
  prefix.textContent = "Error:";
  error.replaceChildren(prefix, ` ${message}`);
  if (!group.classList.contains("nhsuk-form-group--error")) {
    group.classList.add("nhsuk-form-group--error");
    group.dataset.autosaveAddedError = "true";
  }
  for (const el of single) el.classList.add(el.tagName === "TEXTAREA" ? "nhsuk-textarea--error" : "nhsuk-input--error");
  if (described) describedBy(described, id, true);
}
