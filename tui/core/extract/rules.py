"""Every selector, pattern and threshold the extractor uses, in one table.

Kept apart from the code so that tuning is a one-file change and so that the rules can be read
as a whole. All rules are generic: nothing here is keyed on a particular site or domain.
"""

from __future__ import annotations

import re

# --- size and depth guards -------------------------------------------------------------------
MAX_HTML_CHARS = 10_000_000  # bigger pages are cut: no article needs more
MAX_DEPTH = 400  # deeper nesting is flattened by the walk (never recursed into)
MAX_PARSE_DEPTH = 1500  # the document is cut where it nests deeper (parser time is quadratic)
DEPTH_SCAN_MIN_TAGS = 20_000  # below this many "<" the parser is fast whatever the nesting
MAX_PARSE_TAGS = 250_000  # the document is cut after this many tags (real pages: < 20,000)
MAX_BLOCKS = 5_000

# --- metadata (read before cleaning) ---------------------------------------------------------
# Title sources in order of trust, as Readability orders them.
TITLE_META = (
    "dc:title",
    "dcterm:title",
    "dc.title",  # Dublin Core in HTML writes "DC.title"
    "dcterms.title",
    "og:title",
    "weibo:article:title",
    "weibo:webpage:title",
    "title",
    "twitter:title",
    "parsely-title",
)
BYLINE_META = ("dc:creator", "dcterm:creator", "author", "parsely-author", "article:author")
DATE_META = (
    "article:published_time",
    "parsely-pub-date",
    "og:published_time",
    "published_time",
    "publishdate",
    "publish-date",
    "pubdate",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "dcterms.date",
    "sailthru.date",
    "article.published",
    "datepublished",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
)
SITE_META = ("og:site_name", "application-name", "twitter:site")
LEDE_META = ("og:description", "description", "twitter:description")
# JSON-LD objects that describe the page's own text, most specific first: an article type wins
# over a page, a video or an episode embedded beside it.
ARTICLE_TYPES = re.compile(
    r"^(?:Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|"
    r"BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|"
    r"SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|"
    r"LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference)$"
)
PAGE_TYPES = re.compile(r"^(?:WebPage|Blog|Recipe|Review|CreativeWork|PodcastEpisode|VideoObject)$")
TITLE_SEPARATORS = re.compile(r" [|\-–—\\/>»] ")
TITLE_HIERARCHY = re.compile(r" [\\/>»] ")
# The page's headline is looked for in its first <h1>s (then <h2>s), of at most this length; a
# heading not equal to the declared title or one of its parts must hold this share of its words.
HEADLINE_SCAN = 10
HEADLINE_MAX_CHARS = 300
HEADLINE_MIN_COVER = 0.5
# The mark of a heading's permalink, shown after its text ("Title¶"): not part of the title.
HEADING_ANCHOR = re.compile(r"\s*[¶§#🔗]+$")
# The address of a site's home page, as a heading links its name to it.
HOME_HREF = re.compile(r"^(?:(?:https?:)?//[^/?#]+)?(?:/|\./?|/?index\.\w+)?$", re.IGNORECASE)
# A date written before the headline in the same heading ("23.01.2022 - Headline",
# "1. Februar 2022 Headline"): not part of the title.
LEADING_DATE = re.compile(
    r"^\s*\d{1,2}\.\s?(?:\d{1,2}\.|[^\W\d_]{3,10}\.?)\s?\d{4}(?:\s*[-–—|:•]\s*|\s*)"
)
BYLINE_WORDS = ("byline", "author", "autor", "dateline", "writtenby", "p-author")
# Elements shown as the byline: rel/itemprop "author", or these words in the class/id.
AUTHOR_SELECTOR = '[rel~="author" i], [itemprop~="author"]'
BYLINE_HINT_WORDS = ("byline", "author", "autor")
BYLINE_SCAN = 20
# Short elements with these class/id words are datelines and post metadata, not body text.
META_WORDS = (
    "entry-meta",
    "post-meta",
    "article-meta",
    "meta-info",
    "metadata",
    "dateline",
    "timestamp",
    "posted-on",
    "postmeta",
    "byline",
    "article-info",
    "story-meta",
    "submitted",
)
META_MAX_CHARS = 200
DATELINE_MAX_CHARS = 80
# The words before an author's name, in the languages of the pages met most ("By", "Post author
# by", "Erstellt von", "Publié par", "Escrito por", "Autor:", "©"); Italian "di" in lower case
# only ("Di" opens names: "Di Wang").
BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:(?:post\s+)?author:?(?:\s+by)?|autor(?:in)?:?|(?:written|posted)\s+by"
    r"|(?:erstellt|geschrieben|verfasst)\s+von|(?:escrito|publicado)\s+por|(?:publié|écrit)\s+par"
    r"|scritto\s+da|by|von|vom|par|por|door|(?-i:di)|av|af|от|автор:?)\s+|(?:©|\(c\))\s*)",
    re.IGNORECASE,
)
BYLINE_MAX_CHARS = 100
# What follows the name in a byline line: " - Apr 16, 2015 8:02 pm", " | Updated 3 hours ago".
BYLINE_TAIL = re.compile(r"\s+[-–—|•·]\s+.*\d.*$", re.DOTALL)
BYLINE_PUNCTUATION = " \t\n-–—|•·,;:"
# Where a date or time after the name begins ("Jane Roe, 24. Januar 2022", "Jane Roe Feb 21,
# 2020", "Jane Roe 18.10.2019", "Jane Roe 22 de abril de 2022", "Jane Roe 11:11 PM"), not a
# number in a name ("Bündnis 90/Die Grünen"); and the words that may stand between name and date.
BYLINE_DATE_START = re.compile(
    r"[\s,]+(?=\d{1,2}[./]\s?\d|\d{4}-\d\d|\d{1,2}:\d\d|\d{1,2},?\s+\d{4}"
    r"|\d{1,2}\.?\s+(?:de\s+)?\w+\.?,?\s+(?:de\s+)?\d{2,4})"
)
_BEFORE_DATE_WORDS = (
    "am on at le el il op den vom um de del",
    "updated posted published veröffentlicht aktualisiert publicado publié",
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun",
    "montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so",
    "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "lunes martes miércoles jueves viernes sábado domingo",
)
BYLINE_BEFORE_DATE = frozenset(word for line in _BEFORE_DATE_WORDS for word in line.split())
BYLINE_HANDLE = re.compile(r"\s+@\w+\W*$")  # "Jane Roe @janeroe"
# Elements whose class/id says they may show the publication date.
DATE_HINT_WORDS = (
    "date",
    "time",
    "publish",
    "posted",
    "meta",
    "byline",
    "datum",
    "fecha",
)
VISIBLE_DATE_SCAN = 40  # hint elements looked at for a visible date
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/_.-]|$)")
# The year and month in an address ("/2019/10/slug"), which a declared date may agree with.
URL_MONTH = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})(?:[/_.-]|$)")
# A date shown as a line of its own near the headline: the lines after the headline looked at,
# then those before it (nearest first); without the headline, the page's first lines.
TEXT_DATE_AFTER = 40
TEXT_DATE_BEFORE = 15
TEXT_DATE_SCAN = 400
TEXT_DATE_WINDOW = 5000  # characters of text read on each side of the headline
TEXT_DATE_MAX_CHARS = 60
TEXT_DATE_TITLE_CHARS = 30  # the headline is found by its start
# Lines after the headline's that a date shown in place of the declared one must stand in
# (the headline's block: kicker, standfirst, byline, date).
TEXT_DATE_TITLE_BLOCK = 12
# A date shown with these words is when the page was last changed, not published.
UPDATE_LABEL = re.compile(
    r"\b(?:updated|modified|aktualisiert|geändert|stand|mis à jour|actualizado|atualizado|"
    r"aggiornato|bijgewerkt|zaktualizowano|uppdaterad|oppdatert|opdateret|päivitetty|обновлено)\b",
    re.IGNORECASE,
)
# Languages whose numeric dates put the month first ("5/3/2022" is May 3): American English
# (a page that says only "en" is taken as American: most such pages are).
MONTH_FIRST_LANGS = frozenset({"en-us", "en"})
# A time zone other than UTC at the end of an ISO date-time.
LOCAL_OFFSET = re.compile(r"[+-](?!00:00)\d{2}:\d{2}$")

