// Shows a question on the coaching application only to those who answer it: the training
// number to doctors and dentists past foundation training, the workforce scheme to doctors
// on a scheme. Each wrapper names the groups it is for (data-shown-for-groups) and the
// stages it is not for (data-hidden-for-stages). Without JavaScript every question stays
// visible, with a hint saying who answers it; a question with an error (data-keep-shown)
// is never hidden, so the person can always see and correct it.
for (const form of document.querySelectorAll("form")) {
  const wrappers = form.querySelectorAll("[data-shown-for-groups]");
  if (!wrappers.length) continue;
  const stage = form.querySelector('select[name="stage"]');

  function update() {
    const group = form.querySelector('input[name="professional_group"]:checked')?.value ?? "";
    for (const wrapper of wrappers) {
      const groups = wrapper.dataset.shownForGroups.split(" ");
      const stages = (wrapper.dataset.hiddenForStages ?? "").split(" ").filter(Boolean);
      const wanted = groups.includes(group) && !stages.includes(stage?.value ?? "");
      wrapper.hidden = !wanted && !("keepShown" in wrapper.dataset);
    }
  }

  form.addEventListener("change", (event) => {
    if (event.target.name === "professional_group" || event.target.name === "stage") update();
  });
  update();
}
