/*
 * The search box (site_templates/theme/partials/search.html), in Material's
 * markup and styles but driven by us: nothing of Material's search runs.
 *
 * Nothing is fetched until the reader goes to the box: then the worker
 * (search/worker.js) loads the language's index, and each keystroke is a
 * query. Results are built as elements and text, never from markup. A result
 * link carries the terms it matched (?hl=...), and the page opened from it
 * marks those words in its text, by the same analysis (search/analysis.js).
 */
(function () {
  "use strict"

  var box = document.querySelector("[data-hinahon-search]")
  var toggle = document.getElementById("__search")
  var HIGHLIGHT = "hl"

  function folder() {
    return new URL(box ? box.getAttribute("data-folder") : "search/", location.href).href
  }

  // --- the search box --------------------------------------------------------

  if (box && toggle) {
    var input = box.querySelector("input[name=query]")
    var form = box.querySelector("form")
    var meta = box.querySelector(".md-search-result__meta")
    var list = box.querySelector(".md-search-result__list")
    var labels = {
      placeholder: box.getAttribute("data-placeholder"),
      loading: box.getAttribute("data-loading"),
      none: box.getAttribute("data-none"),
      results: box.getAttribute("data-results")
    }
    var worker = null
    var ready = false
    var asked = 0

    var start = function () {
      if (worker) return
      worker = new Worker(folder() + "worker.js")
      worker.addEventListener("message", answer)
      worker.postMessage({ type: "load", folder: folder() })
    }

    var ask = function () {
      var query = input.value
      if (!query.trim()) {
        asked++
        show(null)
        return
      }
      start()
      if (!ready) meta.textContent = labels.loading
      worker.postMessage({ type: "query", id: ++asked, query: query })
    }

    var answer = function (event) {
      var message = event.data || {}
      if (message.type === "ready") {
        ready = true
        box.setAttribute("data-ready", "")
      } else if (message.type === "results" && message.id === asked) {
        show(message)
      } else if (message.type === "error") {
        meta.textContent = labels.none
      }
    }

    var show = function (found) {
      list.replaceChildren()
      // Which query the list answers: results arrive after the keystroke.
      list.setAttribute("data-query", found ? found.query : "")
      if (!found) {
        meta.textContent = labels.placeholder
        return
      }
      var count = String(found.total)
      meta.textContent = !found.total ? labels.none :
        labels.results.indexOf("#") >= 0 ? labels.results.replace("#", count) : labels.results + " " + count
      found.pages.forEach(function (page) {
        var item = element("li", "md-search-result__item")
        item.appendChild(link(page, "h1", true))
        page.sections.forEach(function (section) { item.appendChild(link(section, "h2", false)) })
        list.appendChild(item)
      })
    }

    var link = function (result, heading, icon) {
      var url = new URL(result.url, folder() + "../")
      url.searchParams.set(HIGHLIGHT, result.terms.join(" "))
      var a = element("a", "md-search-result__link")
      a.href = url.href
      var article = element("article", "md-search-result__article md-typeset")
      if (icon) article.appendChild(element("div", "md-search-result__icon md-icon"))
      var title = element(heading)
      fill(title, result.title)
      article.appendChild(title)
      if (result.preview.length) {
        var text = element("p")
        fill(text, result.preview)
        article.appendChild(text)
      }
      a.appendChild(article)
      return a
    }

    var open = function () {
      if (!toggle.checked) {
        toggle.checked = true
        toggle.dispatchEvent(new Event("change"))
      }
    }

    var close = function () {
      if (toggle.checked) {
        toggle.checked = false
        toggle.dispatchEvent(new Event("change"))
      }
      input.blur()
    }

    input.addEventListener("focus", function () { open(); start() })
    input.addEventListener("input", ask)
    form.addEventListener("submit", function (event) {
      event.preventDefault()
      var first = list.querySelector("a")
      if (first) location.href = first.href
    })
    form.addEventListener("reset", function () { setTimeout(ask, 0) })
    toggle.addEventListener("change", function () {
      if (toggle.checked) setTimeout(function () { input.focus() }, 0)
    })
    document.addEventListener("keydown", function (event) {
      var typing = event.target instanceof HTMLElement &&
        (event.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName))
      if (event.key === "Escape" && toggle.checked) {
        event.preventDefault()
        close()
      } else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey &&
                 (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault()
        open()
        input.focus()
      } else if (toggle.checked && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        var links = Array.prototype.slice.call(list.querySelectorAll("a"))
        if (!links.length) return
        event.preventDefault()
        var at = links.indexOf(document.activeElement)
        var next = event.key === "ArrowDown" ? at + 1 : (at < 0 ? links.length : at) - 1
        if (next < 0 || next >= links.length) input.focus()
        else links[next].focus()
      }
    })
  }

  function element(tag, className) {
    var node = document.createElement(tag)
    if (className) node.className = className
    return node
  }

  // [text, matched] parts from the worker, as text and <mark> elements.
  function fill(node, parts) {
    parts.forEach(function (part) {
      if (part[1]) {
        var mark = element("mark")
        mark.textContent = part[0]
        node.appendChild(mark)
      } else {
        node.appendChild(document.createTextNode(part[0]))
      }
    })
  }

  // --- the page opened from a result: its matched words marked --------------

  var wanted = new URLSearchParams(location.search).get(HIGHLIGHT)
  if (wanted && wanted.trim()) {
    var script = document.createElement("script")
    script.src = folder() + "analysis.js"
    script.onload = function () { highlight(wanted.split(/\s+/)) }
    document.head.appendChild(script)
  }

  function highlight(list) {
    var analysis = HinahonAnalysis.create(self.HinahonSearchRules)
    var terms = new Set(list)
    var article = document.querySelector("article") || document.body
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT)
    var nodes = []
    while (walker.nextNode()) {
      var parent = walker.currentNode.parentNode
      if (!parent.closest("script, style, mark, .md-search")) nodes.push(walker.currentNode)
    }
    nodes.forEach(function (node) {
      var text = node.nodeValue, parts = [], last = 0
      analysis.eachWord(text, function (word, at) {
        var forms = analysis.forms(word)
        if (terms.has(forms[0]) || terms.has(forms[1])) {
          if (at > last) parts.push(document.createTextNode(text.slice(last, at)))
          var mark = element("mark", "hinahon-highlight")
          mark.textContent = word
          parts.push(mark)
          last = at + word.length
        }
      })
      if (!parts.length) return
      if (last < text.length) parts.push(document.createTextNode(text.slice(last)))
      node.replaceWith.apply(node, parts)
    })
  }
})()
