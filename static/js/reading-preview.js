// Live preview on /account/reading: the sample paragraph takes each choice as it is
// made. Saving is still the form's job; without JavaScript the preview shows the
// saved choice and the page works the same.
const form = document.querySelector("[data-reading-form]");
const preview = document.getElementById("reading-preview");

if (form && preview) {
  const settings = ["text_size", "line_spacing", "letter_spacing", "typeface", "colours"];
  form.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !settings.includes(input.name)) {
      return;
    }
    preview.setAttribute(`data-reading-${input.name.replace("_", "-")}`, input.value);
  });
}
