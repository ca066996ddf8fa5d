// Autosave for step pages: progressive enhancement, the form works without it.
//
// Saves the step's answers to the autosave endpoint 2 s after typing stops, at least
// every 30 s while typing goes on, when a field loses focus and when the page is
// hidden; one request at a time. Anything not yet acknowledged by the server is kept
// in sessionStorage for this tab, retried with back-off and restored after a reload.
// Contract: version in, 200 {version, saved_at} only after the commit, 409 with the
// stored copy when another tab or device saved first.

const IDLE_DELAY_MS = 2000;
const MAX_UNSAVED_MS = 30000;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;

function namesIn(wrapper, id) {
  // Every named input of one field, as [parts after the field id, element].
  const prefix = `${id}--`;
  return [...wrapper.querySelectorAll("input[name], select[name], textarea[name]")]
    .filter((el) => el.name === id || el.name.startsWith(prefix))
    .map((el) => [el.name === id ? [] : el.name.slice(prefix.length).split("--"), el]);
}

function valueOf(el) {
  if (el.type === "radio" || el.type === "checkbox") return el.checked ? el.value : null;
  return el.value;
}

function point(text) {
  return text === "" || text == null ? null : Number(text);
}

const readers = {
  short_text: (w, id) => w.querySelector(`[name="${id}"]`).value,
  long_text: (w, id) => w.querySelector(`[name="${id}"]`).value,
  choice: (w, id) => w.querySelector(`[name="${id}"]:checked`)?.value ?? "",
  multi_choice: (w, id) => ({
    selected: [...w.querySelectorAll(`[name="${id}"]:checked`)].map((el) => el.value),
    other: w.querySelector(`[name="${id}--other"]`)?.value ?? "",
  }),
  scale: (w, id) => {
    const ratings = {};
    for (const [parts, el] of namesIn(w, id)) {
      if (el.checked) ratings[parts[0]] = Number(el.value);
    }
    return ratings;
  },
  ranking: (w, id) => {
    const positions = namesIn(w, id).map(([parts, el]) => [parts[0], el.value]);
    if (positions.every(([, number]) => number === "")) return [];
    const numbers = new Set(positions.map(([, number]) => number));
    // An unfinished numbering cannot be saved yet; leave the stored order alone.
    if (positions.some(([, number]) => number === "") || numbers.size !== positions.length) {
      return undefined;
    }
    return positions.sort((a, b) => Number(a[1]) - Number(b[1])).map(([value]) => value);
  },
  list: readRows,
  action_table: readRows,
  date: (w, id) => {
    const parts = {};
    for (const [path, el] of namesIn(w, id)) parts[path[0]] = el.value;
    return parts;
  },
  decision_matrix: (w, id) => {
    const matrix = { options: [], criteria: [], scores: [] };
    for (const [path, el] of namesIn(w, id)) {
      const [kind, first, second] = path;
      const i = Number(first);
      if (kind === "option") matrix.options[i] = el.value;
      if (kind === "criterion") matrix.criteria[i] = { ...matrix.criteria[i], label: el.value };
      if (kind === "weight") matrix.criteria[i] = { ...matrix.criteria[i], weight: point(el.value) };
      if (kind === "score") {
        matrix.scores[i] = matrix.scores[i] || [];
        matrix.scores[i][Number(second)] = point(el.value);
      }
    }
    return matrix;
  },
};

function readRows(wrapper, id) {
  const rows = [];
  for (const [path, el] of namesIn(wrapper, id)) {
    if (!/^\d+$/.test(path[0] ?? "")) continue; // the hidden row counter
    const row = (rows[Number(path[0])] = rows[Number(path[0])] || {});
    if (path.length === 3) row[path[1]] = { ...row[path[1]], [path[2]]: el.value };
    else row[path[1]] = el.value;
  }
  return rows.filter(Boolean);
}

