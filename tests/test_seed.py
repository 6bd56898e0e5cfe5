"""The dispatch this project started from comes out as its gold record says (spec §13)."""

import json

import pytest

from pipeline import extract
from pipeline.eval import ref_key
from pipeline.extract.references import VI_RELATION
from pipeline.schema import validate


@pytest.fixture(scope="module")
def seed(seed_path):
    gold = json.loads(seed_path.with_suffix(".json").read_text(encoding="utf-8"))
    return extract(seed_path), gold, seed_path.read_text(encoding="utf-8")


def test_header_fields(seed):
    rec, gold, _ = seed
    assert rec.doc_type.name == gold["doc_type"] and rec.doc_type.code == "CV"
    assert rec.number.text == gold["number"] and rec.number.normalized == gold["number_normalized"]
    assert (rec.number.serial, rec.number.year, rec.number.symbol) == ("1244", None, "LĐLĐ")
    assert rec.issuer.name == gold["issuer"] and rec.issuer.parent == gold["parent_issuer"]
    assert any("letterhead missing" in w for w in rec.warnings)
    assert any("governing body inferred" in w for w in rec.warnings)
    assert (rec.place, rec.date) == (gold["place"], gold["date"])
    assert rec.subject == gold["subject"].removeprefix("V/v ")
    assert rec.recipients == gold["recipients"]
    assert rec.cc == gold["cc"]
    assert rec.signer.name == gold["signer"]["name"] and rec.signer.title == gold["signer"]["title"]
    assert rec.signer.authority_line == gold["signer"]["authority"]
    assert rec.signer.authority == "TM." and rec.signer.on_behalf_of == "Ban Thường vụ"


def test_references_and_via_chain(seed):
    rec, gold, text = seed
    for r in rec.references:
        assert text[r.start:r.end] == r.text  # offsets into the text as read
    cited = {ref_key(r.number, r.title) for r in rec.references}
    assert cited == {ref_key(g["number"], g["text"] if not g["number"] else None) for g in gold["references"]}
    for g in gold["references"]:
        occ = [r for r in rec.references if ref_key(r.number, r.title) == ref_key(g["number"], g["text"] if not g["number"] else None)]
        want_via = g["via"]
        match = [r for r in occ if (rec.references[r.via].number if r.via is not None else None) == want_via]
        assert match, f"no occurrence of {g['number'] or g['text']} via {want_via}"
        r = match[0]
        assert r.relation == VI_RELATION[g["relation"]]
        assert r.issuer == g["issuer"]
        if g["date"]:
            assert any(x.date == g["date"] for x in occ)
    # the via chain 6713/TLĐ-TG -> 01-KL/TW -> 05-CT/TW, exactly as the spec's worked example
    body = [r for r in rec.references if r.zone == "body"]
    assert [(r.number, r.via and rec.references[r.via].number, r.relation) for r in body[:3]] == [
        ("6713/TLĐ-TG", None, "implements"), ("01-KL/TW", "6713/TLĐ-TG", "implements"),
        ("05-CT/TW", "01-KL/TW", "continues")]
    nq = next(r for r in rec.references if r.number == "02-NQ/TW" and r.date)
    assert nq.date == "2021-06-12"
    congress = next(r for r in rec.references if r.title)
    assert congress.title == "Nghị quyết Đại hội lần thứ XIII của Đảng" and congress.number is None
    assert "1244/LĐLĐ" not in cited  # its own number is never a reference


def test_tasks(seed):
    rec, gold, _ = seed
    assert [t.id for t in rec.tasks] == ["1", "2", "3", "4", "5"]
    assert all(t.actors == ["các cấp công đoàn"] for t in rec.tasks)
    assert [t.recurrence for t in rec.tasks] == ["yearly", None, None, "yearly", None]
    for t, g in zip(rec.tasks, gold["action_items"], strict=True):
        assert t.text.startswith(g["text"][:40])


def test_record_validates_against_the_shared_schema(seed, shared):
    import jsonschema

    rec, _, _ = seed
    data = rec.to_dict()
    validate(data)
    schema = json.loads((shared / "schema" / "dispatch.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
