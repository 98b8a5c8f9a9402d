// Behaviour every page shares, kept out of the HTML: the Content-Security-Policy allows no
// inline script or event handler.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-submit-on-change]");
  if (select) select.form.submit();
});
