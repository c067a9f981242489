/*
 * The search worker: one language's index (index.js) searched with MiniSearch,
 * each query analysed by the language's rules (analysis.js), exactly as the
 * build analysed the pages. Started by the page's search.js when the reader
 * first goes to the search box; the page then sends
 *
 *   {type: "load", folder: "<absolute URL of the search/ folder>"}
 *   {type: "query", id: 7, query: "nagagalit"}
 *
 * and receives {type: "ready", docs} once, and {type: "results", id, ...} per
 * query. Texts go back as [text, matched] parts: the page shows them as text,
 * never as markup.
 */
(function () {
  "use strict"

  var PAGES = 10        // pages listed, best first
  var SECTIONS = 3      // sections listed under each page
  var BEFORE = 60       // characters of a preview before its first match
  var LENGTH = 220      // characters of a preview
  var FUZZY_FROM = 5    // a word this long may have one typo
  var MAX_NEAR = 40     // terms a mistyped word may stand for

  var engine = null
  var ready = null
  var base = ""

  function load(folder) {
    base = folder
    // importScripts is synchronous in a worker, and returns a promise where a
    // file:// copy runs this in a frame (assets/hinahon/file-worker.js).
    return Promise.resolve(self.importScripts(
      folder + "minisearch.js", folder + "analysis.js", folder + "index.js"
    )).then(function () {
      engine = build(self.HinahonIndex, HinahonAnalysis.create(self.HinahonSearchRules))
      self.postMessage({ type: "ready", docs: engine.docs.length })
    })
  }

  function build(index, analysis) {
    var terms = index.terms
    var mini = new MiniSearch({
      fields: ["t", "x"],
      storeFields: [],
      // The build analysed the words already: its terms go in as they are,
      // each named by its number in `terms`.
      tokenize: function (text) { return text ? text.split(" ") : [] },
      processTerm: function (id) { return terms[parseInt(id, 36)] },
      searchOptions: {
        tokenize: function (text) { return [text] },
        processTerm: function (term) { return term },
        boost: { t: 3 }
      }
    })
    mini.addAll(index.docs.map(function (doc, id) { return { id: id, t: doc[3], x: doc[4] } }))
    // Where each page's docs begin, for finding a doc's text in its file.
    var firstDoc = [], perText = index.per_text
    index.docs.forEach(function (doc, id) {
      if (firstDoc[doc[0]] === undefined) firstDoc[doc[0]] = id
    })
    return { mini: mini, analysis: analysis, pages: index.pages, docs: index.docs,
             vocabulary: terms, firstDoc: firstDoc, perText: perText }
  }

  // The texts of the docs of `pages`, loading the files they are in once.
  function loadTexts(pages) {
    self.HinahonTexts = self.HinahonTexts || {}
    var files = []
    pages.forEach(function (page) {
      var file = Math.floor(page / engine.perText)
      if (!(file in self.HinahonTexts) && files.indexOf(file) < 0) files.push(file)
    })
    if (!files.length) return Promise.resolve()
    return Promise.resolve(self.importScripts.apply(self, files.map(function (file) {
      return base + "text/" + file + ".js"
    })))
  }

  function textOf(id) {
    var page = engine.docs[id][0]
    var file = Math.floor(page / engine.perText)
    var first = engine.firstDoc[file * engine.perText]
    return self.HinahonTexts[file][id - first]
  }

  function search(query) {
    var terms = engine.analysis.query(query)
    // A lone letter ("customer's" gives "s") says nothing beside other words.
    var words = terms.filter(function (term) { return Array.from(term.folded).length > 1 })
    if (words.length) terms = words
    if (!terms.length) return Promise.resolve({ pages: [], total: 0, terms: [] })
    // The word being typed is matched as a beginning; the words before it are whole.
    var typing = !/\s$/.test(query)
    var queries = terms.map(function (term, i) {
      var forms = term.stem === term.folded ? [term.folded] : [term.stem, term.folded]
      var query = { queries: forms, combineWith: "OR", prefix: typing && i === terms.length - 1 }
      // A word the index has (as typed, or begun) is taken as meant: "police"
      // must not find "polite". Only a word it lacks may be one typo away,
      // from a whole word or from the beginning of one ("muqavle" finds
      // "müqavilədə": Azerbaijani adds its endings to the word).
      if (Array.from(term.folded).length >= FUZZY_FROM && !engine.mini.search(query).length) {
        // The stem too: "nagagalt" is "galt", one letter from "galit".
        var near = oneTypoAway(term.folded)
        if (term.stem !== term.folded)
          near = near.concat(oneTypoAway(term.stem).filter(function (t) { return near.indexOf(t) < 0 }))
        if (near.length) return { queries: near, combineWith: "OR" }
      }
      return query
    })
    // Every word should match; if no page has them all, the pages with most.
    var hits = engine.mini.search({ queries: queries, combineWith: "AND" })
    if (!hits.length && queries.length > 1)
      hits = engine.mini.search({ queries: queries, combineWith: "OR" })
    var pages = []
    hits.forEach(function (hit) {
      var page = engine.docs[hit.id][0]
      if (pages.length < PAGES && pages.indexOf(page) < 0) pages.push(page)
    })
    return loadTexts(pages).then(function () { return group(hits) })
  }

  // The index's terms that `word`, or the beginning of which, is at most one
  // edit (a letter added, left out, changed or two swapped) away from.
  function oneTypoAway(word) {
    var found = []
    engine.vocabulary.forEach(function (term) {
      if (term.length >= word.length - 1 && prefixDistance(word, term) <= 1) found.push(term)
    })
    return found.slice(0, MAX_NEAR)
  }

  // The fewest edits from `word` to any beginning of `term`, stopping at 2.
  function prefixDistance(word, term) {
    var n = word.length, m = Math.min(term.length, n + 1)
    var before = [], row = []
    for (var j = 0; j <= m; j++) before.push(j)
    var beforeThat = null
    for (var i = 1; i <= n; i++) {
      row = [i]
      var least = i
      for (j = 1; j <= m; j++) {
        var cost = word[i - 1] === term[j - 1] ? 0 : 1
        var value = Math.min(before[j] + 1, row[j - 1] + 1, before[j - 1] + cost)
        // Two neighbouring letters swapped count as one edit.
        if (beforeThat && i > 1 && j > 1 && word[i - 1] === term[j - 2] && word[i - 2] === term[j - 1])
          value = Math.min(value, beforeThat[j - 2] + 1)
        row.push(value)
        if (value < least) least = value
      }
      if (least > 1) return 2
      beforeThat = before
      before = row
    }
    var best = 2
    for (j = Math.max(0, n - 1); j <= m; j++) best = Math.min(best, before[j])
    return best
  }

  function group(hits) {
    var order = [], byPage = new Map(), matched = new Set()
    hits.forEach(function (hit) {
      hit.terms.forEach(function (term) { matched.add(term) })
      var doc = engine.docs[hit.id]
      var entry = byPage.get(doc[0])
      if (!entry) {
        entry = { page: doc[0], sections: [] }
        byPage.set(doc[0], entry)
        order.push(entry)
      }
      entry.sections.push({ doc: doc, id: hit.id, terms: hit.terms })
    })
    var pages = order.slice(0, PAGES).map(function (entry) {
      var page = engine.pages[entry.page]
      var top = entry.sections.filter(function (s) { return s.doc[1] === "" })[0]
      var rest = entry.sections.filter(function (s) { return s.doc[1] !== "" }).slice(0, SECTIONS)
      var terms = new Set()
      entry.sections.forEach(function (s) { s.terms.forEach(function (t) { terms.add(t) }) })
      return {
        url: page[0],
        title: mark(page[1], terms),
        preview: top ? preview(textOf(top.id), terms) : [],
        terms: Array.from(terms),
        sections: rest.map(function (s) {
          var own = new Set(s.terms)
          return { url: page[0] + "#" + s.doc[1], title: mark(s.doc[2], own),
                   preview: preview(textOf(s.id), own), terms: s.terms }
        })
      }
    })
    return { pages: pages, total: order.length, terms: Array.from(matched) }
  }

  // A text as [text, matched] parts: a word is matched when its folded form
  // or its stem is one of the index terms the query met.
  function mark(text, terms) {
    var parts = [], last = 0
    engine.analysis.eachWord(text, function (word, start) {
      var forms = engine.analysis.forms(word)
      if (terms.has(forms[0]) || terms.has(forms[1])) {
        if (start > last) parts.push([text.slice(last, start), false])
        parts.push([word, true])
        last = start + word.length
      }
    })
    if (last < text.length) parts.push([text.slice(last), false])
    return parts
  }

  function preview(text, terms) {
    var first = -1
    engine.analysis.eachWord(text, function (word, start) {
      if (first >= 0) return
      var forms = engine.analysis.forms(word)
      if (terms.has(forms[0]) || terms.has(forms[1])) first = start
    })
    var from = first > BEFORE ? text.lastIndexOf(" ", first - BEFORE) + 1 : 0
    var clip = text.slice(from, from + LENGTH)
    if (from + LENGTH < text.length) clip = clip.slice(0, clip.lastIndexOf(" ") + 1 || clip.length) + "…"
    return mark((from > 0 ? "…" : "") + clip, terms)
  }

  self.addEventListener("message", function (event) {
    var message = event.data || {}
    if (message.type === "load" && !ready) {
      ready = load(String(message.folder))
      ready.catch(function (error) {
        self.postMessage({ type: "error", message: String(error && error.message || error) })
      })
    } else if (message.type === "query" && ready) {
      ready.then(function () {
        return search(String(message.query))
      }).then(function (found) {
        found.type = "results"
        found.id = message.id
        found.query = message.query
        self.postMessage(found)
      })
    }
  })
})()
