"""Pillow as hoso opens images: under hoso's pixel limit alone, and HEIC/HEIF phone photos through pi-heif.

Every image hoso reads is opened here (`open_image`), so the two process-wide settings below hold
wherever an image is opened, whichever module was imported first.
"""

from __future__ import annotations

from pathlib import Path

import pi_heif
from PIL import Image

# One pixel limit, hoso's (`PageLimits.max_pixels`, HOSO_MAX_PAGE_MEGAPIXELS), checked on each page's
# declared size before any pixel is decoded (`pipeline.sources`, `pipeline.completeness`). Pillow's own
# process-wide guard, a fixed 89 MP warning and 179 MP error raised from inside open, seek and load,
# would decide first and differently (refusing pages hoso allows, failing bombs as internal errors),
# so it is switched off.
Image.MAX_IMAGE_PIXELS = None
# The decoder-only build of pillow-heif (libheif and libde265, no encoder): what a phone saves by default.
pi_heif.register_heif_opener()


def open_image(path: Path) -> Image.Image:
    """The image at `path`, opened lazily (no pixel is decoded yet); Pillow's errors as Pillow raises them."""
    return Image.open(path)
