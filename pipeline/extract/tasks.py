"""Action items (spec §9): who must do what, by when.

Two sources: (1) numbered items (1., a), -, I.) under a lead-in that assigns work ("… yêu cầu các
cấp công đoàn thực hiện một số nội dung sau:") or under a task heading (NHIỆM VỤ, GIẢI PHÁP, TỔ
CHỨC THỰC HIỆN); (2) single sentences that assign work ("giao Công an tỉnh nghiên cứu …", "Các bộ
… chịu trách nhiệm thi hành Nghị định này"). Background sections (MỤC ĐÍCH, YÊU CẦU) are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicons import HERE
from ..models import Task
from ..normalize import fold, squash
from .actor_phrases import clean_actor
from .deadlines import find_deadline, find_recurrence, find_report

_LABEL = re.compile(
    r"^[ \t]*(?P<label>"
    r"(?P<article>Điều[ \t]+\d{1,3}[a-z]?)\."
    r"|(?P<roman>[IVX]{1,5})[.\-–)]"
    r"|(?P<dotted>\d+(?:\.\d{1,3}){1,3})\.?"  # numbering has no upper bound (item 100, 1000, …)
    r"|(?P<arabic>\d+)[.)](?!\d)"
    r"|(?P<letter>[a-zđ])\)"
    r"|(?P<dash>[-–•])"
    r"|(?P<plus>\+)"
    r")[ \t]+(?=\S)"
)
_RANK = {"roman": 0, "article": 1, "arabic": 2, "dotted": 3, "letter": 4, "dash": 5, "plus": 6}
_TASK_HEADINGS = re.compile(r"nhiem vu|giai phap|to chuc thuc hien|trach nhiem|phan cong|noi dung|hinh thuc|"
                            r"hoat dong|de xuat|kien nghi|thi hanh|cac viec|bien phap")
# Closing formulas that repeat the request without a task of their own.
_BOILERPLATE = re.compile(r"^\s*(?:Đề nghị|Yêu cầu)\s+[^.;:]{0,120}?(?:nghiêm túc|khẩn trương|quan tâm)?\s*(?:triển khai\s+)?"
                          r"(?:thực hiện|triển khai)(?:\s+(?:tốt|nghiêm túc|có hiệu quả))?(?:\s+(?:các\s+)?(?:nội dung|văn bản|công văn|"
                          r"kế hoạch|thông báo)\s*(?:trên|này|nêu trên))?\s*[./]*\s*$", re.I)
# Self-reference of the document ("Nghị định này"): an obligation about the document itself is an
# implementation clause, the only kind of task normative texts (decrees, regulations) carry.
_SELF_REF = re.compile(r"(?:Nghị định|Thông tư liên tịch|Thông tư|Quyết định|Quy định|Quy chế|Hướng dẫn|Nghị quyết|Luật|Kế hoạch|"
                       r"Chỉ thị|Kết luận|Thông báo|Công văn|Văn bản)\s+này\b|thi hành\b", re.I)
_EFFECTIVE = re.compile(r"có\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:kể\s+)?từ\s+ngày\s+(?:(?P<sign>ký)|"
                        r"(?P<d>\d{1,2})[/\-.](?P<m>\d{1,2})[/\-.](?P<y>\d{4})|"
                        r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))", re.I)
MAX_BLOCKS = 5000
MAX_BLOCK_CHARS = 20000  # an action item is a paragraph, not a book
NORMATIVE_NAMES = {"Nghị định", "Thông tư", "Thông tư liên tịch", "Quy định", "Quy chế", "Hướng dẫn", "Luật",
                   "Pháp lệnh", "Hiến pháp", "Điều lệ", "Văn bản hợp nhất"}
# "Ngày 24/7/2024, Chủ tịch … có Công văn … giao …": an account of what happened, not an assignment
_NARRATIVE = re.compile(r"^\s*(?:\d{1,2}\s+)?(?:Ngày|Vừa qua|Trước đó|Thời gian qua|Năm \d{4})\b|^\s*\d{1,2}\s+(?:Công văn|Văn bản)\b")
_BACKGROUND = re.compile(r"muc dich|yeu cau|tinh hinh|ket qua|danh gia|can cu|quan diem|chi tieu|doi tuong|pham vi|"
                         r"thoi gian, dia diem|thanh phan|kinh phi")
_LEADIN = re.compile(r"(?:đề nghị|yêu cầu|giao|chỉ đạo|chỉ thị|thực hiện|triển khai|tập trung|như sau|sau đây|"
                     r"nội dung sau|nhiệm vụ sau|những việc sau|các việc sau|cụ thể)[^:]{0,200}:\s*$", re.I)


@lru_cache(maxsize=1)
def _verbs() -> tuple[str, ...]:
    words = [ln.strip() for ln in (HERE / "task_verbs.txt").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return tuple(sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _obligations() -> tuple[tuple[str, str], ...]:
    rows = []
    for ln in (HERE / "obligation_cues.txt").read_text(encoding="utf-8").splitlines():
        if ln.strip() and not ln.startswith("#"):
            kind, phrase = ln.split("\t")
            rows.append((kind, phrase))
    return tuple(rows)


@lru_cache(maxsize=1)
def _obligation_re() -> re.Pattern:
    phrases = sorted({p for _k, p in _obligations()}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _obligation_kinds() -> dict[str, str]:
    return {p: k for k, p in _obligations()}


@lru_cache(maxsize=1)
def _verb_re() -> re.Pattern:
    # a verb may be cut by a line end in layout text ("phối\nhợp"): any run of white space joins its words
    alts = (r"\s+".join(re.escape(w) for w in v.split()) for v in _verbs())
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.I)


@dataclass
class Block:
    start: int
    end: int
    text: str
    kind: str | None  # label kind, None for an unlabelled paragraph
    label: str | None
    children: list[Block] = field(default_factory=list)
    parent: Block | None = None
    heading: bool = False


def blocks(text: str, start: int, end: int, limit: int | None = None) -> list[Block]:
    """Paragraph blocks of the body: a new block at a label, after a blank line, or after a line that
    ends a sentence when the next one starts with a capital (PDF lines wrap mid-sentence)."""
    out: list[Block] = []
    pos = start
    cur: list[tuple[int, int]] = []
    label = kind = None
    prev_line = ""

    def flush():
        nonlocal cur, label, kind
        if cur:
            s, e = cur[0][0], cur[-1][1]
            out.append(Block(s, e, squash(text[s:e]), kind, label))
        cur, label, kind = [], None, None

    for raw in text[start:end].split("\n"):
        if limit is not None and len(out) > limit:
            break
        ls, le = pos, pos + len(raw)
        pos = le + 1
        stripped = raw.strip()
        if not stripped:
            flush()
            prev_line = ""
            continue
        m = _LABEL.match(raw)
        new_para = bool(m) or not cur or (prev_line.rstrip().endswith((".", ":", ";", "./.")) and stripped[:1].isupper()) \
            or (_caps_line(prev_line) and not _caps_line(stripped)) \
            or (len(cur) == 1 and stripped[:1].isupper() and label is not None and
                (_actor_heading(prev_line) is not None and len(prev_line.split()) <= 14 or
                 _is_section_title(_LABEL.sub("", prev_line, count=1))))  # "11. Sở Y tế" / "Chỉ đạo …"
        if new_para:
            flush()
            if m:
                kind = next(k for k in _RANK if m.group(k))
                label = m.group("label").strip()
        cur.append((ls + (len(raw) - len(raw.lstrip())), le))
        prev_line = stripped
    flush()
    return out


_ASSIGNING = re.compile(r"(?i)\b(?:đề nghị|yêu cầu|giao|chỉ đạo|chỉ thị|tham mưu|đề xuất|thông báo|kết luận|quyết định)\b")
_LIST_OPENER = re.compile(r"(?i)(?:(?:các|một số|những)\s+)?(?:nội dung|nhiệm vụ|việc|công việc|biện pháp|giải pháp|"
                          r"yêu cầu|vấn đề|ý kiến)\s+(?:cụ thể\s+)?(?:sau|như sau|sau đây)\s*:\s*$|như sau\s*:\s*$")


def _is_boilerplate(sentence: str) -> bool:
    """A closing formula ("Đề nghị các đơn vị nghiêm túc thực hiện."): the cue, who, and only the closing verb —
    another action verb in between makes it a task ("Đề nghị X vận động nhân dân tham gia triển khai")."""
    m = _BOILERPLATE.match(sentence)
    if not m:
        return False
    middle = re.sub(r"(?i)^\s*(?:Đề nghị|Yêu cầu)\s+", "", sentence)
    verbs = [v for v in _verb_re().finditer(middle) if not v.group(0)[:1].isupper()]
    return len(verbs) <= 2  # the closing "triển khai thực hiện" is two


def _is_leadin(text: str) -> bool:
    """A paragraph that opens a list of tasks: it assigns ("đề nghị …", "giao …", "chỉ thị:") and ends with ':'."""
    t = text.rstrip()
    if not t.endswith(":"):
        return False
    if re.search(r"(?i)(?:chỉ thị|yêu cầu|đề nghị|giao|kết luận)\s*:$", t):
        return True
    if re.search(r"(?i)\b(?:đề nghị|yêu cầu|giao|chỉ đạo|phân công)\b", t) and len(t.split()) <= 60 and \
            re.search(r"(?i)(?:thực hiện|triển khai|như sau|sau đây|sau|cụ thể|gồm)\s*:$", t):
        return True  # "Đề nghị các đơn vị thực hiện:", "UBND tỉnh giao các sở triển khai như sau:"
    if not _LIST_OPENER.search(t) or not _ASSIGNING.search(t):
        return False
    # "Sở Nội vụ báo cáo và đề xuất … như sau:" introduces a report, not a list of tasks
    return not (re.search(r"(?i)\bbáo cáo\b", t) and not re.search(r"(?i)\b(?:đề nghị|yêu cầu|giao)\b", t))


def _caps_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _tree(bl: list[Block]) -> list[Block]:
    roots: list[Block] = []
    stack: list[Block] = []
    merged: list[Block] = []
    for b in bl:
        if b.kind is None:
            if merged and b.text[:1].islower():
                # a paragraph broken by a page break: continue the previous block
                prev = merged[-1]
                prev.text = f"{prev.text} {b.text}"
                prev.end = b.end
                continue
            merged.append(b)
            # under a heading it is the heading's child; after an item it is that item's sibling
            holder = stack[-1] if stack and stack[-1].heading else (stack[-1].parent if stack else None)
            if holder is not None:
                b.parent = holder
                holder.children.append(b)
            else:
                roots.append(b)
            continue
        merged.append(b)
        while stack and _RANK[stack[-1].kind] >= _RANK[b.kind] and not _deeper_dotted(stack[-1], b):
            stack.pop()
        if stack:
            b.parent = stack[-1]
            stack[-1].children.append(b)
        else:
            roots.append(b)
        stack.append(b)
    return roots


def _deeper_dotted(parent: Block, child: Block) -> bool:
    return parent.kind in ("dotted", "arabic") and child.kind == "dotted" and \
        _clean_label(child.label).startswith(_clean_label(parent.label) + ".")


def _clean_label(label: str | None) -> str:
    if not label:
        return ""
    return label.strip().rstrip(".)-–").strip()


def _is_heading(b: Block) -> bool:
    body = _LABEL.sub("", b.text, count=1) if b.kind else b.text
    if b.kind == "article":
        return len(body) < 160 and not body.rstrip().endswith((".", ";"))
    letters = [c for c in body if c.isalpha()]
    caps = letters and sum(c.isupper() for c in letters) / len(letters) > 0.8
    if caps and len(body) < 160:
        return True
    # "3. Tổ chức thực hiện", "II. Nhiệm vụ cụ thể": a section title in sentence case
    return _is_section_title(body)


def _is_section_title(body: str) -> bool:
    body = body.strip().rstrip(":")
    if not body or len(body.split()) > 8 or body.endswith((".", ";", ",")):
        return False
    key = fold(body)
    return bool(re.fullmatch(r"(?:(?:cac )?(?:nhiem vu|giai phap|to chuc thuc hien|trach nhiem|phan cong|muc dich|yeu cau|"
                             r"danh gia chung|ket qua|tinh hinh|che do bao cao|kinh phi|bien phap|noi dung)"
                             r"(?:,| va| cu the| chu yeu| trong tam| thuc hien| trong thoi gian (?:den|toi))*\s*)+", key))


def _actor_after(text: str, pos: int) -> str | None:
    """Actor phrase after an assigning verb: up to the next action verb ("đề nghị <các cấp công đoàn> thực hiện")."""
    rest = text[pos:pos + 300]
    vm = _first_verb(rest)
    if vm is None:
        cut = _pos_verb_boundary(rest)
        if cut is not None:
            return squash(rest[:cut].strip(" ,")) or None
    stop = re.search(r"[:;.]|\s(?:để|nhằm)\s", rest)
    end = vm.start() if vm else None
    if stop and (end is None or stop.start() < end):
        end = stop.start() if vm is None or stop.start() < vm.start() else end
    if end is None:
        return None
    actor = rest[:end].strip(" ,")
    actor = re.sub(r"^(?:cho|đối với|với)\s+", "", actor)
    listed = _typed_list(actor, rest[end:])
    if listed:
        return listed
    # a list of several bodies is long; clean_actor cuts what follows it ("theo chức năng, nhiệm vụ …")
    if not actor or len(actor.split()) > 60 or len(actor) < 3:
        return None
    return squash(actor)


_TYPED_GROUP = re.compile(r"(?i)^(?P<head>(?:(?:giám đốc|thủ trưởng|lãnh đạo)\s+)?)các\s+(?P<type>sở|bộ|ban|hội|phòng|"
                          r"trường|trung tâm|cục|chi cục)$")


def _typed_list(group: str, after: str) -> str | None:
    """"các Sở: Tài chính, Xây dựng và Nội vụ …" names the units: "Sở Tài chính, Sở Xây dựng, Sở Nội vụ"."""
    m = _TYPED_GROUP.match(group.strip())
    if not m or not after.startswith(":"):
        return None
    body = after[1:]
    vm = _first_verb(body)
    stop = re.search(r"[;.]", body)
    cut = min(x.start() for x in (vm, stop) if x) if (vm or stop) else len(body)
    typ = m.group("type")
    typ = typ[:1].upper() + typ[1:]
    # commas separate the names; "và" is left alone ("Giáo dục và Đào tạo" is one department)
    names = [p for p in split_units(body[:cut]) if p[:1].isupper()]
    if not names:
        return None
    head = m.group("head").strip()
    return ", ".join(f"{head + ' ' if head else ''}{typ} {n}" for n in names)


@lru_cache(maxsize=1)
def _org_start() -> re.Pattern:
    heads = [ln.strip() for ln in (HERE / "unit_heads.txt").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return re.compile(r"(?:" + "|".join(re.escape(h) for h in sorted(set(heads), key=len, reverse=True)) + r")\b")



def _first_verb(text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
    """The first action verb from `pos`, skipping capitalised matches: "Sở Xây dựng", "Ban Tổ chức" are names."""
    for m in _verb_re().finditer(text, pos, len(text) if endpos is None else endpos):
        if m.group(0)[:1].isupper() or _QUANTIFIED.search(text, 0, m.start()):
            continue  # "các tổ chức chính trị - xã hội": after a quantifier the word is a noun
        return m
    return None


# a quantifier right before a word makes it a noun ("các tổ chức", "mỗi hoạt động"), not an action verb
_QUANTIFIED = re.compile(r"(?i)(?<!\w)(?:các|những|mỗi|từng|một số|mọi)\s+$")
# A fronted adverbial before the subject: "Trong quá trình thực hiện, Thủ trưởng các đơn vị chủ động …"
_FRONTED = re.compile(r"(?i)^(?:trong (?:quá trình|thời gian|khi|trường hợp|phạm vi)|quá trình|khi|sau khi|trước khi|"
                      r"trường hợp|trên cơ sở|căn cứ|theo|định kỳ|hằng năm|hàng năm|hằng quý|hằng tháng)\b")
# After a preposition a unit is an object, not the subject: "… của Sở Tài chính", "… với Công an tỉnh"
_PREPOSITION_BEFORE = re.compile(r"(?i)(?<!\w)(?:của|với|cho|tại|về|từ|đến|theo|do|qua|trước|và)\s+$")
_HANDS_ON = re.compile(r"(?i)^\s*(?:\S+\s+){1,8}?(?:giao(?:\s+cho)?|đề nghị|yêu cầu)\s+(?=\S)")
# "Nhiệm vụ của Tổ công tác", "Trách nhiệm của Sở Nội vụ": the unit whose tasks follow
_OWNER = re.compile(r"(?i)(?:nhiệm vụ|trách nhiệm)(?:,?\s*(?:và\s+)?quyền hạn)?\s+của\s+(.{3,120})$")
_GROUP_SUBJECT = re.compile(r"(?:các|mỗi|từng|thủ trưởng|người đứng đầu|lãnh đạo)\s")
# Actors named after the work: "…: giao X thực hiện", "… do X chủ trì", "… (X chủ trì, Y phối hợp)"
_LATE_GIVE = re.compile(r"(?:[:;,–-]\s*|\s)(?:giao|Giao)(?:\s+cho)?\s+(?=[A-ZĐÀ-Ỹ]|các\s)")
_DO_ACTOR = re.compile(r"(?<!\w)do\s+(?P<a>[A-ZĐÀ-Ỹ][^;:.()]{2,160}?)\s+(?:chủ trì|chịu trách nhiệm|phụ trách|"
                       r"đảm nhiệm|thực hiện|tổ chức thực hiện)(?!\w)")
_PAREN_LEAD = re.compile(r"\(\s*(?:giao\s+)?(?P<a>[A-ZĐÀ-Ỹ][^()]{2,160}?)\s+(?:chủ trì|chịu trách nhiệm|thực hiện)(?!\w)")


def _fronted_subject(body: str) -> str | None:
    """The subject after a fronted adverbial ("Trong quá trình triển khai(,) Chủ tịch UBND các xã chủ động …"):
    the first unit-like phrase after the adverbial that is not the object of a preposition."""
    if not _FRONTED.match(body):
        return None
    org = _org_start()
    window = body[:200]
    first = None  # the first capitalised unit that is not a preposition's object
    for m in org.finditer(window, 3):
        if window[m.start() - 1:m.start()].isspace() and m.group(0)[:1].isupper() and \
                not _PREPOSITION_BEFORE.search(window, 0, m.start()):
            first = m.start()
            break
    commas = list(re.finditer(r",\s+", window[:first]))
    for comma in commas:
        # "Trong quá trình thực hiện, nếu có vướng mắc, các cơ quan … phản ánh …": the unit after a comma
        if org.match(window, comma.end()) or _GROUP_SUBJECT.match(window, comma.end()):
            return body[comma.end():]
    # without a comma the subject follows the adverbial directly; after a comma that starts no unit, the
    # capitalised name further on is more often an object or a clause's subject than the item's own
    return body[first:] if first is not None and not commas else None


def late_actor(text: str) -> str | None:
    """A unit named after the work it is given: "Hướng dẫn …: giao Cục Thuế tỉnh thực hiện", "Kiểm tra … do Sở
    Y tế chủ trì", "Tổ chức tập huấn (Sở Công Thương chủ trì, các cơ quan liên quan phối hợp)"."""
    m = _LATE_GIVE.search(text, 1)
    if m:
        got = clean_actor(_actor_after(text, m.end()))
        if got:
            return got
    for rx in (_DO_ACTOR, _PAREN_LEAD):
        m = rx.search(text)
        if m and _org_start().match(m.group("a")):  # "(Một số nhiệm vụ … thực hiện …)" names no unit
            got = clean_actor(m.group("a"))
            if got:
                return got
    return None


