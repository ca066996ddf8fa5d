// Start the NHS.UK frontend components (header menu, error summary focus, password reveal).
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

initAll();

// Drafts of unsaved answers live in this tab's sessionStorage; signing out removes them,
// so the next person at a shared computer cannot read them.
for (const form of document.querySelectorAll('form[action$="/account/sign-out"]')) {
  form.addEventListener("submit", () => {
    for (const key of Object.keys(sessionStorage)) {
      if (key.startsWith("draft:")) sessionStorage.removeItem(key);
    }
  });
}
