/*
 * Web workers for a copy opened from file://. Browsers refuse to start a
 * worker from a file:// page, and Material's search runs in one, so the
 * offline build loads this script first: on file:// it replaces `Worker` with
 * one that runs the worker script in a hidden same-origin iframe and passes
 * messages across. Served copies never use it.
 */
(function () {
  "use strict"
  if (location.protocol !== "file:") return

  function FileWorker(url) {
    var target = new EventTarget()
    var script = new URL(url, document.baseURI).href
    var frame = document.createElement("iframe")
    var queue = []
    var ready = false
    var self = this

    frame.hidden = true
    frame.setAttribute("aria-hidden", "true")
    ;(document.body || document.documentElement).appendChild(frame)
    var scope = frame.contentWindow

    function deliverToPage(data) {
      setTimeout(function () {
        var event = new MessageEvent("message", { data: data })
        if (typeof self.onmessage === "function") self.onmessage(event)
        target.dispatchEvent(event)
      }, 0)
    }

    function load(src) {
      return new Promise(function (resolve, reject) {
        var tag = scope.document.createElement("script")
        tag.src = new URL(src, script).href
        tag.onload = resolve
        tag.onerror = function () { reject(new Error("cannot load " + tag.src)) }
        scope.document.head.appendChild(tag)
      })
    }

    scope.postMessage = function (data) { deliverToPage(clone(data)) }
    scope.importScripts = function () {
      return Array.prototype.reduce.call(arguments, function (done, src) {
        return done.then(function () { return load(src) })
      }, Promise.resolve())
    }
    scope.close = function () { self.terminate() }

    load(script).then(function () {
      ready = true
      queue.splice(0).forEach(post)
    }, function (error) {
      var event = new ErrorEvent("error", { message: error.message })
      if (typeof self.onerror === "function") self.onerror(event)
      target.dispatchEvent(event)
    })

    function post(data) {
      scope.dispatchEvent(new scope.MessageEvent("message", { data: clone(data) }))
    }

    this.onmessage = null
    this.onerror = null
    this.postMessage = function (data) { ready ? post(data) : queue.push(data) }
    this.terminate = function () { frame.remove() }
    this.addEventListener = target.addEventListener.bind(target)
    this.removeEventListener = target.removeEventListener.bind(target)
    this.dispatchEvent = target.dispatchEvent.bind(target)
  }

  // A real worker gets a copy of every message, never the sender's object.
  function clone(data) {
    return typeof structuredClone === "function" ? structuredClone(data) : JSON.parse(JSON.stringify(data))
  }

  window.Worker = FileWorker
})()
