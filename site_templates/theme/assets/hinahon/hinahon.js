// The sheets' Print button. A listener here rather than an onclick attribute:
// pages carry no inline handlers, so the sanitizer can remove every one.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest(".hinahon-print")) {
    window.print()
  }
})

// The language switch remembers the reader's choice, for the chooser at the
// site's root (site/index.html) to follow next time. Local storage only.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.hinahon-language[hreflang]")
  if (link) {
    try { localStorage.setItem("hinahon.language", link.hreflang) } catch (e) {}
  }
})

// The "not found" page's search button opens the header's search box, as a
// click on its icon does (the toggle is a checkbox that Material watches).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest(".hinahon-open-search")) {
    var toggle = document.querySelector("label[for=__search]")
    var input = document.querySelector(".md-search__input")
    if (toggle) toggle.click()
    // Ready to type in, as after the "/" key.
    if (input) input.focus()
  }
})
