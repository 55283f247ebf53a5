"""Small real documents for tests that do not need the full sample generator."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pikepdf
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def text_pdf(path: Path, lines: list[str], pages: int = 1) -> Path:
    """A born-digital PDF with a real Unicode text layer."""
    pdf = FPDF()
    pdf.add_font("dejavu", fname=FONT)
    pdf.set_font("dejavu", size=12)
    for _ in range(pages):
        pdf.add_page()
        for line in lines:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def scanned_png(path: Path, lines: list[str], dpi: int = 300) -> Path:
    """An image-only page of text at `dpi`, the way a scanner would deliver it."""
    scale = dpi / 300
    page = Image.new("L", (round(2480 * scale), round(3508 * scale)), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(SERIF, round(46 * scale))
    for index, line in enumerate(lines):
        draw.text((round(200 * scale), round((200 + 90 * index) * scale)), line, font=font, fill=0)
    page.save(path, dpi=(dpi, dpi))
    return path


def encrypted_pdf(path: Path, lines: list[str]) -> Path:
    plain = text_pdf(path.with_name(path.name + ".plain"), lines)
    with pikepdf.open(plain) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    plain.unlink()
    return path


def truncated_pdf(path: Path, lines: list[str]) -> Path:
    whole = text_pdf(path.with_name(path.name + ".whole"), lines * 20)
    data = whole.read_bytes()
    whole.unlink()
    path.write_bytes(data[: len(data) // 3])
    return path


def bomb_png(path: Path, width: int, height: int) -> Path:
    """A valid all-black 1-bit PNG of huge declared size that weighs tens of KB: a decompression bomb.

    Written chunk by chunk, so making it never holds the decoded pixels.
    """
    packer = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte 0, then all-zero (black) pixels
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    chunks = b"".join(_png_chunk(kind, body) for kind, body in ((b"IHDR", header), (b"IDAT", data), (b"IEND", b"")))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunks)
    return path


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty."""
    with pikepdf.Pdf.new() as pdf:
        pdf.save(path)
    return path


OFFICE = "Bộ phận tiếp nhận và trả kết quả: UBND phường Dịch Vọng"


def receipt_slip(path: Path, code: str, received: str, days: int, due: str | None = None, procedure: str = "") -> Path:
    """A born-digital receipt slip; `received` and `due` as printed, "08 giờ 30 phút, ngày 10 tháng 2 năm 2025"."""
    lines = [
        "UBND QUẬN CẦU GIẤY",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {code}",
        OFFICE,
        "Tiếp nhận hồ sơ của: Ông NGUYỄN VĂN AN",
        f"Nội dung yêu cầu giải quyết: {procedure or 'Đăng ký biến động quyền sử dụng đất'}",
        "2. Số lượng hồ sơ: 01 (bộ)",
        f"3. Thời gian giải quyết hồ sơ theo quy định là: {days} ngày làm việc",
        f"4. Thời gian nhận hồ sơ: {received}",
    ]
    if due is not None:
        lines.append(f"5. Thời gian trả kết quả giải quyết hồ sơ: {due}")
    lines.append("6. Đăng ký nhận kết quả tại: Bộ phận một cửa")
    return text_pdf(path, lines)
