// Reading a step's answers from its form and putting answers back into it, field type
// by field type: the same shapes the server stores (careers_app/content/fields.py).

export function namesIn(wrapper, id) {
  // Every named input of one field, as [parts after the field id, element].
  const prefix = `${id}--`;
  return [...wrapper.querySelectorAll("input[name], select[name], textarea[name]")]
    .filter((el) => el.name === id || el.name.startsWith(prefix))
    .map((el) => [el.name === id ? [] : el.name.slice(prefix.length).split("--"), el]);
}

function point(text) {
  return text === "" || text == null ? null : Number(text);
}

export const readers = {
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

export function fill(wrapper, id, type, value) {
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
  // Let the character counts and the matrix's labels catch up (these events do not
  // bubble, so they do not count as the person typing).
  wrapper.querySelectorAll(`textarea, [name^="${id}--criterion--"]`)
    .forEach((el) => el.dispatchEvent(new Event("input")));
}

function sortRanking(wrapper) {
  const list = wrapper.querySelector("[data-ranking]");
  if (!list) return;
  const items = [...list.children];
  const position = (li) => Number(li.querySelector("select").value) || 999;
  items.sort((a, b) => position(a) - position(b)).forEach((li) => list.appendChild(li));
}
