"""Limits every reader honours, so one hostile file cannot stop or exhaust a batch."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadOptions:
    max_bytes: int = 60 * 1024 * 1024  # files larger than this are refused (TooLarge)
    max_text_chars: int = 20_000_000  # decoded text larger than this is refused
    max_pages: int = 500  # PDF pages read at most; more pages → TooLarge
    max_unzipped_bytes: int = 200 * 1024 * 1024  # DOCX/ZIP decompression bound
    max_image_pixels: int = 80_000_000  # images larger than this are refused
    timeout_s: float = 120.0  # per-file limit for slow converters (OCR, LibreOffice)
    ocr: bool = True  # OCR scanned pages when Tesseract is installed
    ocr_lang: str = "vie"
    ocr_workers: int = 0  # 0 = all cores
    require_vietnamese: bool = True
