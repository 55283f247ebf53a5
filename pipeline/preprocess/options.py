"""Which preprocessing steps run, and their parameters: one model, passed down whole."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PreprocessOptions:
    """Which steps run (each a setting, `HOSO_PREPROCESS_*`), and their parameters."""

    colour: bool = True
    stamp_keep_darker: bool = True
    grey_stamps: bool = True
    denoise: bool = True
    specks: bool = True
    borders: bool = True
    orientation: bool = True
    deskew: bool = True
    background: bool = True
    binarise: bool = False
    min_dpi: int = 250
    target_dpi: int = 300
    max_skew: float = 10.0
    max_pixels: int = 150_000_000  # upsampling stops here (the page-size limit)