def _item_subject(text: str) -> str | None:
    """'Ban Tuyên giáo duy trì …', 'Mỗi LĐLĐ tỉnh lựa chọn …': the body named before the first verb."""
    body = _LABEL.sub("", text, count=1).lstrip()
    if not _org_start().match(body):
        body = _fronted_subject(body) or ""
        if not body:
            return None
    vm = _first_verb(body, 2)
    stop = re.search(r"[:;.(]", body)
    if vm is None or (stop and stop.start() < vm.start()):
        return None
    head = body[:vm.start()].strip(" ,")
    # "Sở Xây dựng được giao chủ trì …", "X được phân công …": the passive names the unit that acts
    head = re.sub(r"(?i)\s+được\s+(?:giao|phân công)(?:\s+(?:nhiệm vụ|trách nhiệm))?$", "", head)
    if not head or len(head.split()) > 25:
        return None
    if re.search(r"(?i)\s(?:giao|đề nghị|yêu cầu)\s", " " + head + " "):
        return None  # "X giao Y …": Y acts, not X
    return squash(head)


def _actor_heading(text: str) -> str | None:
    """'1. Sở Y tế:' or '1. Trung tâm Kiểm soát bệnh tật tỉnh' — a list item that only names who acts."""
    body = _LABEL.sub("", text, count=1).strip()
    colon = body.endswith(":")
    body = body.rstrip(":").strip()
    # "Giao Công an tỉnh:", "Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh:" name the unit as well
    body = re.sub(r"^(?:Giao|Đề nghị|Yêu cầu)\s+(?:cho\s+)?(?=\S)", "", body)
    if not body or len(body.split()) > (40 if colon else 16) or not _org_start().match(body) or body.endswith((".", ";")):
        return None
    if _first_verb(body, 2) and not colon:
        return None
    return clean_actor(body) if colon else squash(body)