function fill(wrapper, id, type, value) {
  // Put an answer back into the page: after a reload, or when taking the other copy.
  const set = (name, text) => {
    const el = wrapper.querySelector(`[name="${name}"]`);
    if (el) el.value = text ?? "";
  };
  if (type === "short_text" || type === "long_text") set(id, value);
  else if (type === "choice" || type === "multi_choice") {
    const chosen = type === "choice" ? [value] : value?.selected ?? [];
    for (const el of wrapper.querySelectorAll(`[name="${id}"]`)) el.checked = chosen.includes(el.value);
    if (type === "multi_choice") set(`${id}--other`, value?.other);
  } else if (type === "scale") {
    for (const [parts, el] of namesIn(wrapper, id)) el.checked = String(value?.[parts[0]]) === el.value;
  } else if (type === "ranking") {
    const order = Array.isArray(value) ? value : [];
    for (const [parts, el] of namesIn(wrapper, id)) {
      const at = order.indexOf(parts[0]);
      el.value = at === -1 ? "" : String(at + 1);
    }
    sortRanking(wrapper);
  } else if (type === "list" || type === "action_table") {
    for (const [path, el] of namesIn(wrapper, id)) {
      if (!/^\d+$/.test(path[0] ?? "")) continue;
      const row = (value || [])[Number(path[0])] || {};
      el.value = (path.length === 3 ? row[path[1]]?.[path[2]] : row[path[1]]) ?? "";
    }
  } else if (type === "date") {
    for (const [path, el] of namesIn(wrapper, id)) el.value = value?.[path[0]] ?? "";
  } else if (type === "decision_matrix") {
    for (const [path, el] of namesIn(wrapper, id)) {
      const [kind, first, second] = path;
      const i = Number(first);
      const criterion = value?.criteria?.[i];
      const found = {
        option: value?.options?.[i],
        criterion: criterion?.label,
        weight: criterion?.weight,
        score: value?.scores?.[i]?.[Number(second)],
      }[kind];
      el.value = found == null ? "" : String(found);
    }
  }
  wrapper.querySelectorAll("textarea").forEach((el) => el.dispatchEvent(new Event("input")));
}

function sortRanking(wrapper) {
  const list = wrapper.querySelector("[data-ranking]");
  if (!list) return;
  const items = [...list.children];
  const position = (li) => Number(li.querySelector("select").value) || 999;
  items.sort((a, b) => position(a) - position(b)).forEach((li) => list.appendChild(li));
}