# --- cleaning --------------------------------------------------------------------------------
# Removed outright, content and all (attribute values and scripts are read before this). The
# common ones go first, one C-level sweep per tag; the rare ones (RARE_DROP_TAGS) are met by the
# element scan, which costs nothing extra per tag. Void elements (meta, link, input) hold no text
# and are left alone.
DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "nav",
    "button",
    "select",
    "textarea",
)
RARE_DROP_TAGS = frozenset(
    {
        "math",
        "object",
        "embed",
        "canvas",
        "option",
        "datalist",
        "dialog",
        "audio",
        "video",
        "map",
        "amp-ad",
        "amp-embed",
        "amp-sidebar",
        "amp-social-share",
        "amp-analytics",
        "amp-consent",
        "amp-user-notification",
        "amp-iframe",
    }
)
# Dropped in the strict pass only: usually furniture, occasionally the only wrapper of the text.
STRICT_DROP_TAGS = ("aside", "footer")
# Elements removed for their attributes (read in the one pass over the page's elements, see
# clean.scan): hidden ones, and ARIA roles and microdata types that mark furniture or comments.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
HIDDEN_STYLE_WORDS = ("none", "hidden")  # every match of HIDDEN_STYLE holds one of these
DROP_ROLES = frozenset(
    {
        "navigation",
        "menu",
        "menubar",
        "complementary",
        "alert",
        "alertdialog",
        "dialog",
        "banner",
        "contentinfo",
        "search",
    }
)
DROP_ITEMPROPS = frozenset({"comment"})
# An element hidden for its role is kept when it holds these: it wraps the article by mistake.
ARTICLE_INSIDE = 'article, main, [itemprop~="articleBody"]'
DROP_ITEMTYPE_WORD = "Comment"
# Class/id words that mark page furniture rather than the article. Matched on the lower-cased
# class and id of every element at once (str.find over one joined string: C speed; a big regex
# alternation costs ~10 µs per element). UNLIKELY_TOKENS must stand alone (between non-letters).
UNLIKELY_SUBSTRINGS = (
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumb",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "footer",
    "gdpr",
    "consent",
    "cookie",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "modal",
    "newsletter",
    "subscri",
    "signup",
    "login",
    "outbrain",
    "taboola",
    "advert",
    "masthead",
    "policy",
    "podcast",
    "more-stories",
    "most-popular",
    "trending",
    "sprite",
    "yom-remote",
    "navbar",
    "navigation",
)
OWN_TEXT_WORDS = (
    "comment",
    "disqus",
    "replies",
    "remark",
    "respond",
    "shoutbox",
    "community",
    "related",
    "more-stories",
    "most-popular",
    "trending",
    "outbrain",
    "taboola",
)
# Weaker words: the element goes only if it does not hold a run of paragraphs (pages wrap whole
# articles in "share-container" or "widget blog" boxes).
UNLIKELY_WEAK_SUBSTRINGS = (
    "extra",
    "header",
    "social",
    "share",
    "sharing",
    "promo",
    "teaser",
    "recommend",
    "widget",
    "toolbar",
    "player",
    "readmore",
    "read-more",
    "newsfeed",
    "print-only",
    "jump-link",
    "recent",
    "popular",
    "paywall",  # a prompt to subscribe, or the wrapper of the text behind it
)
# A weak match is kept when it holds a run of paragraphs or an element that marks itself as the
# article body (blog engines wrap the post in "widget blog" boxes and separate lines with <br>).
BODY_MARK_ITEMPROP = "articleBody"
BODY_MARK_CLASSES = frozenset({"hentry", "entry-content", "post-body"})
UNLIKELY_TOKENS = (
    "ad",
    "ads",
    "nav",
    "icon",
    "icons",
    "tags",
    "rail",
    "rss",
    "hide",
    "hidden",
    "meta-links",
)
# ...unless the same class/id also says it is the content (Readability's "ok maybe" rule).
MAYBE_WORDS = (
    "and",
    "article",
    "body",
    "column",
    "content",
    "main",
    "mathjax",
    "shadow",
    "story",
    "entry",
    "post-text",
    "posttext",
)
# Elements whose attributes the scan does not read: links (never removed for their class; a
# rel=author link is found by AUTHOR_SELECTOR), images and media sources (no text).
SCAN_SKIP_TAGS = frozenset({"a", "img", "picture", "source", "track", "wbr", "hr", "br"})
# Elements the scan lists for the stages before cleaning: headings (the headline) and
# paragraphs (the standfirst).
MARK_TAGS = ("h1", "h2", "p")
KEEP_TAGS = frozenset({"html", "body", "article", "main", "a", "table", "tbody", "tr", "td", "th"})