def _pos_verb_boundary(fragment: str) -> int | None:
    """Where the actor phrase ends when no lexicon verb follows it: the first verb underthesea's POS tagger
    finds after a noun phrase. Only called on this rare path: tagging costs milliseconds per sentence."""
    try:
        from underthesea import pos_tag
    except Exception:  # underthesea missing or its model unavailable: the lexicon result stands
        return None
    frag = re.split(r"[.;:]", fragment, maxsplit=1)[0][:200]
    pos = 0
    seen_noun = False
    for word, tag in pos_tag(frag):
        at = frag.find(word, pos)
        if at < 0:
            continue
        pos = at + len(word)
        if tag.startswith("N"):
            seen_noun = True
        elif tag == "V" and seen_noun and word[:1].islower():  # "Ban Quản lý …": a verb inside a name
            return at
    return None


def _actor_before(sentence: str, pos: int) -> str | None:
    """Actor phrase before 'chịu trách nhiệm' / 'chủ trì': the sentence start up to the cue."""
    head = sentence[:pos].strip(" ,")
    if "(" in head and ")" not in head[head.rindex("("):]:
        head = head[head.rindex("(") + 1:]  # "Tổ chức tập huấn (Sở X chủ trì, …)": the unit inside the parenthesis
    head = re.sub(r"^[ \t]*(?:Điều[ \t]+\d{1,3}[a-z]?\.|[IVX]{1,5}[.\-–)]|\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|[a-zđ]\)|[-–•+])[ \t]*",
                  "", head)
    head = re.sub(r"^(?:Điều\s+\d+\.?\s*)", "", head)
    head = re.sub(r"^\s*[-+•]\s*", "", head)
    # "Chánh Văn phòng …; Giám đốc các Sở …; Chủ tịch … chịu trách nhiệm thi hành": a long list is normal here
    if not head or len(head.split()) > 90:
        return None
    return squash(head)


