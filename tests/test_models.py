import json

from pipeline import extract_text
from pipeline.models import Dispatch
from pipeline.schema import load_schema


def test_to_dict_roundtrip_and_contract_order():
    d = extract_text("Số: 12/UBND-VX\n\nHà Nội, ngày 01 tháng 3 năm 2024\n\nV/v thử\n\nKính gửi: Sở Y tế.\n\n"
                     "Thực hiện Chỉ thị số 29/CT-TTg ngày 08/7/2024 của Thủ tướng Chính phủ, UBND thành phố đề nghị "
                     "Sở Y tế triển khai trước ngày 15/8/2024.\n")
    data = d.to_dict()
    assert list(data)[:14] == load_schema()["required"]
    back = Dispatch.from_dict(json.loads(json.dumps(data, ensure_ascii=False)))
    assert back.to_dict() == data


def test_bundled_schema_is_the_shared_contract(shared):
    """Fields may be added, never renamed or dropped: the bundled copy keeps every shared property."""
    shared_schema = json.loads((shared / "schema" / "dispatch.schema.json").read_text(encoding="utf-8"))
    ours = load_schema()
    assert set(shared_schema["required"]) <= set(ours["required"])
    assert set(shared_schema["properties"]) <= set(ours["properties"])


def test_public_api_names_are_functions():
    import importlib

    importlib.import_module("pipeline.extract.tasks")  # importing the stage must not shadow the API
    from pipeline import extract, read

    assert callable(extract) and callable(read)