# --- scoring ---------------------------------------------------------------------------------
SCORE_SELECTOR = "p, pre, td, blockquote, section > span, article > span, dd"
LEAF_DIV_SELECTOR = (
    "div:not(:has(div, p, table, ul, ol, pre, blockquote, section, article, dl, h1, h2, h3, "
    "h4, h5, h6, figure))"
)
MIN_PARAGRAPH_CHARS = 25
# List items holding sentences of their own (no paragraphs inside): posts written as bullet lists.
PROSE_ITEM_SELECTOR = "li:not(:has(p, div, ul, ol, pre, blockquote, table))"
MIN_PROSE_ITEM_CHARS = 100
PARAGRAPH_SELECTOR = f"{SCORE_SELECTOR}, {LEAF_DIV_SELECTOR}, {PROSE_ITEM_SELECTOR}"
# Bare text beside other blocks in these containers counts as a paragraph (relaxed pass only).
LOOSE_TEXT_PARENTS = frozenset({"div", "section", "article", "main"})
MIN_LOOSE_TEXT_CHARS = 100
# Class/id substrings that raise or lower a candidate's score (checked lower-cased).
POSITIVE_WORDS = (
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "post",
    "text",
    "blog",
    "story",
    "prose",
)
NEGATIVE_WORDS = (
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
    "teaser",
    "recommend",
    "newsletter",
    "byline",
    "caption",
    "credit",
    "nav",
    "menu",
)
CLASS_WEIGHT = 25
TAG_BONUS = {
    "div": 5,
    "article": 8,
    "main": 5,
    "section": 3,
    "pre": 3,
    "td": 3,
    "blockquote": 3,
    "address": -3,
    "ol": -3,
    "ul": -3,
    "dl": -3,
    "dd": -3,
    "dt": -3,
    "li": -3,
    "form": -3,
    "h1": -5,
    "h2": -5,
    "h3": -5,
    "h4": -5,
    "h5": -5,
    "h6": -5,
    "th": -5,
}
ANCESTOR_LEVELS = 5
TOP_CANDIDATES = 5
SIBLING_MIN_SCORE = 10.0
SIBLING_SCORE_RATIO = 0.2
SIBLING_PARAGRAPH_CHARS = 80
SIBLING_PROSE_CHARS = 200  # an unscored sibling with the winner's class and this much prose joins
SHARED_ANCESTOR_RATIO = 0.75
MIN_ARTICLE_CHARS = 500  # below this the strict pass counts as failed and the relaxed one runs
MIN_RELAXED_CHARS = 200
MIN_SHORT_ARTICLE_CHARS = 140  # ...unless it holds a paragraph of real prose this long:
MIN_PROSE_BLOCK_CHARS = 120
# The standfirst: the page's description shown as a paragraph (a <p>, or a <div> of text only)
# outside the title block. Found by its first words; it joins the body unless the body holds
# it already.
STANDFIRST_DIVS = "div:not(:has(div, p, ul, ol, table, h1, h2, h3))"
STANDFIRST_WORDS = 6
STANDFIRST_MAX_CHARS = 1000
# Class/id words of a title block (headline, deck, byline), like <header>.
TITLE_BLOCK_WORDS = ("header", "heading", "hero", "headline")

