// Municipality fields suggest Quebec municipalities as the person types: the server answers with
// <option> elements for the field's <datalist>. Without JavaScript the field still accepts a name.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-municipality-search]").forEach(function (input) {
    var listId = input.getAttribute("list");
    if (!document.getElementById(listId)) {
      var list = document.createElement("datalist");
      list.id = listId;
      input.insertAdjacentElement("afterend", list);
    }
    if (!window.htmx) return;
    input.setAttribute("hx-get", input.dataset.municipalitySearch);
    input.setAttribute("hx-trigger", "input changed delay:250ms");
    input.setAttribute("hx-target", "#" + listId);
    input.setAttribute("hx-vals", "js:{q: document.getElementById('" + input.id + "').value}");
    htmx.process(input);
  });
});
