"""One walker decides which files a folder means, for extract, tasks and index alike."""

from __future__ import annotations

from pipeline.cli.common import expand_paths
from pipeline.read.files import iter_files
from pipeline.store.runner import iter_files as archive_files


def test_extract_and_index_walk_the_same_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ("a.txt", "b/c.pdf", "b/notes.xyz", ".hidden.txt", ".git/d.txt", "b/._e.docx"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    expected = [str(tmp_path / "a.txt"), str(tmp_path / "b" / "c.pdf")]
    missing: list[str] = []
    assert list(iter_files([tmp_path, tmp_path / "gone.txt"], missing)) == expected
    assert missing == [str(tmp_path / "gone.txt")]
    assert expand_paths([tmp_path])[0] == expected
    assert list(archive_files([tmp_path])) == expected
    # a file named on the command line is read whatever its name
    assert list(iter_files([tmp_path / ".hidden.txt"])) == [str(tmp_path / ".hidden.txt")]