_ACTOR_START_WORDS = re.compile(r"\s*(?:các|cơ quan|đơn vị|thủ trưởng|chủ tịch|giám đốc|đồng chí|đ/c|mỗi|từng)\b")


def _actor_starts(text: str) -> bool:
    """After an assigning cue: a unit starts with a capital (any Vietnamese capital: "Ủy ban", "Đoàn") or with
    a lower-case group word ("các sở", "thủ trưởng các đơn vị")."""
    return bool(_ACTOR_START_WORDS.match(text)) or text.lstrip()[:1].isupper()


def _obligation(sentence: str, head_only: bool = False) -> tuple[bool, str | None, list[str]]:
    """Whether one sentence assigns work, its actor and co-operating bodies.
    head_only: only an assignment at the start of the text counts (inside list items)."""
    best = None
    kinds = _obligation_kinds()
    for m in _obligation_re().finditer(sentence):
        kind = kinds[m.group(0).lower()]
        if True:
            after = sentence[m.end():m.end() + 30]
            if kind == "assign" and not _actor_starts(after):
                if _verb_re().match(after.strip()):
                    kind = "assign-open"  # "đề nghị gửi về …": an obligation whose actor is the addressee
                else:
                    continue  # "công tác chỉ đạo, tạo …": a noun, not an assignment
            if head_only and kind.startswith("assign") and len(sentence[:m.start()].split()) > 8:
                continue
            best = (m.start(), m.end(), kind)
            break  # matches come in text order: the first valid one wins
    if best is None:
        return False, None, []
    s, e, kind = best
    if kind == "assign":
        actor = _actor_after(sentence, e)
    elif kind == "assign-open":
        actor = None
    else:
        actor = _actor_before(sentence, s)
    return True, actor, cooperating(sentence)


