/* kaowu — the little script every staff screen shares (no external assets).
   Under 600 px wide tables become stacked cards: each cell shows its column's header as a label. The label is
   copied once from the table head, so templates need not repeat it (a cell's own data-label wins). */
(function () {
  function label(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) return;
    var names = [];
    Array.prototype.forEach.call(head.rows[head.rows.length - 1].cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) names.push(th.textContent.trim());
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && names[col]) cell.setAttribute("data-label", names[col]);
          col += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("stack");
  }
  function all(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("table:not(.no-stack)"), label);
  }
  document.addEventListener("DOMContentLoaded", function () { all(document); });
  document.addEventListener("htmx:afterSwap", function (e) { all(e.target); });
})();

/* The seat pickers of the move and swap forms (arrangement.forms.SeatPicker): the drop-down holds only the chosen
   seat; typing a name or the last digits of an ID number asks the session's seat search for at most 20 matches. */
(function () {
  function bind(input) {
    var select = document.getElementById(input.getAttribute("data-for"));
    if (!select) return;
    var timer = null, asked = "", emptyLabel = select.options.length ? select.options[0].textContent : "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (!q || q === asked) return;
        asked = q;
        fetch(input.getAttribute("data-seat-search") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            if (q !== asked) return;
            select.innerHTML = "";
            select.appendChild(new Option(data.results.length ? emptyLabel : "没有找到匹配的考生", ""));
            data.results.forEach(function (s) { select.appendChild(new Option(s.label, s.id)); });
            if (data.results.length) select.selectedIndex = 1;
          });
      }, 250);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-seat-search]"), bind);
  });
})();
