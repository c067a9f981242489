"""Search in every language: how words are read, and the index that holds them.

`analysis` holds the rules (with `analysis.js`, their browser half);
`index` finishes the search index MkDocs wrote and teaches Material's search
worker to read queries by the same rules.
"""