# --- conditional cleaning of containers inside the chosen content -----------------------------
CONDITIONAL_TAGS = frozenset(
    {"div", "section", "ul", "ol", "table", "aside", "form", "header", "footer", "dl"}
)
COMMA_SAFE = 10  # containers with this many commas are prose: never removed conditionally

# --- blocks ----------------------------------------------------------------------------------
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LEAF_BLOCKS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "pre",
        "blockquote",
        "figcaption",
        "dt",
        "dd",
        "td",
        "th",
        "caption",
        "address",
    }
)
INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "del",
        "ins",
        "strike",
        "big",
        "nobr",
        "wbr",
        "img",
        "picture",
        "center",
    }
)
BLOCK_INSIDE = (
    "p, div, ul, ol, h1, h2, h3, h4, h5, h6, blockquote, pre, table, section, article, figure, dl"
)
BLOCK_INSIDE_TAGS = frozenset(BLOCK_INSIDE.split(", "))
# Elements whose class names them a photo caption or credit: kept as "caption" blocks.
CAPTION_WORDS = ("caption", "credit", "copyright")
CAPTION_MAX_CHARS = 300
# Paragraphs that are only the label of an advert slot (common languages; compared lower-cased).
AD_LABELS = frozenset(
    {
        "advertisement",
        "advertisements",
        "advert",
        "adverts",
        "ad",
        "sponsored",
        "sponsored content",
        "story continues below advertisement",
        "article continues below advertisement",
        "continue reading below",
        "anzeige",
        "werbung",
        "publicité",
        "publicidad",
        "pubblicità",
        "publicidade",
        "реклама",
        "広告",
        "إعلان",
    }
)
# Short paragraphs made mostly of links are cross-promotion inside the body ("READ MORE: ...").
LINK_LINE_MAX_CHARS = 300
LINK_LINE_DENSITY = 0.6
# A short paragraph that is one link and nothing else is a teaser, not a citation in a sentence.
LINK_ONLY_MAX_CHARS = 150
LINK_ONLY_DENSITY = 0.9
# Lines that are page furniture whatever the page (compared lower-cased, without trailing
# punctuation): calls to share, comment or subscribe, and player notices.
BOILERPLATE_LINES = frozenset(
    {
        "share",
        "share this",
        "share this article",
        "share this story",
        "share on facebook",
        "share on twitter",
        "tweet",
        "email",
        "print",
        "comments",
        "comment",
        "leave a comment",
        "leave a reply",
        "post a comment",
        "add a comment",
        "tell us what you think",
        "follow us",
        "sign up for our newsletter",
        "subscribe to our newsletter",
        "this slideshow requires javascript",
        "sharing is caring",
        "facebook",
        "twitter",
        "pinterest",
        "linkedin",
        "reddit",
        "flipboard",
        "whatsapp",
        "telegram",
        "pocket",
        "mix",
        "sponsored links",
        "please enable javascript to view the comments powered by disqus",
        "teilen",
        "kommentare",
        "partager",
        "commentaires",
        "compartir",
        "comentarios",
        "compartilhe",
        "comentários",
        "поделиться",
        "комментарии",
        "write a comment",
        "kommentar schreiben",
        "kommentare schreiben",
        "artikel teilen",
        "drucken",
        "imprimer",
        "imprimir",
        "stampa",
        "condividi",
        "commenti",
        "drukuj",
        "udostępnij",
        "komentarze",
        # calls to comment, rate or pass the article on
        "kommentieren sie",
        "keine kommentare",
        "no comments",
        "weiterempfehlen",
        "weiterempfehlen drucken",
        "artikel bewerten",
        "rate this article",
        "möchten sie den artikel teilen",
        "share this post",
        "war der artikel nützlich",
        "was this article helpful",
        "bild anzeigen",
    }
)
# Labels that open a run of teasers for other pages: the label goes, and so do the link lines
# after it until prose resumes.
TEASER_LABELS = frozenset(
    {
        "related",
        "related articles",
        "related stories",
        "related posts",
        "related news",
        "related content",
        "related coverage",
        "related links",
        "you may also like",
        "you might also like",
        "you may be interested in",
        "recommended",
        "recommended for you",
        "recommended stories",
        "more stories",
        "more news",
        "more from",
        "read more",
        "read next",
        "read also",
        "see also",
        "also read",
        "most popular",
        "most read",
        "popular",
        "trending",
        "trending now",
        "latest news",
        "recent posts",
        "recent articles",
        "das könnte sie auch interessieren",
        "das könnte dich auch interessieren",
        "verwandte artikel",
        "ähnliche artikel",
        "articles similaires",
        "articles liés",
        "artículos relacionados",
        "artigos relacionados",
        "articoli correlati",
        "gerelateerde artikelen",
        "podobne artykuły",
        "powiązane artykuły",
        "mehr zum thema",
        "weitere artikel",
        "lesen sie auch",
        "à lire aussi",
        "lire aussi",
        "sur le même sujet",
        "te puede interesar",
        "noticias relacionadas",
        "lee también",
        "lea también",
        "vea también",
        "leggi anche",
        "potrebbe interessarti anche",
        "zie ook",
        "lees ook",
        "czytaj też",
        "czytaj także",
        "zobacz też",
        "zobacz także",
        "schon gelesen",
        "auch interessant",
        "lesen sie dazu",
        "das könnte sie interessieren",
        "läs också",
        "les også",
        "læs også",
        "lue myös",
        "leia também",
        "veja também",
        "notícias relacionadas",
        "читайте также",
        "похожие статьи",
        "самые популярные",
        # one-word calls before a linked headline ("MIRA: ...", "Lesen Sie hier: ...")
        "mira",
        "mire",
        "lea",
        "lee",
        "lea además",
        "lee además",
        "lesen sie hier",
        "auch lesen",
        "czytaj",
        "czytaj więcej",
        "zobacz",
        "read",
        "watch",
        "leia",
        "lire",
        "leggi",
    }
)
# A line that only names the source of the text or of a picture ("Quelle: dpa", "Źródło:",
# "Photograph by ...", "(Credit: ...)", "© AFP / ..."): furniture under the text or an image.
SOURCE_LINE = re.compile(
    r"^\(?(?:quelle|quellen|quellenangaben|źródło|źródła|source|sources|fuente|fuentes|fonte|"
    r"fonti|bron|bronnen|источник|lähde|kilde|källa|originalartikel|original article)\s?:"
    r"(?:\s+\S+){0,4}\)?$",
    re.IGNORECASE,
)
CREDIT_LINE = re.compile(
    r"^(?:©|\(?(?:photo|photograph|picture|image|foto|bild|credit|crédits?(?: photos?)?)s?"
    r"(?:\s+by\s|\s?:\s))",
    re.IGNORECASE,
)
CREDIT_MAX_CHARS = 80
# A short line that asks the reader to get the site's app, sign up for its newsletter or join its
# channel ("Download the ... apps for iOS and Android", "Sign up here", "...-Newsletter").
CALL_LINE = re.compile(
    r"(?:^get|\b(?:download|install|herunterladen|descarg\w*|baix\w*|scaric\w*|pobierz))\b[^.!?]*"
    r"\bapps?\b|\b(?:sign up|subscribe|abonnier\w*|abonnez|suscr[íi]b\w*|subskrypcj\w*|"
    r"iscriviti|únete|join)\b[^.!?]*\b(?:newsletter|here|hier|aquí|edition|ausgabe|channel|"
    r"kanal|canal|tygodnik\w*|enlace|link)\b|newsletter$"
    r"|\b(?:our|unser\w*|nuestro|notre|nosso|il nostro|nasz)\s(?:channel|kanal|canal|chaîne)\s"
    r"(?:(?:on|auf|en|de|sur|su|na|no)\s)?(?:youtube|telegram|whatsapp)\b"
    r"|\b(?:our|unser\w*|nuestro|notre|nosso|il nostro|nasz)\s(?:youtube|telegram|whatsapp)[- ]"
    r"(?:channel|kanal|canal|chaîne)\b"
    # "Tell us in the comments: ...?"
    r"|\b(?:in the comments|in den kommentaren|en (?:los )?comentarios|dans les commentaires|"
    r"en commentaire|nei commenti|w komentarzach)\b.*[?!]$",
    re.IGNORECASE,
)
CALL_MAX_CHARS = 160
# Widgets' lines: the reading time ("3 min read", "Lesezeit: 4 Minuten", "Ten tekst przeczytasz
# w mniej niż minutę"), a rating ("(95 Stimmen: 4,73 von 5) Loading...", "(No ratings yet)") and
# a blog's post footer ("This entry was posted in News. Bookmark the permalink.").
WIDGET_LINE = re.compile(
    r"^(?:\d+\s?(?:min|minutes?|minuten|minutos|minuti)\.?\s(?:read|lesezeit|de lecture|de lectura|"
    r"di lettura|czytania)$|(?:lesezeit|reading time|read time|temps de lecture|tiempo de lectura|"
    r"tempo di lettura|czas czytania)\s?:?\s?\d+\s?\w+$|ten tekst przeczytasz w\b)"
    r"|\((?:noch keine bewertungen|no ratings yet|\d+ (?:stimmen|votes?|bewertungen)\s?:[^)]*)\)"
    r"|^(?:this entry was posted|dieser (?:eintrag|beitrag) wurde\b).*\b(?:permalink|permanentlink)\W*$",
    re.IGNORECASE,
)
WIDGET_MAX_CHARS = 120
# A rights notice ("All rights reserved", "Alle Rechte vorbehalten", "wszelkie prawa
# zastrzeżone"...), a counter ("Kommentare insgesamt: 0", "Views: 1120") and a server's error
# message printed into the page ("Warning: ... in /www/.../file.php on line 407").
NOTICE_LINE = re.compile(
    r"\b(?:all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos "
    r"reservados|todos os direitos reservados|tutti i diritti riservati|wszelkie prawa zastrzeżone|"
    r"alle rechten voorbehouden|все права защищены|copyrighted property)\b"
    r"|^(?:kommentare|comments|aufrufe|views|hits|leser)(?: insgesamt| total)?:\s?\d+\b"
    r"|^(?:warning|notice|deprecated|fatal error|parse error): .+ on line \d+$",
    re.IGNORECASE,
)
NOTICE_MAX_CHARS = 300
NOTICE_OPENING_CHARS = 80  # the notice's words must come this early in the line
# Words (lower-cased) one of which each pattern above needs: the patterns run only on lines
# holding one (a regular expression over every line costs more than the whole rest of the walk).
CREDIT_OPENINGS = ("photo", "picture", "image", "foto", "bild", "credit", "crédit")
CALL_WORDS = (
    "app",
    "sign up",
    "subscri",
    "abonn",
    "suscr",
    "subskryp",
    "iscriviti",
    "únete",
    "join",
    "newsletter",
    "channel",
    "kanal",
    "canal",
    "chaîne",
    "comment",
    "kommentar",
    "komentarz",
)
# "app" is often part of another word ("happen", "apply"): on an ASCII line (where lower-casing
# matches as CALL_LINE's IGNORECASE does) that holds no other of the CALL_WORDS, CALL_LINE needs
# one of these verbs too, or "get" opening the line. ("comentario": CALL_LINE's Spanish "en los
# comentarios" holds none of the CALL_WORDS.)
CALL_APP_VERBS = ("download", "install", "herunterladen", "descarg", "baix", "scaric", "pobierz")
CALL_OTHER_WORDS = (*(word for word in CALL_WORDS if word != "app"), "comentario")
WIDGET_WORDS = (
    "min",
    "lesezeit",
    "read time",
    "reading time",
    "lecture",
    "lectura",
    "lettura",
    "czytania",
    "przeczytasz",
    "bewertungen",
    "ratings",
    "stimmen",
    "votes",
    "permalink",
    "permanentlink",
)
NOTICE_WORDS = (
    "reserv",
    "vorbehalten",
    "zastrzeżone",
    "voorbehouden",
    "защищены",
    "copyrighted",
)
NOTICE_OPENINGS = (
    "kommentare",
    "comments",
    "aufrufe",
    "views",
    "hits",
    "leser",
    "warning",
    "notice",
    "deprecated",
    "fatal error",
    "parse error",
)
SHARE_COUNT = re.compile(r"^\d[\d.,]*\s*[km]?\s*(?:shares?|comments?)$", re.IGNORECASE)
LABEL_MAX_CHARS = 60
LABEL_PUNCTUATION = " .:…!?-–—»›>|"
TEASER_LINK_DENSITY = 0.5  # after a teaser label, lines this linked are teasers too
# Unrendered shortcodes of blog engines ("[button link=...]Send[/button]", "[gallery ids=1]").
SHORTCODE = re.compile(
    r"^\[[a-z][\w-]*(?:\s+[\w-]+=[^\]]*)*\](?:.*\[/[a-z][\w-]*\])?$", re.DOTALL | re.IGNORECASE
)
URL_SCHEMES = ("http://", "https://")
