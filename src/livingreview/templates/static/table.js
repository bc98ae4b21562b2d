/* livingreview report: search, sort and pages for a long table (progressive enhancement).
 *
 * Works on a server-rendered <table data-lr-table> inside its .lr-table-scroll wrapper: without this
 * script every row is there and readable. With it, a search box above the table keeps the rows holding
 * every word typed, each column header is a button that sorts the rows (aria-sort says how), and the rows
 * are shown a page at a time (data-lr-page-size, 50 by default) with page controls below. No library,
 * no network, nothing random: the page's bytes are the same every build, and the controls' ids are made
 * from the table's section id. Before printing every row is shown (print.css hides what the PDF leaves out).
 */
(function () {
  "use strict";

  function cellText(row, column) {
    var cell = row.cells[column];
    return cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function enhance(table, number) {
    var body = table.tBodies[0];
    var wrapper = table.closest(".lr-table-scroll") || table;
    var section = table.closest("section");
    var base = (section && section.id ? section.id : "lr-table-" + number);
    var size = parseInt(table.getAttribute("data-lr-page-size"), 10) || 50;
    var noun = table.getAttribute("data-lr-noun") || "rows";
    var rows = Array.prototype.slice.call(body.rows);
    var texts = rows.map(function (row) { return row.textContent.replace(/\s+/g, " ").toLowerCase(); });
    rows.forEach(function (row, i) { row.lrIndex = i; });
    var state = { order: rows.slice(), matching: rows.slice(), page: 0, column: -1, direction: "none" };

    var tools = element("div", { "class": "lr-table-tools", role: "search" });
    var label = element("label", { "for": base + "-search" }, "Search the " + noun + " ");
    var input = element("input", { type: "search", id: base + "-search", autocomplete: "off",
                                   "aria-controls": base + "-rows", "aria-describedby": base + "-status" });
    label.appendChild(input);
    var status = element("p", { "class": "lr-table-status", id: base + "-status", role: "status", "aria-live": "polite" });
    tools.appendChild(label);
    tools.appendChild(status);
    wrapper.parentNode.insertBefore(tools, wrapper);
    body.id = body.id || base + "-rows";

    var pager = element("nav", { "class": "lr-table-pager", "aria-label": "Pages of the " + noun });
    var first = element("button", { type: "button", "aria-controls": body.id }, "First");
    var previous = element("button", { type: "button", "aria-controls": body.id }, "Previous");
    var where = element("span", { "class": "lr-table-page" });
    var next = element("button", { type: "button", "aria-controls": body.id }, "Next");
    var last = element("button", { type: "button", "aria-controls": body.id }, "Last");
    [first, previous, where, next, last].forEach(function (node) { pager.appendChild(node); });
    wrapper.parentNode.insertBefore(pager, wrapper.nextSibling);

    function pages() { return Math.max(1, Math.ceil(state.matching.length / size)); }

    function show() {
      var start = state.page * size, end = start + size;
      var visible = new Set(state.matching.slice(start, end));
      rows.forEach(function (row) { row.hidden = !visible.has(row); });
      var total = state.matching.length;
      status.textContent = total === 0 ? "No " + noun + " match." :
        "Showing " + (start + 1) + "\u2013" + Math.min(end, total) + " of " + total + " " + noun +
        (total === rows.length ? "" : " (of " + rows.length + ")") + ".";
      where.textContent = "Page " + (state.page + 1) + " of " + pages();
      first.disabled = previous.disabled = state.page === 0;
      next.disabled = last.disabled = state.page >= pages() - 1;
      pager.hidden = pages() === 1;
    }

    function filter() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      state.matching = state.order.filter(function (row) {
        return words.every(function (word) { return texts[row.lrIndex].indexOf(word) !== -1; });
      });
      state.page = 0;
      show();
    }

    function sortBy(column, header) {
      var direction = state.column === column && state.direction === "ascending" ? "descending" : "ascending";
      var sign = direction === "ascending" ? 1 : -1;
      var keys = rows.map(function (row) { return cellText(row, column); });
      state.order = rows.slice().sort(function (a, b) {
        return sign * keys[a.lrIndex].localeCompare(keys[b.lrIndex], "en", { numeric: true, sensitivity: "base" }) ||
          a.lrIndex - b.lrIndex;
      });
      var fragment = document.createDocumentFragment();
      state.order.forEach(function (row) { fragment.appendChild(row); });
      body.appendChild(fragment);
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.setAttribute("aria-sort", "none"); });
      header.setAttribute("aria-sort", direction);
      state.column = column;
      state.direction = direction;
      filter();
    }

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = element("button", { type: "button", "class": "lr-sort" }, th.textContent.trim());
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortBy(column, th); });
    });

    input.addEventListener("input", filter);
    first.addEventListener("click", function () { state.page = 0; show(); });
    previous.addEventListener("click", function () { state.page = Math.max(0, state.page - 1); show(); });
    next.addEventListener("click", function () { state.page = Math.min(pages() - 1, state.page + 1); show(); });
    last.addEventListener("click", function () { state.page = pages() - 1; show(); });

    /* a link to a row (#finding-...) shows the page it is on, clearing a search that hides it */
    function reveal() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      var target = id ? document.getElementById(id) : null;
      if (!target || target.parentNode !== body) { return; }
      if (state.matching.indexOf(target) === -1) { input.value = ""; filter(); }
      state.page = Math.floor(state.matching.indexOf(target) / size);
      show();
      target.scrollIntoView();
    }
    window.addEventListener("hashchange", reveal);
    window.addEventListener("beforeprint", function () { rows.forEach(function (row) { row.hidden = false; }); });
    window.addEventListener("afterprint", show);

    var query = new URLSearchParams(window.location.search).get(base + "-search");
    if (query) { input.value = query; }
    filter();
    reveal();
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-lr-table]"), enhance);
})();
