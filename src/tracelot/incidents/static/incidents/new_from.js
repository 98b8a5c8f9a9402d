// Show only the fields the chosen source needs (all stay in the form without JavaScript).
(function () {
  const needs = {inspection: ["inspection"], complaint: ["customer", "item", "customer_lot_text", "photos"],
    supplier_lot: ["supplier_lot"], production: ["item", "line", "window_start", "window_end"]};
  const every = ["inspection", "customer", "item", "customer_lot_text", "photos", "supplier_lot", "line", "window_start", "window_end"];
  const source = document.querySelector("[name=source]");
  function show() {
    for (const name of every) {
      const row = document.querySelector(`[data-field=${name}]`);
      if (row) row.hidden = !needs[source.value].includes(name);
    }
  }
  source.addEventListener("change", show);
  show();
})();
