"""Does a file look whole, or cut short by a writer that has not finished?

Asked only of files that changed recently: a PDF copied over a slow share, or a
multi-page TIFF a scanner writes page by page, pauses longer than any settle
interval, and a file taken at that moment is half of a scan. A whole PDF ends with
its `%%EOF` marker; a whole image decodes to its last frame. A file that fails this
and changed recently waits for a later run instead of being quarantined.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.filetypes import PDF, sniff
from pipeline.imaging import open_image

PDF_TAIL_BYTES = 2048  # the end marker sits within the last kilobyte; leave room for trailing whitespace
_HEAD_BYTES = 1024


def looks_complete(path: Path, max_pixels: int) -> bool:
    """False only when `path` is a PDF or an image hoso reads that stops before its end.

    An image whose last frame declares more than `max_pixels` is not decoded (a decompression bomb
    would take gigabytes here): whole or not, reading refuses it for its size.
    """
    with path.open("rb") as stream:
        media = sniff(stream.read(_HEAD_BYTES))
        if media is None:
            return True  # not a kind hoso reads: intake says why, waiting would not help
        if media == PDF:
            size = stream.seek(0, os.SEEK_END)
            stream.seek(max(0, size - PDF_TAIL_BYTES))
            return b"%%EOF" in stream.read()
    return _image_decodes(path, max_pixels)


def _image_decodes(path: Path, max_pixels: int) -> bool:
    try:
        with open_image(path) as image:
            image.seek(getattr(image, "n_frames", 1) - 1)
            width, height = image.size
            if width * height > max_pixels:
                return True
            image.load()
    except (OSError, SyntaxError, ValueError, EOFError):
        return False
    return True
