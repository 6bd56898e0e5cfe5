"""Saved web pages (legal portals such as vbpl.vn, government and news sites): the main text only.

The page is parsed with selectolax (Lexbor, a fast C HTML5 parser). Scripts, styles, SVG, the head, navigation
and footers are dropped; the main content is the element that holds the document on known legal portals
(``.preview-content`` on vbpl.vn, ``#toanvancontent``/``.fulltext``/``.content1`` on older vbpl.vn and
thuvienphapluat.vn pages, ...), else the densest block of text, else (when no block clearly dominates) the whole
page. Block elements and ``<br>`` become line breaks, table cells are tab-separated, entities are decoded,
non-breaking spaces become spaces. The bytes are decoded from the BOM, the ``<meta charset>``, UTF-8 or a guess,
and text in a legacy Vietnamese font encoding (TCVN3, VNI) is converted (:mod:`.legacy`).
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata

from ..models import Source, Text
from .errors import TooLarge
from .options import ReadOptions

# Elements whose content is never document text.
DROP = ("script", "style", "svg", "head", "nav", "footer", "noscript", "template", "iframe", "object", "embed",
        "canvas", "button", "select", "input", "textarea", "map", "audio", "video", "math")
BLOCK = frozenset("""address article aside blockquote body caption center dd details dialog dir div dl dt fieldset
figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li listing main menu nav
ol p plaintext pre section summary table tbody thead tfoot tr ul xmp""".split())
CELLS = frozenset(("td", "th"))
PREFORMATTED = frozenset(("pre", "listing", "plaintext", "xmp", "textarea"))

# Where known sites keep the document body, most specific first.
MAIN_SELECTORS = (
    ".preview-content",  # vbpl.vn (2025 site): the "Toàn văn" tab
    "#toanvancontent", ".toanvancontent", ".fulltext", "#divContentDoc", ".content1",  # vbpl.vn, thuvienphapluat.vn
    ".the-document-body", ".document-content", ".vbContent", ".box-content-vb", ".noidungvanban",
    "article", "[role=main]", "main",
)
_PARAGRAPHS = "p, li, td, th, h1, h2, h3, h4, h5, h6, pre, blockquote, dd, dt"
_MIN_MAIN_CHARS = 200

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_SPACES_RE = re.compile(r"[ \t\n\r\f]+")
_BLANK_RUNS_RE = re.compile(r"\n{3,}")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (``<meta charset>``, http-equiv, XML declaration), as a
    Python codec name, or None."""
    head = data[:8192]
    for rx in (_XML_ENCODING_RE, _META_CHARSET_RE):
        m = rx.search(head)
        if m:
            name = m.group(1).decode("ascii", "ignore").strip().lower()
            if name in ("unicode", "utf-16"):  # "unicode" in a meta tag means the bytes were UTF-8 after all
                return None
            try:
                return codecs.lookup(name).name
            except LookupError:
                return None
    return None


def decode_html(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    from .legacy import repair_bytes
    from .txt import decode_bytes

    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data, path)
    charset = declared_charset(data)
    if charset in ("iso8859-1", "ascii"):
        charset = "cp1252"  # what browsers do with a Latin-1 label
    if charset in ("cp1252", "cp1258"):
        legacy = repair_bytes(data)  # TCVN3/VNI pages (.VnTime fonts) label themselves as Western code pages
        if legacy:
            return legacy[0], legacy[1]
    if charset:
        try:
            return data.decode(charset), charset
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    legacy = repair_bytes(data)  # undeclared TCVN3/VNI bytes
    if legacy:
        return legacy[0], legacy[1]
    return decode_bytes(data, path)


def _text_len(node) -> int:
    return len(_SPACES_RE.sub(" ", node.text(deep=True) or "").strip())


