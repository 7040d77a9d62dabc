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
