// A step's answers as its form holds them, and back: generic for every field type. The
// server reads the inputs by name (careers_app/worksheets/formdata.py) and writes stored
// answers back in the same form (to_form), so nothing here knows a field type's shape.
// Entries are { input name: [values] }, in page order: one value for a text box, select
// or radio group, one per ticked box for checkboxes.

export function fieldIdOf(name) {
  // Input names are the field id, then "--" and the part; ids never contain "--".
  return name.split("--")[0];
}

export function namesIn(wrapper, id) {
  // Every named input of one field, as [parts after the field id, element].
  const prefix = `${id}--`;
  return [...wrapper.querySelectorAll("input[name], select[name], textarea[name]")]
    .filter((el) => el.name === id || el.name.startsWith(prefix))
    .map((el) => [el.name === id ? [] : el.name.slice(prefix.length).split("--"), el]);
}

export function readEntries(form, fieldIds) {
  // What the form would post for these fields: the browser's own FormData, so unticked
  // boxes and disabled inputs are left out exactly as in a real post.
  const ids = new Set(fieldIds);
  const entries = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== "string" || !ids.has(fieldIdOf(name))) continue;
    (entries[name] = entries[name] || []).push(value);
  }
  return entries;
}

export function toBody(version, entries) {
  const body = new URLSearchParams({ version: String(version) });
  for (const [name, values] of Object.entries(entries)) {
    for (const value of values) body.append(name, value);
  }
  return body;
}

export function fill(wrapper, entries) {
  // Put answers back into one field: after a reload, or when taking the other copy.
  // Inputs with no entry are emptied; hidden inputs (a table's row counter) stay as the
  // page drew them.
  const id = wrapper.dataset.fieldId;
  for (const [, el] of namesIn(wrapper, id)) {
    if (el.type === "hidden") continue;
    const values = entries?.[el.name] ?? [];
    if (el.type === "checkbox" || el.type === "radio") el.checked = values.includes(el.value);
    else el.value = values[0] ?? "";
    // Let character counts, the matrix's labels and totals catch up. This event does
    // not bubble, so it does not count as the person typing.
    if (el.type !== "checkbox" && el.type !== "radio") el.dispatchEvent(new Event("input"));
  }
  // Widgets that arrange a field (a ranking's order) follow the values put back.
  wrapper.dispatchEvent(new CustomEvent("app:filled"));
}
