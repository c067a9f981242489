// Added by `python -m generator serve` to every page it sends, never to the
// published site. Reloads the page when the site is rebuilt, and shows the
// build's error in a banner while the content has one.
(function () {
  "use strict"
  var script = document.currentScript
  var version = script ? script.getAttribute("data-version") : null
  var banner = null

  function show(error) {
    if (!banner) {
      banner = document.createElement("div")
      banner.id = "hinahon-build-error"
      banner.setAttribute("role", "alert")
      banner.style.cssText = [
        "position:fixed", "left:0", "right:0", "bottom:0", "z-index:100000",
        "max-height:50vh", "overflow:auto", "margin:0", "padding:.8em 1em",
        "background:#b00020", "color:#fff", "font:14px/1.4 monospace",
        "white-space:pre-wrap", "box-shadow:0 -2px 8px rgba(0,0,0,.3)"
      ].join(";")
      document.body.appendChild(banner)
    }
    // Error messages quote content: they are text, never markup.
    banner.textContent = "The content has an error; this page shows the last good build.\n\n" + error
  }

  function hide() {
    if (banner) { banner.remove(); banner = null }
  }

  var events = new EventSource("/__hinahon/events")
  events.addEventListener("version", function (event) {
    hide()
    if (version !== null && event.data !== version) location.reload()
  })
  events.addEventListener("error", function (event) {
    // The stream's own "error" (a dropped connection) has no data; EventSource reconnects.
    if (event.data) show(JSON.parse(event.data).error)
  })
})()