function enhanceRanking(wrapper, onChange) {
  // Move up / Move down buttons: the numbered selects stay, and follow the order.
  const list = wrapper.querySelector("[data-ranking]");
  if (!list) return;
  const renumber = () => {
    [...list.children].forEach((li, index) => {
      li.querySelector("select").value = String(index + 1);
    });
    onChange();
  };
  for (const li of list.children) {
    const label = li.querySelector("label").textContent.trim();
    const group = document.createElement("span");
    group.className = "app-ranking__moves";
    for (const [direction, text] of [["up", "Move up"], ["down", "Move down"]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small app-ranking__move";
      button.textContent = text;
      button.setAttribute("aria-label", `${text}: ${label}`);
      button.addEventListener("click", () => {
        const sibling = direction === "up" ? li.previousElementSibling : li.nextElementSibling;
        if (!sibling) return;
        if (direction === "up") list.insertBefore(li, sibling);
        else list.insertBefore(sibling, li);
        button.focus();
        renumber();
      });
      group.appendChild(button);
    }
    li.appendChild(group);
  }
}

class Autosaver {
  constructor(form) {
    this.form = form;
    this.url = form.dataset.autosaveUrl;
    this.draftKey = form.dataset.draftKey;
    this.versionInput = form.querySelector('input[name="version"]');
    this.version = Number(this.versionInput.value);
    this.status = form.querySelector("[data-save-status]");
    this.conflictPanel = form.querySelector("[data-conflict]");
    this.fields = [...form.querySelectorAll("[data-field-id]")];
    this.sentSnapshot = null;
    this.acknowledged = JSON.stringify(this.answers());
    this.inFlight = null;
    this.idleTimer = null;
    this.retryTimer = null;
    this.retryDelay = FIRST_RETRY_MS;
    this.firstUnsavedAt = null;
    this.conflict = null;
    this.submitting = false;
  }

  answers() {
    const answers = {};
    for (const wrapper of this.fields) {
      const { fieldId: id, fieldType: type } = wrapper.dataset;
      const value = readers[type]?.(wrapper, id);
      if (value !== undefined) answers[id] = value;
    }
    return answers;
  }

  get dirty() {
    return JSON.stringify(this.answers()) !== this.acknowledged;
  }

  say(text) {
    this.status.textContent = text;
  }

  start() {
    for (const wrapper of this.fields) {
      if (wrapper.dataset.fieldType === "ranking") enhanceRanking(wrapper, () => this.changed());
    }
    this.form.addEventListener("input", () => this.changed());
    this.form.addEventListener("change", () => this.changed());
    this.form.addEventListener("focusout", () => this.dirty && this.saveNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden" && this.dirty) this.saveNow({ keepalive: true });
    });
    window.addEventListener("online", () => this.dirty && this.saveNow());
    window.addEventListener("offline", () => this.dirty && this.say("Offline – kept in this tab"));
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
    if (!draft || typeof draft.answers !== "object") return;
    for (const wrapper of this.fields) {
      const { fieldId: id, fieldType: type } = wrapper.dataset;
      if (id in draft.answers) fill(wrapper, id, type, draft.answers[id]);
    }
    // Saved against the version the draft was written on: if another tab has saved
    // since, the server answers 409 and the person chooses, instead of overwriting.
    this.version = Number(draft.version) || 0;
    this.say("Restored what you typed in this tab before the page was reloaded. Saving…");
    this.saveNow();
  }

  keepDraft() {
    try {
      sessionStorage.setItem(this.draftKey, JSON.stringify({ version: this.version, answers: this.answers() }));
    } catch {
      // Storage full or blocked: the text is still on the page and is still retried.
    }
  }

  changed() {
    if (!this.dirty) return;
    this.keepDraft();
    if (this.conflict) return; // wait for the person's choice
    this.firstUnsavedAt = this.firstUnsavedAt ?? Date.now();
    clearTimeout(this.idleTimer);
    if (Date.now() - this.firstUnsavedAt >= MAX_UNSAVED_MS) this.saveNow();
    else this.idleTimer = setTimeout(() => this.saveNow(), IDLE_DELAY_MS);
  }

  saveNow(options = {}) {
    clearTimeout(this.idleTimer);
    clearTimeout(this.retryTimer);
    if (this.conflict) return this.inFlight;
    if (this.inFlight) {
      this.queued = true;
      return this.inFlight;
    }
    this.inFlight = this.send(options).finally(() => {
      this.inFlight = null;
      if (this.queued) {
        this.queued = false;
        if (this.dirty && !this.retryTimer) this.saveNow();
      }
    });
    return this.inFlight;
  }

  async send({ keepalive = false } = {}) {
    const answers = this.answers();
    const body = JSON.stringify({ version: this.version, answers });
    this.say("Saving…");
    let response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        credentials: "same-origin",
        keepalive,
        headers: {
          "Content-Type": "application/json",
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
    if (response.status === 422) {
      const messages = Object.values(data.errors || {});
      this.say(`Not saved: ${messages[0] || "check your answers"}. What you typed is kept in this tab.`);
      return undefined;
    }
    if (response.status === 401) {
      return this.retryLater("Not saved – you have been signed out. Sign in again in a new tab; what you typed is kept here and will be saved then.");
    }
    if (response.status === 400 && (await this.refreshToken())) return this.retryLater("Not saved – retrying", 0);
    return this.retryLater("Not saved – retrying");
  }

  saved(data, answers) {
    this.version = data.version;
    this.versionInput.value = String(data.version);
    this.acknowledged = JSON.stringify(answers);
    this.retryDelay = FIRST_RETRY_MS;
    this.firstUnsavedAt = null;
    const time = new Date(data.saved_at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    if (this.dirty) {
      this.keepDraft();
      this.say(`Saved at ${time}. Saving your latest changes…`);
      this.queued = true;
    } else {
      sessionStorage.removeItem(this.draftKey);
      this.say(`Saved at ${time}`);
    }
  }

  retryLater(message, delay = this.retryDelay) {
    this.keepDraft();
    this.say(message);
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
    this.conflict = data;
    this.keepDraft();
    const when = data.saved_at
      ? ` at ${new Date(data.saved_at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}`
      : "";
    this.conflictPanel.querySelector("[data-conflict-time]").textContent = when;
    this.conflictPanel.hidden = false;
    this.say("Conflict – another tab or device saved newer answers. Your answers are still on this page. Choose which version to keep.");
  }

  resolve(version) {
    this.conflict = null;
    this.conflictPanel.hidden = true;
    this.version = version;
    this.versionInput.value = String(version);
  }

  keepMine() {
    const { version } = this.conflict;
    this.resolve(version);
    this.acknowledged = "";
    this.saveNow();
  }

  takeTheirs() {
    const { version, answers } = this.conflict;
    this.resolve(version);
    for (const wrapper of this.fields) {
      const { fieldId: id, fieldType: type } = wrapper.dataset;
      fill(wrapper, id, type, answers?.[id]);
    }
    this.acknowledged = JSON.stringify(this.answers());
    sessionStorage.removeItem(this.draftKey);
    this.say("Showing the other answers. Yours were kept as an earlier version of this step.");
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
