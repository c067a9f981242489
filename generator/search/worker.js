/*
 * Put in front of Material's search worker: every query is rewritten by our
 * analysis (folded, stemmed, stop words dropped) before Material's handler
 * sees it, so it meets the forms the build added to the index. Material's
 * worker registers its handler with the global addEventListener; wrapping
 * that is the one seam it offers.
 */
(function () {
  "use strict"
  var analysis = HinahonAnalysis.create(self.HinahonRules)
  var lang = self.HinahonLanguage
  var QUERY = 2 // Material's SearchMessageType.QUERY
  var listen = self.addEventListener
  self.addEventListener = function (type, listener, options) {
    if (type !== "message")
      return listen.call(self, type, listener, options)
    return listen.call(self, type, function (event) {
      var message = event.data
      if (message && message.type === QUERY)
        message = { type: QUERY, data: analysis.analyzeQuery(String(message.data), lang) }
      return listener.call(this, { data: message })
    }, options)
  }
})()