def pick_main(tree):
    """(node, how) of the element holding the page's main text; the body (or the whole document) when unsure."""
    body = tree.body or tree.root
    if body is None:
        return None, "empty"
    total = _text_len(body)
    for selector in MAIN_SELECTORS:
        nodes = tree.css(selector)
        if not nodes:
            continue
        best = max(nodes, key=_text_len)
        size = _text_len(best)
        if size >= min(_MIN_MAIN_CHARS, total) and size >= 0.15 * total:
            return best, selector
    node = densest_block(body)
    if node is not None and node.mem_id == body.mem_id:
        return body, "page"  # the text sits in the body itself: nothing to choose
    if node is not None and _text_len(node) >= 0.5 * total:
        return node, "densest"
    return body, "body"


def densest_block(body):
    """The container credited with the most paragraph text (readability-style: a paragraph's text, less its
    links, counts fully for its parent and half for its grandparent)."""
    scores: dict[int, float] = {}
    nodes: dict[int, object] = {}
    for p in body.css(_PARAGRAPHS):
        text = _text_len(p)
        if text < 25:
            continue
        links = sum(_text_len(a) for a in p.css("a"))
        score = max(text - links, 0)
        parent = p.parent
        for weight in (1.0, 0.5):
            if parent is None:
                break
            key = parent.mem_id
            nodes[key] = parent
            scores[key] = scores.get(key, 0.0) + weight * score
            parent = parent.parent
    if not scores:
        return None
    return nodes[max(scores, key=scores.__getitem__)]


def render(root) -> str:
    """Text of ``root``: block ends and <br> become newlines, cells end with a tab, HTML whitespace collapsed,
    no-break spaces kept as spaces."""
    out: list[str] = []
    at_line_start = True
    pending_space = False
    pre_depth = 0

    def newline() -> None:
        nonlocal at_line_start, pending_space
        out.append("\n")
        at_line_start = True
        pending_space = False

    def emit_text(value: str) -> None:
        nonlocal at_line_start, pending_space
        if pre_depth:
            out.append(value.replace("\r\n", "\n"))
            at_line_start = value.endswith("\n")
            return
        collapsed = _SPACES_RE.sub(" ", value)
        if not collapsed:
            return
        if collapsed.startswith(" "):
            pending_space = True
            collapsed = collapsed[1:]
        if not collapsed:
            return
        if pending_space and not at_line_start and not out[-1].endswith("\t"):
            out.append(" ")
        trailing = collapsed.endswith(" ")
        out.append(collapsed[:-1] if trailing else collapsed)
        pending_space = trailing
        at_line_start = False

    def enter(node) -> bool:
        """Returns False when the node's children are skipped."""
        nonlocal pre_depth
        tag = node.tag
        if tag == "-text":
            emit_text(node.text_content or "")
            return False
        if tag in ("-comment", "-doctype") or tag in DROP:
            return False
        if tag == "br":
            newline()
            return False
        if tag in BLOCK and not at_line_start:
            newline()
        if tag in PREFORMATTED:
            pre_depth += 1
        return True

    def leave(node) -> None:
        nonlocal pre_depth, at_line_start, pending_space
        tag = node.tag
        if tag in PREFORMATTED:
            pre_depth -= 1
        if tag in CELLS:
            out.append("\t")
            at_line_start = False
            pending_space = False
        elif tag in BLOCK:
            newline()

    # Iterative walk (pages nest deeply; no recursion).
    root_id = root.mem_id
    node = root
    descend = enter(node)
    while True:
        child = node.child if descend else None
        if child is not None:
            node = child
            descend = enter(node)
            continue
        while True:
            if node.mem_id == root_id:
                if node.tag != "-text":
                    leave(node)
                return _tidy("".join(out))
            if node.tag not in ("-text", "-comment", "-doctype") and node.tag not in DROP and node.tag != "br":
                leave(node)
            sibling = node.next
            if sibling is not None:
                node = sibling
                descend = enter(node)
                break
            node = node.parent
            if node is None:
                return _tidy("".join(out))


