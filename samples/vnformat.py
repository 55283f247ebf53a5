"""Numbers, areas, dates and times written the way Vietnamese offices write them.

Decimal comma and dot thousands ("1.250,5"), numbers in words for areas ("Tám mươi lăm phẩy
sáu mét vuông"), dates as "ngày 05 tháng 3 năm 2019" (days below 10 and months 1-2 padded
with a zero, as the rules for administrative documents ask) or "05/03/2019".
"""

from __future__ import annotations

from datetime import date, datetime

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu", "tỷ")


def number(value: float, decimals: int = 0) -> str:
    """`value` with dot thousands and a decimal comma: number(1250.5, 1) == "1.250,5"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def area(value: float, decimals: int, unit: str = "m²") -> str:
    """An area as printed on certificates: "85,6 m²" (or "m2" where the office typed it so)."""
    return f"{number(value, decimals)} {unit}"


def _triple(n: int, full: bool) -> list[str]:
    """Words for 0 < n < 1000; `full` reads the hundreds even when zero ("không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += (["linh"] if words else []) + [_DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))
    return words


def number_words(n: int) -> str:
    """Vietnamese words for a whole number: 1050 → "một nghìn không trăm năm mươi"."""
    if n == 0:
        return _DIGITS[0]
    groups = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group:
            words += _triple(group, full=bool(words))
            words += [_SCALES[index]] if _SCALES[index] else []
    return " ".join(words)


def decimal_words(value: float, decimals: int) -> str:
    """85.6 → "tám mươi lăm phẩy sáu"; a fraction with a leading zero is read digit by digit."""
    whole, _, fraction = f"{value:.{decimals}f}".partition(".")
    words = number_words(int(whole))
    fraction = fraction.rstrip("0")
    if not fraction:
        return words
    leading_zero = fraction.startswith("0")
    tail = " ".join(_DIGITS[int(d)] for d in fraction) if leading_zero else number_words(int(fraction))
    return f"{words} phẩy {tail}"


def area_words(value: float, decimals: int) -> str:
    """The "(bằng chữ: ...)" reading of an area, capitalised: "Tám mươi lăm phẩy sáu mét vuông"."""
    words = decimal_words(value, decimals) + " mét vuông"
    return words[0].upper() + words[1:]


def _pad(n: int) -> str:
    return f"{n:02d}"


def date_long(day: date, padded: bool = True) -> str:
    """ "ngày 05 tháng 3 năm 2019": days below 10 and months 1-2 get a leading zero when `padded`."""
    d = _pad(day.day) if padded else str(day.day)
    m = _pad(day.month) if padded and day.month <= 2 else str(day.month)
    return f"ngày {d} tháng {m} năm {day.year}"


def date_short(day: date, padded: bool = True) -> str:
    """ "05/03/2019" (or "5/3/2019" when not `padded`)."""
    if padded:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day}/{day.month}/{day.year}"


def clock(moment: datetime) -> str:
    """ "08 giờ 30 phút"."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút"
