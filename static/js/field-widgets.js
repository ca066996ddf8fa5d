// What JavaScript adds to two kinds of field: Move up / Move down buttons for a ranking,
// and a decision matrix's rating labels that follow the factor names as they are typed.

import { namesIn } from "./step-fields.js";

export function enhanceRanking(wrapper, onChange) {
  // Move up / Move down buttons: the numbered selects stay, and follow the order.
  const list = wrapper.querySelector("[data-ranking]");
  if (!list) return;
  // Moving a value changes nothing the focused button says: announce where it went.
  const announcer = document.createElement("p");
  announcer.className = "nhsuk-u-visually-hidden";
  announcer.setAttribute("aria-live", "polite");
  announcer.dataset.rankingStatus = "";
  list.after(announcer);
  const renumber = () => {
    [...list.children].forEach((li, index) => {
      li.querySelector("select").value = String(index + 1);
    });
    onChange();
  };
  // Numbers put back from elsewhere (a reload, the other copy after a conflict): show
  // the values in that order, unnumbered ones last.
  wrapper.addEventListener("app:filled", () => {
    const position = (li) => Number(li.querySelector("select").value) || 999;
    [...list.children].sort((a, b) => position(a) - position(b)).forEach((li) => list.appendChild(li));
  });
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
        if (!sibling) {
          announcer.textContent = `${label} is already ${direction === "up" ? "first" : "last"}`;
          return;
        }
        if (direction === "up") list.insertBefore(li, sibling);
        else list.insertBefore(sibling, li);
        button.focus();
        renumber();
        const position = [...list.children].indexOf(li) + 1;
        announcer.textContent = `${label} is now number ${position} of ${list.children.length}`;
      });
      group.appendChild(button);
    }
    li.appendChild(group);
  }
}

export function enhanceMatrix(wrapper, id) {
  // Each likelihood select's label ends with the name of its factor as the page was
  // rendered ("Factor 3" while a factor has no name). Keep that ending in step with
  // the name as it is typed, so the select is never labelled with a name now gone.
  const unnamed = (j) => `Factor ${Number(j) + 1}`;
  const criteria = new Map();
  const labels = [];
  for (const [path, el] of namesIn(wrapper, id)) {
    if (path[0] === "criterion") criteria.set(path[1], el);
  }
  for (const [path, el] of namesIn(wrapper, id)) {
    const label = el.labels?.[0];
    const criterion = criteria.get(path[2]);
    if (path[0] !== "score" || !label || !criterion) continue;
    const text = label.textContent.trim();
    const ending = [criterion.value.trim(), unnamed(path[2]), unnamed(path[2]).toLowerCase()]
      .find((name) => name && text.endsWith(name));
    if (ending) labels.push({ j: path[2], label, before: text.slice(0, -ending.length) });
  }
  for (const [j, criterion] of criteria) {
    criterion.addEventListener("input", () => {
      const name = criterion.value.trim() || unnamed(j);
      for (const item of labels) if (item.j === j) item.label.textContent = item.before + name;
    });
  }
}
