// I18N-1 [mock], progressive enhancement: a click on NL | FR | DE sends the page's form with
// action "language", so that entries typed but not yet sent are kept. The server saves them
// without validating, switches the language and shows the same step again. Without JavaScript
// the links still switch the language (a plain GET), but unsent entries are then lost.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-lang]");
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var form = document.querySelector("form[data-keeps-entries]");
    if (!form) {
      return;
    }
    event.preventDefault();
    var add = function (name, value) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    };
    add("action", "language");
    add("lang", link.getAttribute("data-lang"));
    form.submit();  // submit() sends no button value: "language" is the only action
  });
})();
