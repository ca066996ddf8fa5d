// Autosave for step pages: progressive enhancement, the form works without it.
//
// Saves the step's answers to the autosave endpoint 2 s after typing stops, at least
// every 30 s while typing goes on, when a field loses focus and when the page is
// hidden; one request at a time. Anything not yet acknowledged by the server is kept
// in sessionStorage for this tab, retried with back-off and restored after a reload.
// Contract: the step's inputs are posted as the form would post them (form-encoded, with
// the version), so the server reads every field type the same way as a real post;
// 200 {version, saved_at, errors} only after the commit (every valid answer saved;
// "errors" names each refused one), 409 with the stored copy, as the step's inputs
// ("form"), when another tab or device saved first, 422 when no answer could be saved.
//
// The status sits at the top of the form and stays in view (static/css/autosave.css).
// It has two live regions: "Saving…" and "Saved" are announced politely, anything that
// means text is not saved (signed out, offline, refused, conflict) assertively.

import { fieldLabel, showFieldError } from "./autosave-field-errors.js";
import { enhanceMatrix, enhanceRanking } from "./field-widgets.js";
import { fieldIdOf, fill, readEntries, toBody } from "./step-fields.js";

const IDLE_DELAY_MS = 2000;
const MAX_UNSAVED_MS = 30000;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;

class Autosaver {
  constructor(form) {
    this.form = form;
    this.url = form.dataset.autosaveUrl;
    this.draftKey = form.dataset.draftKey;
    this.versionInput = form.querySelector('input[name="version"]');
    this.version = Number(this.versionInput.value);
    this.status = form.querySelector("[data-save-status]");
    this.politeRegion = this.status.querySelector("[data-save-status-polite]");
    this.assertiveRegion = this.status.querySelector("[data-save-status-assertive]");
    this.conflictPanel = form.querySelector("[data-conflict]");
    this.fields = [...form.querySelectorAll("[data-field-id]")];
    this.fieldIds = this.fields.map((wrapper) => wrapper.dataset.fieldId);
    this.acknowledged = JSON.stringify(this.answers());
    this.inFlight = null;
    // The answers last sent and refused, in part or whole: sending them again would be
    // refused again, so nothing is sent until they change.
    this.refused = null;
    this.idleTimer = null;
    this.retryTimer = null;
    this.retryDelay = FIRST_RETRY_MS;
    this.firstUnsavedAt = null;
    this.conflict = null;
    this.submitting = false;
    // While saves keep failing the status keeps saying why; "Saving…" before every
    // retry would make the live region repeat itself every few seconds.
    this.failing = false;
    this.restored = false; // text put back from this tab's storage, not yet saved
    this.lastField = null; // the last answer typed in: focus goes back there after a conflict
  }

  answers() {
    // The step's inputs as { name: [values] }: what the form would post for its fields.
    return readEntries(this.form, this.fieldIds);
  }

  get dirty() {
    return JSON.stringify(this.answers()) !== this.acknowledged;
  }

  get pending() {
    // Changed since the last save, and not just the answers the server last refused.
    const now = JSON.stringify(this.answers());
    return now !== this.acknowledged && now !== this.refused;
  }

  say(text, tone = "working", ...links) {
    // tone: "working" or "saved" (polite), "problem" (assertive: text is not saved).
    // Each link [words, href, new tab?] replaces those words in the text.
    const region = tone === "problem" ? this.assertiveRegion : this.politeRegion;
    const other = region === this.politeRegion ? this.assertiveRegion : this.politeRegion;
    if (other.textContent) other.textContent = "";
    this.status.className = `app-save-status${text ? ` app-save-status--shown app-save-status--${tone}` : ""}`;
    // Writing the same words again could make a screen reader repeat them.
    if (region.textContent === text) return;
    const parts = [text];
    for (const [words, href, newTab] of links) {
      const at = parts.findIndex((part) => typeof part === "string" && part.includes(words));
      if (at === -1) continue;
      const [before, ...after] = parts[at].split(words);
      const link = document.createElement("a");
      link.href = href;
      link.textContent = words;
      if (newTab) {
        link.target = "_blank";
        link.rel = "noopener";
      }
      parts.splice(at, 1, before, link, after.join(words));
    }
    region.replaceChildren(...parts.filter((part) => part !== ""));
  }