def cooperating(sentence: str) -> list[str]:
    """The partners of "phối hợp (với) Y …": the units up to the next action verb."""
    cm = re.search(r"(?i)phối hợp(?: chặt chẽ)?(?: với)?\s+([^;.:]{3,200})", sentence)
    if not cm:
        return []
    part = cm.group(1)
    vm = _first_verb(part, 3)
    stop = re.search(r"\s(?:để|nhằm|trong|theo|tổ chức|thực hiện)\s", part)
    cut = min(x.start() for x in (vm, stop) if x) if (vm or stop) else len(part)
    return [u for u in split_units(part[:cut]) if clean_actor(u)]


def split_units(phrase: str) -> list[str]:
    """'Sở Tài chính, Sở Giáo dục và Đào tạo và các xã' → the units: split at ',' ';' and at 'và' only when a
    unit name follows ("Sở Giáo dục và Đào tạo" stays whole); a lower-case segment continues a list of kinds
    ("các sở, ban, ngành")."""
    parts = re.split(r"\s*[,;]\s*|\s+và\s+(?=(?:các|Các|UBND|Ủy ban|Uỷ ban|Sở|Ban|Bộ|Công an|Trung tâm|Hội|Liên đoàn|"
                     r"Văn phòng|Thanh tra|Phòng|Cục|Chi cục|Đoàn|Tòa án|Viện|Kho bạc|Bảo hiểm|Ngân hàng)\b)", phrase)
    out: list[str] = []
    for p in parts:
        p = squash(p).strip(" .")
        if not p:
            continue
        if out and p[:1].islower() and not p.startswith("các ") and out[-1].lower().startswith(("các ", "sở", "ban")):
            out[-1] = f"{out[-1]}, {p}"  # "các sở, ban, ngành": one group
            continue
        if len(p.split()) <= 14:
            out.append(p)
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])|\./\.", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _make_task(text: str, tid: str, label: str | None, actor: str | None, coop: list[str], start: int, end: int,
               doc_date: str | None, notes: list[str]) -> Task:
    body = _LABEL.sub("", text, count=1).strip()
    deadline = find_deadline(body, doc_date, notes)
    rec = find_recurrence(body)
    kind = "action"
    report_to = None
    subtasks: list[Task] = []
    actors = _split_actors(actor) if actor else []
    rep = find_report(body, doc_date)
    if rep and rep.leading:
        # the item is itself a report obligation ("Báo cáo kết quả về Sở Y tế trước ngày …")
        kind, report_to = "report", rep.to
        deadline = rep.deadline or deadline
    elif rep:
        # "…, hoàn thành trước 31/3; hằng năm báo cáo … trước 15/11": the report has its own deadline
        own = find_deadline(body[:rep.start], doc_date, notes)
        own_rec = find_recurrence(body[:rep.start])
        report_to = rep.to
        if own is None and own_rec is None:
            # "rà soát …, báo cáo kết quả về Z trước ngày D": one task, closed by the report's day
            deadline = rep.deadline or deadline
            rec = rep.recurrence or rec
            return Task(id=tid, text=body, actors=actors, deadline=deadline, recurrence=rec.kind if rec else None,
                        rrule=rec.rrule if rec else None, cooperating=coop, kind=kind, report_to=report_to,
                        label=label, start=start, end=end)
        deadline, rec = own, own_rec
        subtasks.append(Task(id=f"{tid}.r", text=rep.text, actors=list(actors), deadline=rep.deadline,
                             recurrence=rep.recurrence.kind if rep.recurrence else None,
                             rrule=rep.recurrence.rrule if rep.recurrence else None, kind="report",
                             report_to=rep.to, start=start, end=end))
    return Task(id=tid, text=body, actors=actors, deadline=deadline, recurrence=rec.kind if rec else None,
                rrule=rec.rrule if rec else None, cooperating=coop, kind=kind, report_to=report_to,
                label=label, start=start, end=end, subtasks=subtasks)


def _split_actors(actor: str) -> list[str]:
    # "Ban Tuyên giáo chủ trì, phối hợp …" is cut before; keep one lead unless clearly a list of bodies
    cleaned = clean_actor(actor)
    return [cleaned] if cleaned else []


_SHORT = re.compile(r"(?:Trung tâm|Công ty|Tổng công ty|Ban Quản lý|Ban Chỉ đạo|Ban|Sở|Hội|Trường|Bệnh viện|Viện|"
                    r"Cục|Chi cục|Phòng|Quỹ|Hợp tác xã|Tổ công tác|Đoàn)$")


