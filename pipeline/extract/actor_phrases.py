"""The unit an actor phrase names ("Trên cơ sở …, giao Sở Tài chính chủ trì" -> "Sở Tài chính"): shared by the
task finder (sentences, sections, role lines) and the task-table reader."""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicons import HERE
from ..normalize import squash
from .issuers import expand_body_name


@lru_cache(maxsize=1)
def _trailers() -> re.Pattern:
    words = [ln.strip() for ln in (HERE / "actor_trailers.txt").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    alts = sorted(set(words), key=len, reverse=True)
    return re.compile(r"(?:,\s*|\s+)(?:" + "|".join(re.escape(w) for w in alts) + r")(?!\w)", re.I)


# The cue words that introduce the unit: "Trên cơ sở …, giao Sở Tài chính" → the unit after the last one.
_INTRO = re.compile(r"(?i)(?:^|[\s,;])(?:giao(?:\s+cho)?|đề nghị|yêu cầu|chỉ đạo|phân công)\s+(?=\S)")
# An actor is a unit, a group of units or an office holder: it starts like one.
_UNIT_START = re.compile(
    r"(?:các|mỗi|từng|toàn thể|thủ trưởng|người đứng đầu|lãnh đạo|cấp ủy|cấp uỷ|cơ quan|đơn vị|chủ đầu tư|"
    r"đồng chí|đ/c)\b|[A-ZĐ]", re.I)
# Words that start a clause, not a unit, although capitalised at a sentence start.
_NOT_UNIT = re.compile(
    r"(?i)^(?:đồng thời|tổ chức|thời gian|thời hạn|nội dung|trong|trên|theo|sau|trước|khi|nếu|để|căn cứ|"
    r"thực hiện|triển khai|rà soát|xây dựng|tiếp tục|tăng cường|chủ động|kịp thời|khẩn trương|hướng dẫn|"
    r"kiểm tra|tham mưu|báo cáo|định kỳ|hằng|hàng|việc|công tác|kết quả|stt|tt|trường hợp|khoản|điểm|điều|"
    r"mục|phần|chương|riêng|ngoài ra|bên cạnh|cùng với)\b")
_BARE_TYPES = re.compile(r"(?i)^(?:cơ quan|đơn vị|tổ chức)$")


def clean_actor(raw: str | None) -> str | None:
    """The unit named by an actor phrase, or None when the phrase names none: the part after the last
    assigning cue ("Trên cơ sở …, giao Sở Tài chính" → "Sở Tài chính"), cut before manner adverbs and
    qualifiers ("Ủy ban nhân dân tỉnh sớm", "Sở Y tế theo chức năng, nhiệm vụ"), abbreviations expanded."""
    if not raw:
        return None
    s = squash(raw).strip(" ,;:-–+•")
    last = None
    for m in _INTRO.finditer(s):
        last = m
    if last is not None and last.end() < len(s):
        s = s[last.end():]
    s = re.sub(r"^(?:cho|đối với|với)\s+", "", s)
    # "Trong phạm vi thẩm quyền của mình, Bộ Công an …", "Theo chức năng, nhiệm vụ, Sở …": the unit follows
    for _ in range(3):
        if not _NOT_UNIT.match(s):
            break
        m = re.search(r",\s+(?=[A-ZĐÀ-Ỹ]|các\s|Các\s)", s)
        if m is None:
            break
        s = s[m.end():]
    m = _trailers().search(s)
    if m and m.start() > 0:
        s = s[:m.start()]
    s = re.sub(r"\s*\((?:sau đây gọi (?:tắt )?là|gọi tắt là)[^)]*\)", "", s)
    s = s.strip(" ,;:-–+•")
    if not s or len(s) < 3 or len(s.split()) > 90:
        return None
    if not (s[:1].isupper() or _UNIT_START.match(s)) or _NOT_UNIT.match(s) or _BARE_TYPES.match(s) or \
            re.match(r"(?:của|cho|về|từ|tại|do|qua|với|và|thì|mà|để|là|nếu|khi)\s", s):
        return None
    return expand_body_name(s)
