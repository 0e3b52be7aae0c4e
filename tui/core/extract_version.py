"""The extractor's version, apart from the extractor so that reading it costs no import of
selectolax: the cache keys extracted articles by it, and the story list asks which articles are
cached before the first frame. Bump it whenever extraction output changes; cached articles of an
older version are re-extracted from the cached HTML."""

EXTRACTOR_VERSION = "12"
