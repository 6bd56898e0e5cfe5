"""The extractor as a spaCy pipeline: declared data flow, the cue step's two engines, the typed record."""

import dataclasses

import pytest

from pipeline.extract import COMPONENTS, get_nlp, run_pipeline
from pipeline.extract.components import CueMatcher, _longest_cues
from pipeline.extract.draft import RecordDraft
from pipeline.models import Dispatch


def test_analyze_pipes_finds_no_problem():
    nlp = get_nlp()
    analysis = nlp.analyze_pipes()
    assert nlp.pipe_names == COMPONENTS
    assert analysis["problems"] == {name: [] for name in COMPONENTS}
    summary = analysis["summary"]
    assert all(summary[name]["assigns"] for name in COMPONENTS)  # every component says what it writes
    assert "doc._.cues" in summary["congvan_references"]["requires"]
    assert "doc._.zones" in summary["congvan_tasks"]["requires"]


def test_a_component_before_its_input_is_a_problem():
    # the declarations are real: spaCy's analysis catches a reordered pipeline
    import spacy

    get_nlp()  # registers the components and extensions
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("congvan_references")
    nlp.add_pipe("congvan_cues")
    problems = nlp.analyze_pipes()["problems"]["congvan_references"]
    assert "doc._.cues" in problems and "doc._.zones" in problems


SNIPPETS = [
    "Căn cứ Nghị định số 12/2031/NĐ-CP ngày 02/3/2031 của Chính phủ;\nCăn cứ vào Quyết định số 4/QĐ-UBND;",
    "Ủy ban nhân dân tỉnh đề nghị các sở tiếp tục\nthực hiện Chỉ thị số 8/CT-UBND và tổ chức triển khai thực hiện.",
    "Thông tư này sửa đổi, bổ\nsung một số điều của Thông tư số 9/2030/TT-BTC.",
    "Các đơn vị nghiêm túc thực hiện./.\n\nNơi nhận:",
    "Theo Hướng dẫn số 3/HD-LĐLĐ, được hướng dẫn tại Công văn số 77/SNV-VP.",
    "Sở TÀI CHÍNH CĂN CỨ\n\nthực hiện",  # a blank line between two words is a new block: no phrase across it
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_cue_engines_find_the_same_cues(text):
    regex, phrase = get_nlp("regex"), get_nlp("phrase")
    a = run_pipeline(text, nlp=regex)._.cues
    b = run_pipeline(text, nlp=phrase)._.cues
    assert a == b and a


def test_cues_are_leftmost_longest_across_a_line_break():
    doc = run_pipeline(SNIPPETS[1], nlp=get_nlp("phrase"))
    found = {doc._.norm[c.start:c.end]: c.label for c in _longest_cues(doc._.cues)}
    # the longer phrase wins over the "thực hiện" inside it, and a wrapped line does not break a phrase
    assert found == {"tiếp tục\nthực hiện": "continues", "tổ chức triển khai": "implements",
                     "thực hiện": "implements"}


def test_patterns_come_from_initialize():
    nlp = get_nlp()
    for engine in ("regex", "phrase"):
        cues = CueMatcher(nlp, "cues", engine)
        cues.initialize(nlp=nlp, patterns=[{"label": "based_on", "pattern": "dựa trên"}])
        doc = nlp.make_doc("Dựa trên\nđề xuất của Sở; căn cứ Luật")
        doc._.norm = doc.text
        assert cues(doc)._.cues == [(0, 8, "based_on")]


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        CueMatcher(get_nlp(), "cues", "trie")


def test_record_draft_holds_the_dispatch_fields():
    draft = {f.name: f for f in dataclasses.fields(RecordDraft)}
    out = {f.name: f for f in dataclasses.fields(Dispatch)}
    assert set(draft) == set(out) - {"source", "warnings", "schema_version"}
    empty = Dispatch(source=None, **RecordDraft().fields())  # a skipped component leaves Dispatch's default
    assert empty == Dispatch(source=None)


def test_run_pipeline_fills_a_typed_record():
    doc = run_pipeline(SNIPPETS[0])
    assert isinstance(doc._.record, RecordDraft)
    assert [r.number for r in doc._.record.references][:1] == ["12/2031/NĐ-CP"]


def test_a_lexicon_is_passed_in(tmp_path):
    import shutil

    from pipeline.lexicons import HERE, Lexicon, default_lexicon

    assert default_lexicon() is default_lexicon()  # loaded once
    for name in ("doc_types.json", "mottos.txt"):
        shutil.copy(HERE / name, tmp_path / name)
    (tmp_path / "cues.jsonl").write_text('{"label": "based_on", "pattern": "dựa trên"}\n', encoding="utf-8")
    own = Lexicon.load(tmp_path)
    text = "Dựa trên đề xuất của Sở; căn cứ Luật"
    assert run_pipeline(text, nlp=get_nlp(lexicon=own))._.cues == [(0, 8, "based_on")]  # only its own phrase
    assert run_pipeline(text)._.cues == [(25, 31, "based_on")]  # the bundled lexicon: "căn cứ"
