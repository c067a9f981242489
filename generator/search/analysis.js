/*
 * How search reads a word, per language: the browser half of
 * generator/search/analysis.py. Same rules, same order, same tables (one
 * language's, as the build writes them into search/analysis.js);
 * tests/test_search_analysis.py runs both halves on one vector file. The
 * Porter stemmer is Snowball's (vendor/snowball-porter.js, loaded first).
 */
(function (root) {
  "use strict"

  var VOWELS = "aeiou"

  function create(rules) {
    var separator = new RegExp(rules.separator)
    var tagalog = rules.tagalog
    var alternations = tagalog ? tagalog.suffix_alternations.map(function (pair) {
      // "u": characters, as Python reads them, not UTF-16 halves (languages.yaml's
      // patterns are held to what both read alike: generator/model.py).
      return [new RegExp(pair[0], "u"), pair[1].replace(/\\(\d)/g, "$$$1")]
    }) : []
    var porter = rules.stemmer === "porter" ? root.snowballFactory.newStemmer("porter") : null
    var cache = new Map()

    function replaceAll(word, table) {
      Object.keys(table).forEach(function (letter) {
        word = word.split(letter).join(table[letter])
      })
      return word
    }

    function fold(word) {
      word = replaceAll(word, rules.fold.before_lower).toLowerCase()
      word = replaceAll(word, rules.fold.after_lower)
      return word.normalize("NFD").replace(/\p{Mn}/gu, "")
    }

    var stopWords = new Set(rules.stop_words.map(fold))

    function isVowel(c) {
      return c !== undefined && c !== "" && VOWELS.indexOf(c) >= 0
    }

    function longEnough(root, minimum) {
      minimum = minimum || tagalog.min_root
      if (isVowel(root[0])) minimum -= 1
      return root.length >= minimum && /[aeiou]/.test(root)
    }

    function startsLikeARoot(word) {
      if (isVowel(word[0])) return true
      var width = word.indexOf("ng") === 0 ? 2 : 1
      var after = word.slice(width, width + 1)
      if (isVowel(after)) return true
      return width === 1 && ["l", "r", "w", "y"].indexOf(after) >= 0 && isVowel(word[2])
    }

    function stripInfix(word) {
      var head = word.slice(0, 2)
      if ((head === "um" || head === "in") && isVowel(word[2]) && longEnough(word.slice(2)))
        return word.slice(2)
      var inner = word.slice(1, 3)
      if (word.length > 0 && !isVowel(word[0]) && (inner === "um" || inner === "in") &&
          isVowel(word[3]) && longEnough(word[0] + word.slice(3)))
        return word[0] + word.slice(3)
      return word
    }

    function stripPrefix(word) {
      for (var i = 0; i < tagalog.prefixes.length; i++) {
        var prefix = tagalog.prefixes[i]
        var rest = word.slice(prefix.length)
        if (word.indexOf(prefix) !== 0 || !rest) continue
        if (!longEnough(rest, tagalog.cautious_prefixes[prefix]) || !startsLikeARoot(rest)) continue
        if (!isVowel(prefix[prefix.length - 1])) {
          if (isVowel(rest[0])) continue
          return rest
        }
        if (rest[0] === "r" && isVowel(rest[1]))
          return "d" + rest.slice(1)
        if (tagalog.assimilating_prefixes.indexOf(prefix) >= 0 &&
            tagalog.assimilated.hasOwnProperty(rest[0]) && isVowel(rest[1])) {
          rest = stripReduplication(rest)
          return tagalog.assimilated[rest[0]] + rest.slice(1)
        }
        return rest
      }
      return word
    }

    function stripReduplication(word) {
      if (word.length < 4) return word
      var first = word[0], vowel = word[1], rest = word.slice(2)
      if (!isVowel(first) && isVowel(vowel)) {
        var rootVowel = (rest.match(/[aeiou]/) || [""])[0]
        var sameStart = rest[0] === first || (first === "d" && rest[0] === "r")
        if (sameStart && rootVowel === vowel && longEnough(rest))
          return first === "d" ? first + rest.slice(1) : rest
      }
      if (isVowel(first) && vowel === first && longEnough(word.slice(1)))
        return word.slice(1)
      return word
    }

    function stripFront(word) {
      for (;;) {
        var shorter = stripReduplication(stripPrefix(stripInfix(word)))
        if (shorter === word) return word
        word = shorter
      }
    }

    function stripSuffix(word) {
      for (var i = 0; i < tagalog.suffixes.length; i++) {
        var suffix = tagalog.suffixes[i]
        var rest = word.slice(0, word.length - suffix.length)
        if (word.length > suffix.length && word.slice(-suffix.length) === suffix && longEnough(rest)) {
          alternations.forEach(function (pair) { rest = rest.replace(pair[0], pair[1]) })
          return rest
        }
      }
      return word
    }

    function stemTagalog(word) {
      var frontFirst = stripSuffix(stripFront(word))
      var backFirst = stripFront(stripSuffix(word))
      return backFirst.length < frontFirst.length ? backFirst : frontFirst
    }

    function stem(folded) {
      // Beyond the first 65,536 characters JavaScript counts a character twice
      // and Python once: such a word is left as it is, in both (analysis.py).
      if (/[\uD800-\uDFFF]/.test(folded)) return folded
      if (porter) return porter.stem(folded)
      if (tagalog) return stemTagalog(folded)
      return folded
    }

    function words(text) {
      return text.split(separator).filter(function (word) { return word !== "" })
    }

    // visit(word, start) for each word of `text`, with its offset: for marking words in place.
    var everySeparator = new RegExp(rules.separator, "g")
    function eachWord(text, visit) {
      var start = 0, found
      everySeparator.lastIndex = 0
      while ((found = everySeparator.exec(text)) !== null) {
        if (found.index > start) visit(text.slice(start, found.index), start)
        start = found.index + found[0].length
        if (found[0].length === 0) everySeparator.lastIndex++
      }
      if (start < text.length) visit(text.slice(start), start)
    }

    // [folded, stem] of a word as written; each word is analysed once.
    function forms(word) {
      var found = cache.get(word)
      if (found === undefined) {
        var folded = fold(word)
        found = [folded, stem(folded)]
        cache.set(word, found)
      }
      return found
    }

    function indexTerms(text) {
      var seen = new Set()
      words(text).forEach(function (word) {
        var f = forms(word)
        if (stopWords.has(f[0])) return
        seen.add(f[0])
        seen.add(f[1])
      })
      return Array.from(seen)
    }

    function query(text) {
      var terms = []
      words(text).forEach(function (word) {
        var f = forms(word)
        if (!stopWords.has(f[0])) terms.push({ folded: f[0], stem: f[1] })
      })
      return terms
    }

    return { lang: rules.lang, fold: fold, stem: stem, words: words, eachWord: eachWord, forms: forms,
             indexTerms: indexTerms, query: query, isStopWord: function (f) { return stopWords.has(f) } }
  }

  root.HinahonAnalysis = { create: create }
})(typeof self !== "undefined" ? self : globalThis)