def resolve_short_name(actor: str, text: str, before: int) -> str:
    """A unit named by its type alone ("Trung tâm", "Công ty") is the one of that type the document named in
    full before this point ("Trung tâm Phục vụ hành chính công tỉnh"); unchanged when there is none."""
    if not _SHORT.fullmatch(actor.strip()):
        return actor
    word = actor.strip()
    pat = re.compile(re.escape(word) + r"(?:\s+[^\s,;:.()]+){1,10}")
    best = None
    for m in pat.finditer(text, 0, before):
        phrase = m.group(0)
        cut = _first_verb(phrase, len(word))
        if cut:
            phrase = phrase[:cut.start()]
        phrase = re.split(r"\s(?:có|đã|sẽ|đang|được|là|về|tại|trong|theo|để|và các)\s", phrase + " ", maxsplit=1)[0]
        tail = phrase[len(word):].split()
        # a proper name: the word after the type is capitalised ("Trung tâm Y tế", not "Trung tâm sẽ …")
        if tail and tail[0][:1].isupper():
            best = clean_actor(phrase) or best
    return best or actor


def effective_date(text: str, doc_date: str | None) -> str | None:
    """'có hiệu lực (thi hành) (kể) từ ngày …' — the day obligations start."""
    from .dates import make_date

    m = _EFFECTIVE.search(text)
    if not m:
        return None
    if m.group("sign"):
        return doc_date
    if m.group("d"):
        return make_date(m.group("y"), m.group("m"), m.group("d"))
    return make_date(m.group("y2"), m.group("m2"), m.group("d2"))


# Layout 2 role lines under an item: "Đơn vị chủ trì: X", "Phối hợp: Y", "Thời gian hoàn thành: Z", "Sản phẩm: …".
_ROLE_LINE = re.compile(
    r"[ \t]*(?:[-+•*][ \t]*)?(?P<role>(?:Đơn vị|Cơ quan|Bộ phận)[ \t]+(?:chủ trì|thực hiện|phối hợp|tham mưu)|"
    r"Chủ trì(?:[ \t]+thực hiện)?|Phối hợp(?:[ \t]+thực hiện)?|Thời gian(?:[ \t]+(?:hoàn thành|thực hiện))?|"
    r"Thời hạn(?:[ \t]+hoàn thành)?|Tiến độ(?:[ \t]+thực hiện)?|Sản phẩm(?:[ \t]+(?:đầu ra|chính))?|"
    r"Kết quả đầu ra|Hình thức văn bản)[ \t]*:[ \t]*(?P<val>[^\n]*)", re.I)
_NOT_TASK = re.compile(r"(?i)^\s*(?:văn bản|công văn|quyết định|kế hoạch|thông báo) này thay thế\b|"
                       r"^\s*(?:khoản|điểm|điều)\s+\d[^:]{0,200}\bquy định\s*:|"
                       r"^\s*(?:trân trọng|xin trân trọng|kính chúc|chúc)\b")


def _roles(text: str, b: Block) -> dict[str, str]:
    """Role lines inside an item's paragraph or as its first sub-items (layout 2)."""
    out: dict[str, str] = {}
    spans = [(b.start, b.end)] + [(c.start, c.end) for c in b.children if _ROLE_LINE.match(text, c.start)]
    for s, e in spans:
        for line in text[s:e].split("\n"):
            m = _ROLE_LINE.fullmatch(line.rstrip())
            if not m:
                continue
            role = fold(m.group("role"))
            val = squash(m.group("val")).rstrip(" .;")
            if not val:
                continue
            if "phoi hop" in role:
                out.setdefault("coop", val)
            elif "chu tri" in role or "thuc hien" in role and "thoi gian" not in role or "tham muu" in role:
                out.setdefault("lead", clean_actor(val) or val)
            elif role.startswith(("thoi", "tien do")):
                out.setdefault("deadline", val)
            else:
                out.setdefault("deliverable", val)
    return out


def _apply_roles(t: Task, roles: dict[str, str], doc_date: str | None, notes: list[str]) -> None:
    if not roles:
        return
    if roles.get("lead"):
        t.actors = [roles["lead"]]
    if roles.get("coop"):
        t.cooperating = [squash(x) for x in re.split(r"\s*[;,]\s*(?=[A-ZĐÀ-Ỹ]|các\b)", roles["coop"]) if x.strip()]
    if roles.get("deadline"):
        from .deadlines import deadline_from_cell

        dl = deadline_from_cell(roles["deadline"], doc_date, notes)
        if dl is not None:
            t.deadline = dl
        rec = find_recurrence(roles["deadline"])
        if rec and not t.recurrence:
            t.recurrence, t.rrule = rec.kind, rec.rrule
    if roles.get("deliverable"):
        t.deliverable = roles["deliverable"]
    # the item's text ends before its role lines
    cut = _ROLE_LINE.search(t.text)
    if cut and cut.start() > 10:
        t.text = t.text[:cut.start()].rstrip(" ;,-")


def _substantive_leadin(item_text: str, found: bool) -> bool:
    """A lead-in ending with ':' that carries an action of its own, beyond naming who acts."""
    body = re.sub(r"(?i)(?:;|,)?\s*(?:trong đó|cụ thể|như sau|gồm|bao gồm)[^:]{0,40}:\s*$", "", item_text).rstrip(" :")
    if body == item_text.rstrip(" :"):
        return False
    return found and len(body.split()) >= 20 and bool(_verb_re().search(body))


def _unit_heading_followed(b: Block) -> bool:
    return b.text.rstrip().endswith(":") or len(b.text.split()) <= 12 and not b.text.rstrip().endswith((".", ";"))