def _tidy(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        line = line.lstrip(" ").rstrip(" \t\xa0").replace("\xa0", " ")
        lines.append(line.rstrip() if not line.strip() else line)
    return _BLANK_RUNS_RE.sub("\n\n", "\n".join(lines)).strip("\n")


# Nesting depth past which the HTML5 parser slows down quadratically (50,000 nested <div> take seconds):
# such a page is flattened with regular expressions instead.
MAX_DEPTH = 3000
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_NO_DEPTH = frozenset("""area base br col embed hr img input link meta param source track wbr p li td th tr dt dd
option optgroup tbody thead tfoot colgroup rt rp html head body path circle rect line polyline polygon ellipse
use stop image""".split())


def too_deep(markup: str, limit: int = MAX_DEPTH) -> bool:
    """True when elements nest deeper than ``limit`` (void elements, self-closing SVG shapes and elements whose
    end tag may be left out are not counted)."""
    depth = 0
    for close, name in _TAG_RE.findall(markup):
        if name.lower() in _NO_DEPTH:
            continue
        if close:
            depth = depth - 1 if depth else 0
        else:
            depth += 1
            if depth > limit:
                return True
    return False


def flat_text(markup: str) -> str:
    """Text of a page without an HTML parser: for pages the parser cannot take."""
    markup = re.sub(r"(?is)<(script|style|svg|head|noscript|template)\b[^>]*>.*?</\1\s*>", " ", markup)
    markup = re.sub(r"(?is)<!--.*?-->", " ", markup)
    markup = re.sub(r"(?i)<br\b[^>]*>", "\n", markup)
    markup = re.sub(r"(?i)</t[dh]\s*>", "\t", markup)
    markup = re.sub(r"(?i)</?(?:p|div|li|tr|table|h[1-6]|section|article|ul|ol|blockquote|pre|dd|dt)\b[^>]*>",
                    "\n", markup)
    markup = re.sub(r"<[^>]*>", "", markup)
    text = html.unescape(markup)
    return _tidy("\n".join(_SPACES_RE.sub(" ", line) for line in text.split("\n")))


def html_to_text(data: bytes, path: str = "<bytes>", main_only: bool = True) -> tuple[str, str, str]:
    """(text, encoding, how the main block was found) for HTML bytes; the text is not yet legacy-repaired."""
    from selectolax.lexbor import LexborHTMLParser

    markup, encoding = decode_html(data, path)
    if too_deep(markup):
        return flat_text(markup), encoding, "flat"
    tree = LexborHTMLParser(markup)
    for tag in DROP:
        for node in tree.css(tag):
            node.decompose()
    root, how = pick_main(tree) if main_only else (tree.body or tree.root, "body")
    if root is None:
        return "", encoding, how
    return render(root), encoding, how


def read_html(path: str, source: Source, options: ReadOptions) -> Text:
    from .legacy import repair

    with open(path, "rb") as fh:
        data = fh.read(options.max_bytes + 1)
    text, encoding, how = html_to_text(data, path)
    if len(text) > options.max_text_chars:
        raise TooLarge(path, f"text has {len(text):,} characters, over the {options.max_text_chars:,} limit")
    text, repaired = repair(text)
    if encoding in ("tcvn3", "vni"):  # the bytes themselves were converted while decoding
        repaired = encoding
    text = unicodedata.normalize("NFC", text)
    source.format = "html"
    source.encoding = encoding
    warnings = []
    if how == "body":
        warnings.append("main content of the page not recognised; whole page text kept")
    elif how == "densest":
        warnings.append("main content of the page guessed from text density")
    elif how == "flat":
        warnings.append(f"page nested over {MAX_DEPTH} elements deep: text taken from the raw markup")
    if repaired:
        source.encoding_repaired = repaired
        warnings.append(f"legacy {repaired.upper()} text converted to Unicode")
    return Text(text=text, source=source, warnings=warnings)
