// "Preparing your PDF": asks the page's data-pdf-status-url how far the PDF has got,
// about once a second, shows it in the progress bar and the status line (a polite live
// region), and goes to data-pdf-download-url once, when the PDF is ready (the file
// downloads and this page stays). A failure, or a session that ended, reloads the page,
// whose server-made text says what happened and what to do. A page that was already
// ready when it was made goes to the download by its own <meta> refresh, with or
// without JavaScript; without JavaScript the waiting page offers a button to check again.
const POLL_MS = 1000;
const OFFLINE_POLL_MS = 3000;

const root = document.querySelector("[data-pdf-status-url]");
if (root) {
  const bar = root.querySelector("progress");
  const line = root.querySelector("[data-pdf-status-text]");
  let finished = false;

  const show = (state) => {
    if (bar) bar.value = state.step;
    if (line && line.textContent !== state.label) line.textContent = state.label;
  };

  const download = () => {
    if (finished) return;
    finished = true;
    window.location.assign(root.dataset.pdfDownloadUrl);
  };

  async function poll() {
    let response;
    try {
      response = await fetch(root.dataset.pdfStatusUrl, {
        credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store",
      });
    } catch {
      window.setTimeout(poll, OFFLINE_POLL_MS);  // offline for a moment: keep asking
      return;
    }
    if (!response.ok) { window.location.reload(); return; }
    const state = await response.json();
    show(state);
    if (state.status === "ready" || state.status === "start") download();
    else if (state.status === "failed") window.location.reload();
    else window.setTimeout(poll, POLL_MS);
  }

  if (root.dataset.pdfStatus !== "ready" && root.dataset.pdfStatus !== "start") {
    window.setTimeout(poll, POLL_MS);
  }
}
