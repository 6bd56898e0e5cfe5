"""Word 97-2003 (.doc) and RTF files, through LibreOffice.

``soffice --headless --convert-to docx`` turns the file into a DOCX in a private temporary folder, which the
DOCX reader then reads (tables, text boxes, list numbering and all). Each conversion gets its own LibreOffice
profile (``-env:UserInstallation``) so parallel conversions do not collide, runs under ``options.timeout_s``
(the whole process group is killed past it) and leaves nothing behind. An OLE file that is really an encrypted
Office document (``EncryptedPackage``) or a password-protected .doc is refused before LibreOffice is started.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from ..models import Source, Text
from .docx import extract_docx_text, is_encrypted_ole
from .errors import CorruptFile, EncryptedFile, ReadTimeout, TooLarge, UnsupportedFormat
from .options import ReadOptions

_CANDIDATES = ("soffice", "libreoffice")
_FALLBACK_PATHS = ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                   "/Applications/LibreOffice.app/Contents/MacOS/soffice")


def find_soffice() -> str | None:
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    for candidate in _FALLBACK_PATHS:
        if os.path.exists(candidate):
            return candidate
    return None


def convert_to_docx(path: str, options: ReadOptions) -> tuple[str, tempfile.TemporaryDirectory]:
    """Convert ``path`` to DOCX; returns (docx path, the temporary folder holding it, to clean up)."""
    soffice = find_soffice()
    if soffice is None:
        raise UnsupportedFormat(path, "reading .doc/.rtf files needs LibreOffice: install libreoffice-writer "
                                      "(apt-get install libreoffice-writer)")
    with open(path, "rb") as fh:
        head = fh.read(8)
    suffix = ".rtf" if head.startswith(b"{\\rtf") else ".doc"
    tmp = tempfile.TemporaryDirectory(prefix="congvan-soffice-")
    try:
        work = Path(tmp.name)
        source = work / f"input{suffix}"
        shutil.copyfile(path, source)
        outdir = work / "out"
        outdir.mkdir()
        profile = work / "profile"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
               "--norestore", "--nolockcheck", "--nodefault", "--convert-to", "docx:MS Word 2007 XML",
               "--outdir", str(outdir), str(source)]
        env = dict(os.environ, HOME=str(work), TMPDIR=str(work))
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, cwd=str(work), start_new_session=True)
        try:
            _out, err = proc.communicate(timeout=options.timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ReadTimeout(path, f"LibreOffice did not convert the file within {options.timeout_s:g} s") from None
        result = outdir / "input.docx"
        if not result.exists() or result.stat().st_size == 0:
            detail = (err or b"").decode("utf-8", "replace").strip().splitlines()
            why = detail[-1][:160] if detail else f"exit code {proc.returncode}"
            raise CorruptFile(path, f"LibreOffice could not convert the file ({why})")
        return str(result), tmp
    except BaseException:
        tmp.cleanup()
        raise


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process that survives SIGKILL
        pass


def read_doc(path: str, source: Source, options: ReadOptions) -> Text:
    from .legacy import repair

    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and is_encrypted_ole(path):
        raise EncryptedFile(path, "the document is password-protected (encrypted); save it without a password "
                                  "and read it again")
    docx_path, tmp = convert_to_docx(path, options)
    try:
        raw, warnings = extract_docx_text(docx_path, options)
    finally:
        tmp.cleanup()
    if len(raw) > options.max_text_chars:
        raise TooLarge(path, f"text has {len(raw):,} characters, over the {options.max_text_chars:,} limit")
    text, encoding = repair(raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = unicodedata.normalize("NFC", text)
    source.format = "doc"
    if encoding:
        source.encoding_repaired = encoding
        warnings.append(f"legacy {encoding.upper()} text converted to Unicode")
    return Text(text=text, source=source, warnings=warnings)
