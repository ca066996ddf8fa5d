// Warns before the session ends (WCAG 2.2.1 Timing adjustable), for signed-in pages.
//
// The page says how many seconds its session had left when it was sent
// (<meta name="app-session">). Two minutes before the end a modal dialog says so, with
// "Stay signed in" (one POST to the extend endpoint, which answers the new time left)
// and "Sign out". When the time runs out the server is asked; if the session has
// ended the dialog says so and links to sign in again. Worksheet drafts not yet saved
// stay in this tab's sessionStorage (autosave.js) and are saved after signing in.
//
// Tabs of the same site tell each other when the session was extended; a save in the
// background (autosave.js, draft-save.js) sends "app:activity", which counts too.

const TOUCH_EVERY_MS = 60000; // the server records activity at most once a minute

function spoken(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

class SessionTimeout {
  constructor(meta, dialog) {
    this.meta = meta;
    this.dialog = dialog;
    this.warnMs = Number(meta.dataset.warnSeconds) * 1000;
    this.idleMs = Number(meta.dataset.idleSeconds) * 1000;
    const now = Date.now();
    this.deadline = now + Number(meta.content) * 1000;
    this.absoluteDeadline = now + Number(meta.dataset.absoluteSecondsLeft) * 1000;
    this.timer = null;
    this.ticker = null;
    this.ended = false;
    this.lastAnnounced = null;
    this.returnFocusTo = null;
    this.channel = "BroadcastChannel" in window ? new BroadcastChannel("app-session") : null;
    this.part = (name) => dialog.querySelector(`[data-${name}]`);
  }

  start() {
    this.part("stay-signed-in").addEventListener("click", () => this.stay());
    this.part("close-warning").addEventListener("click", () => this.close());
    this.part("close-ended").addEventListener("click", () => this.close());
    // Escape while warned means "stay"; on the signed-out message it just closes.
    this.dialog.addEventListener("cancel", (event) => {
      if (this.ended) return;
      event.preventDefault();
      if (this.absolute()) this.close();
      else this.stay();
    });
    this.channel?.addEventListener("message", (event) => this.adopt(Number(event.data?.deadline)));
    document.addEventListener("app:activity", () => {
      // Conservative: the server may have recorded this activity up to a minute ago.
      this.adopt(Math.min(Date.now() + this.idleMs - TOUCH_EVERY_MS, this.absoluteDeadline));
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.check();
    });
    this.publish(false);
    this.schedule();
  }

  absolute() {
    return this.absoluteDeadline <= this.deadline + 1000;
  }

  publish(tellOtherTabs = true) {
    this.meta.dataset.expiresAt = String(this.deadline);
    if (tellOtherTabs) this.channel?.postMessage({ deadline: this.deadline });
  }

  adopt(deadline) {
    if (!Number.isFinite(deadline) || deadline <= this.deadline || this.ended) return;
    this.deadline = Math.min(deadline, this.absoluteDeadline);
    this.publish(false);
    if (this.dialog.open && Date.now() < this.deadline - this.warnMs) this.close();
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    const delay = this.deadline - this.warnMs - Date.now();
    if (delay <= 0) this.check();
    else this.timer = setTimeout(() => this.check(), delay);
  }

  check() {
    if (this.ended) return;
    const left = this.deadline - Date.now();
    if (left <= 0) this.expire();
    else if (left <= this.warnMs) this.warn();
    else this.schedule();
  }

  warn() {
    if (!this.dialog.open) {
      const absolute = this.absolute();
      this.part("warning-idle").hidden = absolute;
      this.part("warning-absolute").hidden = !absolute;
      this.part("stay-signed-in").hidden = absolute;
      this.part("close-warning").hidden = !absolute;
      this.part("session-warning").hidden = false;
      this.part("session-ended").hidden = true;
      this.dialog.setAttribute("aria-labelledby", "session-timeout-heading");
      this.dialog.setAttribute("aria-describedby", "session-timeout-message");
      this.returnFocusTo = document.activeElement;
      this.lastAnnounced = null;
      this.tick();
      this.dialog.showModal();
      this.part(absolute ? "close-warning" : "stay-signed-in").focus();
    }
    clearInterval(this.ticker);
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  tick() {
    const left = this.deadline - Date.now();
    if (left <= 0) {
      clearInterval(this.ticker);
      this.expire();
      return;
    }
    for (const el of this.dialog.querySelectorAll("[data-time-left]")) el.textContent = spoken(left);
    // Announce each new minute, then at 30 and 10 seconds: often enough to act on,
    // rarely enough not to drown out the page.
    // (The first count is read with the dialog itself, as its description.)
    const seconds = Math.ceil(left / 1000);
    let mark = 10;
    if (seconds > 60) mark = Math.ceil(seconds / 60) * 60;
    else if (seconds > 30) mark = 60;
    else if (seconds > 10) mark = 30;
    if (this.lastAnnounced !== null && mark !== this.lastAnnounced) {
      this.part("time-announcement").textContent = `You will be signed out in ${spoken(mark * 1000)}`;
    }
    this.lastAnnounced = mark;
  }

  async expire() {
    // The server decides: another tab may have kept the session going.
    let secondsLeft = 0;
    try {
      const response = await fetch(this.meta.dataset.statusUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.ok) secondsLeft = Number((await response.json()).seconds_left) || 0;
    } catch {
      secondsLeft = 0; // unreachable: by our clock the time is up
    }
    if (secondsLeft > 0) {
      this.deadline = Math.min(Date.now() + secondsLeft * 1000, this.absoluteDeadline);
      this.publish(false);
      if (this.dialog.open && secondsLeft * 1000 > this.warnMs) this.close();
      this.schedule();
      return;
    }
    this.showEnded();
  }

  showEnded() {
    this.ended = true;
    clearInterval(this.ticker);
    clearTimeout(this.timer);
    const absolute = this.absolute();
    this.part("session-warning").hidden = true;
    this.part("session-ended").hidden = false;
    this.part("ended-idle").hidden = absolute;
    this.part("ended-absolute").hidden = !absolute;
    this.part("draft-kept").hidden = !document.querySelector("form[data-autosave-url]");
    this.dialog.setAttribute("aria-labelledby", "session-ended-heading");
    this.dialog.setAttribute("aria-describedby", "session-ended-message");
    if (!this.dialog.open) {
      this.returnFocusTo = document.activeElement;
      this.dialog.showModal();
    }
    this.part("sign-in-again").focus();
  }

  async stay() {
    const button = this.part("stay-signed-in");
    if (button.disabled) return;
    button.disabled = true;
    try {
      const response = await fetch(this.meta.dataset.extendUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-CSRFToken": document.querySelector('#session-timeout-sign-out input[name="csrf_token"]')?.value ?? "",
        },
      });
      if (response.status === 401) {
        this.showEnded();
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      const { seconds_left: secondsLeft } = await response.json();
      this.deadline = Math.min(Date.now() + Number(secondsLeft) * 1000, this.absoluteDeadline);
      this.publish();
      this.close();
      this.schedule();
    } catch {
      this.part("time-announcement").textContent = "The service could not be reached. Try again.";
    } finally {
      button.disabled = false;
    }
  }

  close() {
    clearInterval(this.ticker);
    if (this.dialog.open) this.dialog.close();
    if (this.returnFocusTo?.isConnected) this.returnFocusTo.focus();
    this.returnFocusTo = null;
  }
}

const meta = document.querySelector('meta[name="app-session"]');
const dialog = document.querySelector("[data-session-dialog]");
if (meta && dialog && typeof dialog.showModal === "function") new SessionTimeout(meta, dialog).start();
