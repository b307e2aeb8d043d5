// Choosing an answer template copies its text into the public answer, to edit before saving.
// Without JavaScript the "Use template" button posts the form and the server fills the text.
(function () {
  function connect(chooser) {
    var select = chooser.querySelector("select");
    var form = chooser.closest("form");
    var answer = form && form.querySelector("textarea[name=public_answer]");
    if (!select || !answer) return;
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var text = option && option.getAttribute("data-text");
      if (text) {
        answer.value = text;
        answer.dispatchEvent(new Event("input", { bubbles: true }));
        answer.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }
  function init() {
    document.querySelectorAll("[data-answer-template]").forEach(connect);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
