"""Pages drawn for tests: Vietnamese text in Noto Serif on white, at a known resolution."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT",
    "Ông: NGUYỄN VĂN AN, Năm sinh: 1975, CMND số: 012345678",
    "Địa chỉ thường trú: số 12 phố Hàng Bạc, phường Hàng Đào",
    "Thửa đất số: 125; Tờ bản đồ số: 18; Diện tích: 85,6 m²",
    "Mục đích sử dụng: Đất ở tại đô thị; Thời hạn: Lâu dài",
    "Nguồn gốc sử dụng: Nhà nước giao đất có thu tiền sử dụng đất",
    "Hà Nội, ngày 15 tháng 3 năm 2019",
    "TM. ỦY BAN NHÂN DÂN QUẬN HOÀN KIẾM",
)
A4_INCHES = (8.27, 11.69)


def text_page(dpi: int = 150, lines: tuple[str, ...] = LINES, size_pt: float = 12) -> np.ndarray:
    """A grey A4 page with `lines` from the top, 1.8 line heights apart."""
    width, height = round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    size = round(size_pt * dpi / 72)
    font = ImageFont.truetype(FONT, size)
    for index, line in enumerate(lines):
        draw.text((dpi, dpi + round(index * size * 1.8)), line, fill=0, font=font)
    return np.asarray(image).copy()


def rotated(image: np.ndarray, degrees: float) -> np.ndarray:
    """`image` turned `degrees` counter-clockwise about its centre, corners filled white."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
