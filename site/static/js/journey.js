/* Progressive enhancement of the resident's journey; every page works without it.
   The error summary already takes focus through `autofocus`; this makes sure it does where a
   browser ignores `autofocus` on a non-form element, and a link in the summary moves focus to
   its field with the field's question (label or legend) in view, not hidden under the top edge. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  if (document.activeElement !== summary) { summary.focus(); }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) { return; }
    event.preventDefault();
    var question = input.closest("fieldset");
    question = question ? question.querySelector("legend") : document.querySelector("label[for='" + input.id + "']");
    (question || input).scrollIntoView();
    input.focus({ preventScroll: true });
  });
})();
