// The sheets' Print button. A listener here rather than an onclick attribute:
// pages carry no inline handlers, so the sanitizer can remove every one.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest(".hinahon-print")) {
    window.print()
  }
})