def extract_tasks(text: str, body: tuple[int, int], doc_date: str | None, default_actors: list[str] | None = None,
                  notes: list[str] | None = None, normative: bool = False) -> list[Task]:
    """Action items of the body. ``normative``: a decree, circular, regulation or guidance, whose body
    states rules; only its implementation clauses are tasks."""
    notes = notes if notes is not None else []
    bl = blocks(text, body[0], body[1], limit=MAX_BLOCKS)
    if len(bl) > MAX_BLOCKS:
        # hostile or non-dispatch input: a real dispatch has a few hundred paragraphs at most
        notes.append(f"task search stopped after {MAX_BLOCKS} paragraphs")
        bl = bl[:MAX_BLOCKS]
    if any(len(b.text) > MAX_BLOCK_CHARS for b in bl):
        notes.append(f"paragraphs over {MAX_BLOCK_CHARS} characters skipped in the task search")
        bl = [b for b in bl if len(b.text) <= MAX_BLOCK_CHARS]
    from .task_tables import find_table_tasks

    # task tables anywhere after the header (an appendix follows the signature): their rows are tasks of
    # their own, and their cells are not paragraphs for the finder below
    table_tasks, table_spans = find_table_tasks(text, 0, len(text), doc_date, body_end=body[1], notes=notes)
    if table_spans:
        bl = [b for b in bl if not any(s <= b.start < e for s, e in table_spans)]
    for b in bl:
        b.heading = bool(b.kind) and _is_heading(b)
    roots = _tree(bl)
    tasks: list[Task] = []
    used: set[int] = set()

    def walk(nodes: list[Block], path: list[str], in_tasks: bool, lead_actor: str | None, in_background: bool,
             unit_section: bool = False):
        """unit_section: the nodes sit under a heading that names the unit ("1. Sở Nội vụ:", "Giao Công an
        tỉnh chịu trách nhiệm:"): every item is a task of that unit unless it names its own subject."""
        lead = lead_actor
        unit_section_in = unit_section
        section_kind: str | None = None
        counters: dict[str, int] = {}
        for k_b, b in enumerate(nodes):
            if id(b) in used:
                continue
            lab = _clean_label(b.label)
            if b.kind in ("dash", "plus", None):
                counters[b.kind or "p"] = counters.get(b.kind or "p", 0) + 1
                seg = str(counters[b.kind or "p"])
            else:
                seg = lab
            my_path = path + [seg] if b.kind else path
            if b.kind == "dotted" and path and lab.startswith(path[-1] + "."):
                my_path = path[:-1] + [lab]
            heading_txt = fold(_LABEL.sub("", b.text, count=1))[:120]
            if b.heading:
                heading_actor = _actor_heading(b.text) if b.children else None
                if heading_actor is None and b.children and _caps_line(b.text):
                    # "2. BỘ NỘI VỤ": a unit printed in capitals
                    from .issuers import recase

                    body = _LABEL.sub("", b.text, count=1).strip()
                    named = _actor_heading(recase(body.rstrip(":")) + (":" if body.endswith(":") else ""))
                    heading_actor = named if named and not _TASK_HEADINGS.search(fold(body)) and \
                        not _BACKGROUND.search(fold(body)) else None
                owner = _OWNER.search(_LABEL.sub("", b.text, count=1).strip().rstrip(":."))
                if owner and clean_actor(owner.group(1)) and not in_background:
                    # "Điều 2. Nhiệm vụ của Tổ công tác": the unit whose tasks the article lists
                    walk(b.children, my_path, True, clean_actor(owner.group(1)), False, True)
                    continue
                if heading_actor and (in_tasks or lead is not None) and not in_background:
                    walk(b.children, my_path, True, heading_actor, False, True)
                    continue
                task_sec = bool(_TASK_HEADINGS.search(heading_txt))
                bg = bool(_BACKGROUND.search(heading_txt)) and not task_sec
                walk(b.children, my_path, task_sec or (in_tasks and not bg), lead_actor, bg)
                continue
            if _ROLE_LINE.match(text, b.start):
                continue  # a role line of the previous item, read with it
            if section_kind is not None and b.kind == section_kind:
                # the next item of the unit heading's rank ends that unit's section
                lead, unit_section, section_kind = lead_actor, unit_section_in, None
            found, actor, coop = _obligation(b.text, head_only=b.kind is not None)
            if b.kind is None:
                # unlabelled paragraph: a unit heading, a lead-in, or sentences that assign work
                heading_actor = _actor_heading(b.text) if b.text.rstrip().endswith(":") else None
                if heading_actor and (in_tasks or lead is not None) and not in_background and not normative:
                    lead, unit_section = heading_actor, True
                    continue
                if _is_leadin(b.text) and not normative:
                    lead = clean_actor(actor) or ""  # "" = items are tasks, addressed to the recipients
                    continue
                if _LEADIN.search(b.text[-300:]) or in_background:
                    continue
                for s, e in _sentences(b.text):
                    sent = b.text[s:e]
                    ok, a, c = _obligation(sent)
                    if normative and not in_tasks and not (ok and (_SELF_REF.search(sent) or a and
                                                                    re.match(r"(?i)\s*giao\b", sent))):
                        continue
                    if re.search(r"(?i)có\s+hiệu\s+lực", sent) and not (ok and a) or _NARRATIVE.match(sent):
                        continue
                    if _is_boilerplate(sent) or _NOT_TASK.search(sent):
                        continue
                    rep = find_report(sent)
                    # outside a task list, "X báo cáo kết quả về … trước ngày …" is a task when X names a body
                    dated_report = (not ok and not (in_tasks or unit_section) and rep is not None and
                                    rep.deadline is not None and rep.deadline.date is not None and
                                    _names_body(_report_subject(sent, rep)))
                    subj = _item_subject(sent) if (in_tasks or unit_section) and not (ok and a) else None
                    if dated_report:
                        subj = _report_subject(sent, rep)
                    if ok or dated_report or ((in_tasks or unit_section) and (_verb_re().match(sent.strip()) or subj
                                                                              or rep)):
                        tid = ".".join(path + [str(len(tasks) + 1)]) if path else str(len(tasks) + 1)
                        own = clean_actor(a) if ok else None
                        late = None if (own or subj) else late_actor(sent)
                        handed = own if own and _HANDS_ON.match(sent) else None
                        who = (clean_actor(subj) or handed or late or lead) if unit_section else \
                            (own or clean_actor(subj) or late or lead)
                        tasks.append(_make_task(sent, tid, None, who, c, b.start, b.end, doc_date, notes))
                continue
            if re.search(r"(?i)có\s+hiệu\s+lực", b.text) and not actor:
                walk(b.children, my_path, in_tasks, lead, in_background)
                continue
            if normative and not in_tasks and not (found and _SELF_REF.search(b.text)):
                walk(b.children, my_path, False, lead, in_background)
                continue
            heading_actor = _actor_heading(b.text) if (b.children or _unit_heading_followed(b)) else None
            if heading_actor and (in_tasks or lead is not None or _TASK_HEADINGS.search(heading_txt) or
                                  b.children) and not in_background:
                # the item names the body; its sub-items (or the paragraphs after it) are that body's tasks
                if b.children:
                    walk(b.children, my_path, True, heading_actor, False, True)
                else:
                    lead, unit_section, section_kind = heading_actor, True, b.kind
                continue
            item_text = _LABEL.sub("", b.text, count=1).strip()
            roles = _roles(text, b)
            for sib in nodes[k_b + 1:]:
                # role lines printed as paragraphs of their own after the item
                if not _ROLE_LINE.match(text, sib.start):
                    break
                for key, val in _roles(text, Block(sib.start, sib.end, sib.text, None, None)).items():
                    roles.setdefault(key, val)
            own_actor = clean_actor(actor) if found else None
            subject = clean_actor(_item_subject(b.text))
            if b.children and not roles and (item_text.endswith(":") or (len(item_text.split()) <= 8 and
                                                                      not item_text.endswith((".", ";")))):
                # "1. Nội dung tuyên truyền", "2. Giao X chịu trách nhiệm:": a container of its sub-items; a
                # long lead-in that is itself an action ("Yêu cầu X … đẩy nhanh …; trong đó lưu ý:") is a task too
                # "1. Trách nhiệm của Sở Nội vụ": the unit of its sub-items (which are tasks or not as before)
                owner = _OWNER.search(item_text.rstrip(":."))
                sub_actor = subject or own_actor or (clean_actor(owner.group(1)) if owner else None) or lead
                names_unit = bool(subject or own_actor)
                if _substantive_leadin(item_text, found) and not in_background:
                    t = _make_task(b.text, ".".join(my_path), b.label.strip() if b.label else None, sub_actor,
                                   coop, b.start, b.end, doc_date, notes)
                    tasks.append(t)
                    child_start = len(tasks)
                    walk(b.children, my_path, True, sub_actor, False, names_unit)
                    t.subtasks = tasks[child_start:]
                    del tasks[child_start:]
                    continue
                walk(b.children, my_path, in_tasks or lead is not None or names_unit, sub_actor, in_background,
                     names_unit or unit_section)
                continue
            if _is_boilerplate(item_text) or _NOT_TASK.search(item_text):
                continue
            is_task = in_tasks or lead is not None or own_actor is not None or bool(roles) or unit_section
            if is_task and not unit_section and not roles and not (
                    found or _verb_re().match(item_text) or subject or find_report(item_text)):
                is_task = False  # "Những điểm mới của Luật …": content, not an action
            if in_background or not is_task:
                walk(b.children, my_path, False, lead, in_background)
                continue
            late = None if (subject or own_actor) else late_actor(item_text)
            if unit_section:
                # under a unit's heading an item keeps the unit, unless it hands the work on by name
                # ("Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở …", "Đề nghị Ủy ban Mặt trận …")
                handed = own_actor if own_actor and _HANDS_ON.match(item_text) else None
                item_actor = subject or handed or late or lead
            else:
                item_actor = subject or own_actor or late or lead
            # "1. Ban Tuyên giáo Tỉnh ủy: chủ trì …" – the body named before a colon leads the item
            cm = re.match(r"^\s*([^:]{3,120}):\s", item_text + " ")
            if cm and not own_actor and _org_start().match(cm.group(1).strip()) and clean_actor(cm.group(1)):
                item_actor = clean_actor(cm.group(1))
            if roles.get("lead"):
                item_actor = roles["lead"]
            t = _make_task(b.text, ".".join(my_path), b.label.strip() if b.label else None, item_actor,
                           coop or cooperating(b.text), b.start, b.end, doc_date, notes)
            _apply_roles(t, roles, doc_date, notes)
            used.add(id(b))
            tasks.append(t)
            if b.children:
                child_start = len(tasks)
                walk([c for c in b.children if not _ROLE_LINE.match(text, c.start)], my_path, True, item_actor,
                     False, unit_section)
                t.subtasks = tasks[child_start:]
                del tasks[child_start:]
        return lead

    walk(roots, [], False, None, False)
    tasks.extend(table_tasks)
    eff = effective_date(text[body[0]:body[1]], doc_date)
    if eff:
        for t in _flatten(tasks):
            if t.deadline is None and _SELF_REF.search(t.text):
                from ..models import Deadline

                t.deadline = Deadline(text="có hiệu lực thi hành", date=eff)
    for t in _flatten(tasks):
        if t.actors and t.start is not None:
            t.actors = [resolve_short_name(a, text, t.start) for a in t.actors]
    flat = _flatten(tasks)
    dated = {t.deadline.date for t in flat if t.deadline and t.deadline.date}
    if not normative and 1 < len(flat) <= 3 and len(dated) == 1:
        # a short request with one reply date ("… gửi về Bộ Nội vụ trước ngày 30/9/2025"): that date closes
        # every item of the request
        src = next(t.deadline for t in flat if t.deadline and t.deadline.date)
        for t in flat:
            if t.deadline is None:
                t.deadline = src
                notes.append(f"deadline {src.date} of the request applied to item {t.id}")
    if default_actors:
        for t in _flatten(tasks):
            if not t.actors:
                t.actors = list(default_actors)
    return tasks


def _names_body(phrase: str) -> bool:
    """An actor phrase that opens with the name of a body ("Các Liên đoàn Lao động tỉnh", "Sở Y tế")."""
    from .segment import starts_body

    head = re.sub(r"(?i)^\s*(?:các|mỗi|từng)\s+", "", phrase)
    return bool(head) and clean_actor(phrase) is not None and starts_body(head.upper())


def _report_subject(sent: str, rep) -> str:
    """The unit that must report: the words before "báo cáo" when the sentence opens with it ("Các sở, ngành báo
    cáo kết quả về … trước ngày …")."""
    m = re.search(r"\s(?:gửi\s+)?báo\s+cáo\b", sent)
    return sent[:m.start()] if m else ""


def _flatten(tasks: list[Task]) -> list[Task]:
    out = []
    for t in tasks:
        out.append(t)
        out.extend(_flatten(t.subtasks))
    return out


flatten_tasks = _flatten
