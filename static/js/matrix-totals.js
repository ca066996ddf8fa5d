// Keeps the totals under a decision matrix current while the person rates, before
// anything is saved. Without JavaScript the page shows the totals of the answers last
// saved (careers_app/worksheets/matrix_totals.py); this does the same sums the same way:
// a factor or option with a blank name is left out with its ratings, a blank rating
// counts 0, and options with equal totals keep the order they were entered in. The
// sentences come from the page (data-say-*), so both say exactly the same thing.
const ANNOUNCE_AFTER_MS = 1200;

const point = (text) => (/^[1-5]$/.test(text) ? Number(text) : null);

function readMatrix(wrapper, id) {
  const value = (name) => wrapper.querySelector(`[name="${id}--${name}"]`)?.value ?? "";
  const count = (kind) => wrapper.querySelectorAll(`[name^="${id}--${kind}--"]`).length;
  const criteria = [];
  for (let j = 0; j < count("criterion"); j += 1) {
    if (value(`criterion--${j}`).trim()) criteria.push({ j, weight: point(value(`weight--${j}`)) });
  }
  const options = [];
  for (let i = 0; i < count("option"); i += 1) {
    const name = value(`option--${i}`);
    if (!name.trim()) continue;
    const ratings = criteria.map(({ j }) => point(value(`score--${i}--${j}`)));
    const total = criteria.reduce((sum, { weight }, k) => sum + (weight ?? 0) * (ratings[k] ?? 0), 0);
    options.push({ name: name.normalize("NFC"), total, ratings });
  }
  const blank = criteria.some(({ weight }) => weight === null)
    || options.some(({ ratings }) => ratings.includes(null));
  // Array.prototype.sort is stable: level options stay in the order they were entered.
  return { results: options.sort((a, b) => b.total - a.total), blank };
}

const names = (list) => (list.length === 1 ? list[0] : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`);

function summary(say, results) {
  if (results.length === 0) return say.sayNoOptions;
  if (results.length === 1) return say.sayOneOption;
  const best = results[0].total;
  if (best === 0) return say.sayNotRated;
  const leaders = results.filter(({ total }) => total === best).map(({ name }) => name);
  // Replacing with functions: a name containing "$&" is inserted as typed.
  if (leaders.length === 1) {
    return say.sayLeader.replace("{option}", () => leaders[0]).replace("{total}", () => String(best));
  }
  return say.sayLevel.replace("{options}", () => names(leaders)).replace("{total}", () => String(best));
}

const SVG = "http://www.w3.org/2000/svg";

// The bar beside a total, as templates/worksheets/_matrix_totals.html draws it.
function bar(total, highest) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "app-matrix-bar");
  svg.setAttribute("viewBox", "0 0 100 12");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("width", "100%");
  svg.setAttribute("height", "12");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const rect = document.createElementNS(SVG, "rect");
  rect.setAttribute("width", String(highest > 0 ? Math.round((1000 * total) / highest) / 10 : 0));
  rect.setAttribute("height", "12");
  svg.append(rect);
  return svg;
}

function row(result, highest) {
  const tr = document.createElement("tr");
  tr.className = "nhsuk-table__row";
  const name = document.createElement("td");
  name.className = "nhsuk-table__cell app-break";
  name.textContent = result.name;
  const total = document.createElement("td");
  total.className = "nhsuk-table__cell nhsuk-table__cell--numeric";
  total.textContent = String(result.total);
  const chart = document.createElement("td");
  chart.className = "nhsuk-table__cell app-matrix-bar-cell";
  chart.append(bar(result.total, highest));
  tr.append(name, total, chart);
  return tr;
}

function start(panel) {
  const wrapper = panel.closest("[data-field-type='decision_matrix']");
  if (!wrapper) return;
  const id = wrapper.dataset.fieldId;
  const parts = {
    summary: panel.querySelector("[data-totals-summary] strong"),
    table: panel.querySelector("[data-totals-table]"),
    // The table is drawn by the NHS.UK table macro, which sets no attributes on its body.
    rows: panel.querySelector("[data-totals-table] > tbody"),
    missing: panel.querySelector("[data-totals-missing]"),
    announce: panel.querySelector("[data-totals-announce]"),
  };
  const spokenNow = () => [parts.summary.textContent, parts.missing.hidden ? "" : parts.missing.textContent]
    .join(" ").trim();
  let timer = null;
  let announced = spokenNow(); // what the page said when it loaded needs no announcing

  const update = () => {
    const { results, blank } = readMatrix(wrapper, id);
    const text = summary(panel.dataset, results);
    parts.summary.textContent = text;
    const highest = results.length ? results[0].total : 0;
    parts.rows.replaceChildren(...results.map((result) => row(result, highest)));
    parts.table.hidden = results.length === 0;
    const leaderNamed = results.length > 1 && results[0].total > 0;
    parts.missing.hidden = !(leaderNamed && blank);
    // The table changes at once; a screen reader hears the outcome once the person
    // pauses, and only when it differs from what it last heard.
    clearTimeout(timer);
    timer = setTimeout(() => {
      const spoken = spokenNow();
      if (spoken !== announced) {
        announced = spoken;
        parts.announce.textContent = spoken;
      }
    }, ANNOUNCE_AFTER_MS);
  };
  // Capturing: a page filling in other answers (autosave.js taking another tab's copy)
  // sends events that do not bubble.
  wrapper.addEventListener("input", update, true);
  wrapper.addEventListener("change", update, true);
}

document.querySelectorAll("[data-matrix-totals]").forEach(start);
