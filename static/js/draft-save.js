// Saves a form as a draft while the person types: 2 s after they stop, and when they
// leave a field. The form posts to its data-draft-url; "Saved at HH:MM" or the reason
// it did not save appears in its [data-draft-status] region. Without JavaScript the
// form's own "Save and finish later" button does the same.
const DELAY_MS = 2000;

for (const form of document.querySelectorAll("form[data-draft-url]")) {
  const status = form.querySelector("[data-draft-status]");
  let timer = null;
  let saving = false;
  let again = false;

  const say = (text) => { if (status) status.textContent = text; };

  async function save() {
    clearTimeout(timer);
    timer = null;
    if (saving) { again = true; return; }
    saving = true;
    const body = new FormData(form);
    body.delete("action");
    try {
      const response = await fetch(form.dataset.draftUrl, {
        method: "POST", body, credentials: "same-origin",
        headers: { "Accept": "application/json" },
      });
      const result = await response.json().catch(() => ({}));
      // A save counts as activity: the session-timeout warning moves its clock on.
      if (response.ok) document.dispatchEvent(new CustomEvent("app:activity"));
      if (response.ok) say(`Saved at ${result.saved_at}`);
      else if (response.status === 422) say("Not saved: check the answers marked when you send the form");
      else if (response.status === 401) say("Not saved: sign in again, then save");
      else say("Not saved yet: use “Save and finish later”");
    } catch {
      say("Not saved: you seem to be offline. Keep this page open and try again");
    } finally {
      saving = false;
      if (again) { again = false; schedule(); }
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  }

  // A field left for one of this form's own buttons: the post that button sends saves
  // the same answers, so no draft is sent beside it (two saves at once, and on a first
  // save two applications). The pending save stays scheduled in case the click does
  // not happen. (Browsers that do not focus a clicked button still save here.)
  const toOwnButton = (event) => event.relatedTarget?.form === form
    && event.relatedTarget.type === "submit";

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("focusout", (event) => {
    if (event.target.matches("input, textarea, select") && timer && !toOwnButton(event)) {
      clearTimeout(timer);
      save();
    }
  });
  form.addEventListener("submit", () => { clearTimeout(timer); timer = null; });
}