  start() {
    for (const wrapper of this.fields) {
      if (wrapper.dataset.fieldType === "ranking") enhanceRanking(wrapper, () => this.changed());
      if (wrapper.dataset.fieldType === "decision_matrix") enhanceMatrix(wrapper, wrapper.dataset.fieldId);
    }
    this.form.addEventListener("input", () => this.changed());
    this.form.addEventListener("change", () => this.changed());
    this.form.addEventListener("focusout", () => this.pending && this.saveNow());
    this.form.addEventListener("input", (event) => {
      if (event.target.closest("[data-field-id]")) this.lastField = event.target;
    });
    document.addEventListener("visibilitychange", () => {
      // Not while the form itself is being posted: leaving the page hides it, and a
      // save sent then would race the post with the same version, making one stale.
      if (document.visibilityState === "hidden" && !this.submitting && this.pending) {
        this.saveNow({ keepalive: true });
      }
    });
    window.addEventListener("online", () => {
      if (!this.pending) return;
      this.failing = false; // say "Saving…" again: this attempt has a chance
      this.saveNow();
    });
    window.addEventListener("offline", () => this.dirty && !this.conflict && this.say(this.restoredNote("Offline – kept in this tab"), "problem"));
    window.addEventListener("beforeunload", (event) => {
      if (!this.submitting && (this.dirty || this.inFlight)) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    this.form.addEventListener("submit", (event) => this.beforeSubmit(event));
    this.conflictPanel.querySelector("[data-keep-mine]").addEventListener("click", () => this.keepMine());
    this.conflictPanel.querySelector("[data-take-theirs]").addEventListener("click", () => this.takeTheirs());
    this.restoreDraft();
  }

  restoreDraft() {
    let draft = null;
    try {
      draft = JSON.parse(sessionStorage.getItem(this.draftKey) || "null");
    } catch {
      draft = null;
    }
    if (!draft || typeof draft.entries !== "object" || !Array.isArray(draft.fields)) return;
    // Only the fields the draft was written with: one added to the module since keeps
    // what the server sent.
    for (const wrapper of this.fields) {
      if (draft.fields.includes(wrapper.dataset.fieldId)) fill(wrapper, draft.entries);
    }
    // Saved against the version the draft was written on: if another tab has saved
    // since, the server answers 409 and the person chooses, instead of overwriting.
    this.version = Number(draft.version) || 0;
    this.restored = true;
    this.say(this.restoredNote("Saving…"));
    this.saveNow();
  }

  restoredNote(message) {
    return this.restored ? `Restored what you typed in this tab before the page was reloaded. ${message}` : message;
  }

  keepDraft() {
    try {
      sessionStorage.setItem(this.draftKey, JSON.stringify({
        version: this.version, fields: this.fieldIds, entries: this.answers(),
      }));
    } catch {
      // Storage full or blocked: the text is still on the page and is still retried.
    }
  }

  changed() {
    if (!this.pending) return;
    this.keepDraft();
    if (this.conflict) return; // wait for the person's choice
    if (!navigator.onLine) this.say(this.restoredNote("Offline – kept in this tab"), "problem");
    this.firstUnsavedAt = this.firstUnsavedAt ?? Date.now();
    clearTimeout(this.idleTimer);
    if (Date.now() - this.firstUnsavedAt >= MAX_UNSAVED_MS) this.saveNow();
    else this.idleTimer = setTimeout(() => this.saveNow(), IDLE_DELAY_MS);
  }

  saveNow(options = {}) {
    clearTimeout(this.idleTimer);
    // Forget the handle too: a retry that will never fire must not stop the save queued
    // behind this one (see the finally below).
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.conflict) return this.inFlight;
    if (this.inFlight) {
      this.queued = true;
      return this.inFlight;
    }
    this.inFlight = this.send(options).finally(() => {
      this.inFlight = null;
      if (this.queued) {
        this.queued = false;
        if (this.pending && !this.retryTimer) this.saveNow();
      }
    });
    return this.inFlight;
  }

  async send({ keepalive = false } = {}) {
    const answers = this.answers();
    const body = toBody(this.version, answers);
    // "At least every 30 s" counts from this attempt: counting from the first unsaved
    // change would send a request on every key press once a save had failed for 30 s.
    this.firstUnsavedAt = null;
    if (!this.failing && navigator.onLine) this.say(this.restoredNote("Saving…"));
    let response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        credentials: "same-origin",
        keepalive,
        headers: {
          Accept: "application/json",
          "X-CSRFToken": this.csrfToken(),
        },
        body,
      });
    } catch {
      return this.retryLater(navigator.onLine ? "Not saved – retrying" : "Offline – kept in this tab");
    }
    const data = await response.json().catch(() => ({}));
    if (response.status === 200) return this.saved(data, answers);
    if (response.status === 409) return this.showConflict(data);
    // 422: an answer was refused; 413: more than the service accepts. Retrying sends the
    // same again, so say why and keep the draft until the person changes it.
    if (response.status === 422 || response.status === 413) {
      const errors = data.errors || {};
      this.failing = true;
      this.refused = JSON.stringify(answers);
      this.keepDraft();
      this.showErrors(errors);
      const messages = Object.values(errors);
      const [words, href] = this.firstRefused(errors);
      this.say(`Not saved: ${messages[0] || "check your answers"}. What you typed is kept in this tab.`, "problem",
        ...(words ? [[messages[0], href]] : []));
      return undefined;
    }
    if (response.status === 401) {
      return this.retryLater("Not saved – you have been signed out. Sign in again in a new tab; what you typed is kept here and will be saved then.",
        undefined, ["Sign in again in a new tab", this.form.dataset.signInUrl, true]);
    }
    if (response.status === 400 && (await this.refreshToken())) return this.retryLater("Not saved – retrying", 0);
    return this.retryLater("Not saved – retrying");
  }

  saved(data, answers) {
    // A save counts as activity: the session-timeout warning moves its clock on.
    document.dispatchEvent(new CustomEvent("app:activity"));
    this.version = data.version;
    this.versionInput.value = String(data.version);
    // Refused answers kept their stored value: they stay unsaved (dirty) in this tab.
    const errors = data.errors || {};
    const kept = Object.fromEntries(Object.entries(answers).filter(([name]) => !(fieldIdOf(name) in errors)));
    this.acknowledged = JSON.stringify(kept);
    this.refused = Object.keys(errors).length ? JSON.stringify(answers) : null;
    this.showErrors(errors);
    this.retryDelay = FIRST_RETRY_MS;
    this.failing = false;
    this.restored = false;
    const time = new Date(data.saved_at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    if (this.pending) {
      this.keepDraft();
      this.say(`Saved at ${time}. Saving your latest changes…`);
      this.queued = true;
    } else if (this.refused) {
      this.keepDraft();
      const count = Object.keys(errors).length;
      const [words, href] = this.firstRefused(errors);
      this.say(count === 1
        ? `Your other answers were saved at ${time}. Your answer to “${words}” was not saved: ${Object.values(errors)[0]}. What you typed there is kept in this tab.`
        : `Your other answers were saved at ${time}. ${count} answers were not saved: see the messages at those questions, starting with “${words}”. What you typed is kept in this tab.`,
      "problem", [words, href]);
    } else {
      sessionStorage.removeItem(this.draftKey);
      this.say(`Saved at ${time}`, "saved");
    }
  }

  showErrors(errors) {
    for (const wrapper of this.fields) showFieldError(wrapper, errors[wrapper.dataset.fieldId]);
  }

  firstRefused(errors) {
    // [the question's words, a link to its first input]: the first refused field in page order.
    const wrapper = this.fields.find((w) => w.dataset.fieldId in errors);
    if (!wrapper) return [null, null];
    const input = wrapper.querySelector("textarea, input:not([type=hidden]), select");
    return [fieldLabel(wrapper), `#${input ? input.id : wrapper.id}`];
  }

  retryLater(message, delay = this.retryDelay, link = null) {
    this.keepDraft();
    this.failing = true;
    this.say(this.restoredNote(message), "problem", ...(link ? [link] : []));
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.saveNow();
    }, delay);
  }

  csrfToken() {
    return this.form.querySelector('input[name="csrf_token"]')?.value ?? "";
  }

  async refreshToken() {
    // After signing in again elsewhere, this page's token belongs to the old session.
    try {
      const response = await fetch(this.form.dataset.tokenUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return false;
      const { csrf_token: token } = await response.json();
      if (!token || token === this.csrfToken()) return false;
      this.form.querySelector('input[name="csrf_token"]').value = token;
      return true;
    } catch {
      return false;
    }
  }

  showConflict(data) {
    if (data.same) {
      // The "other" copy is what this tab already holds (a save sent as the page was
      // left, say, after which the draft was restored): nothing to choose between.
      this.failing = false;
      this.resolve(data.version);
      return this.saved(data, this.answers());
    }
    this.conflict = data;
    this.failing = false;
    this.restored = false;
    this.keepDraft();
    const when = data.saved_at
      ? ` at ${new Date(data.saved_at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}`
      : "";
    this.conflictPanel.querySelector("[data-conflict-time]").textContent = when;
    this.conflictPanel.hidden = false;
    this.say("Conflict – another tab or device saved newer answers. Your answers are still on this page. Choose which version to keep.", "problem");
  }

  resolve(version) {
    this.conflict = null;
    this.conflictPanel.hidden = true;
    this.version = version;
    this.versionInput.value = String(version);
  }

  returnFocus() {
    // The button just pressed is now hidden: put focus back in the answers rather than
    // letting it fall to the top of the page. Called last, once the page holds the
    // chosen answers, because the focusout this causes can start a save.
    const field = this.lastField?.isConnected ? this.lastField
      : this.form.querySelector("[data-field-id] input:not([type=hidden]), [data-field-id] select, [data-field-id] textarea");
    field?.focus();
  }

  keepMine() {
    const { version } = this.conflict;
    this.resolve(version);
    this.acknowledged = "";
    this.saveNow();
    this.returnFocus();
  }

  takeTheirs() {
    const { version, form } = this.conflict;
    this.resolve(version);
    for (const wrapper of this.fields) fill(wrapper, form);
    this.acknowledged = JSON.stringify(this.answers());
    sessionStorage.removeItem(this.draftKey);
    this.say("Showing the other answers. Yours were kept as an earlier version of this step.");
    this.returnFocus();
  }

  beforeSubmit(event) {
    // A save still on its way would make this post look stale: let it land first,
    // then post with the version it produced.
    if (this.inFlight) {
      event.preventDefault();
      const submitter = event.submitter;
      this.inFlight.then(() => this.form.requestSubmit(submitter));
      return;
    }
    clearTimeout(this.idleTimer);
    clearTimeout(this.retryTimer);
    this.submitting = true;
    sessionStorage.removeItem(this.draftKey);
  }
}

const form = document.querySelector("form[data-autosave-url]");
if (form) new Autosaver(form).start();
