// Marks the page offline while its live stream is down (the htmx SSE extension reconnects).
document.addEventListener("htmx:sseOpen", function () {
  document.body.classList.remove("is-offline");
});
document.addEventListener("htmx:sseError", function () {
  document.body.classList.add("is-offline");
});
// A form that was accepted is cleared, so the next submission starts empty.
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.detail.elt;
  if (form && form.tagName === "FORM" && event.detail.xhr && event.detail.xhr.status === 201) {
    form.reset();
  }
});
