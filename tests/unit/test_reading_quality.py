"""The page reading-quality signal: its shares, its score and its verdict, on texts OCR makes."""

from __future__ import annotations

from pipeline.reading_quality import SURE_WORD, is_vietnamese, judge

GOOD = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
    "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ Mã hồ sơ: 000.00.15.H26-230620-0001 "
    "UBND QUẬN ĐỐNG ĐA cấp GCN số CH00536/942/QĐ-UBND cho ông Nguyễn Văn An, CCCD số 001178012345, "
    "diện tích 85,6 m² đất ở tại đô thị (ODT), mục b. thời hạn sử dụng lâu dài, ngày 15/3/2019 V/v cấp đổi"
)
# What Tesseract made of a letter scanned upside down (plain `tesseract -l vie`, bench page ocr-007).
UPSIDE_DOWN = """NV NVHN NV A\\ 'W1 :UÔIU }ON
2ÄU1 ỆA 18Iq 21D ulạfH queM quị1[ q p oeq 2uou) uẹnx queuq[, uệnb qNgdíñ1
'quịp Ẩnb 09] ØS 0 uạ() 0t uạ†H quetX tuị1T, ệq uẹp 2uont ưenb ugI[
[A top 2g2 tøA dỏt 1oqd “t1 n9 ổuon) 10T $A uạẨnổu rẹT, 8uoqa ö618 uenXx qưeu[, uệnb
up uptu ưeq Án '0s oự dộu †onØu en2 Á3 8uEp 091 (21 8u02 quiq5 nng ñA 5p enb 5¿0d"""


def test_a_page_read_well_is_not_doubtful() -> None:
    words = GOOD.split()
    quality = judge(GOOD, [0.95] * len(words))
    assert quality.not_vietnamese == 0 and quality.unsure == 0
    assert quality.score == 1.0 and not quality.doubtful
    assert quality.words == len(words)


def test_a_page_with_many_unsure_words_is_doubtful_though_its_mean_is_high() -> None:
    words = GOOD.split()
    confidences = [0.8 if i % 5 == 0 else 0.97 for i in range(len(words))]  # one word in five unsure
    assert sum(confidences) / len(confidences) > 0.9
    quality = judge(GOOD, confidences)
    assert quality.unsure > 0.15 and quality.doubtful
    assert quality.score < judge(GOOD, [0.97] * len(words)).score


def test_a_page_read_upside_down_scores_far_lower_than_read_right() -> None:
    wrong = judge(UPSIDE_DOWN, [0.43] * len(UPSIDE_DOWN.split()))  # its mean confidence
    right = judge(GOOD, [0.96] * len(GOOD.split()))
    assert wrong.not_vietnamese > 0.3 and wrong.doubtful
    assert wrong.score < 0.1 and right.score > 0.9


def test_a_page_without_words_is_doubtful_and_scores_nothing() -> None:
    quality = judge("", [])
    assert quality.doubtful and quality.score == 0 and quality.words == 0


def test_abbreviations_codes_and_list_letters_are_vietnamese_and_debris_is_not() -> None:
    for token in ["UBND", "GCN", "CMND", "CCCD", "TP", "HN", "QĐ", "ODT", "CH00536", "04a", "b", "đ", "V", "ĐẤT"]:
        assert is_vietnamese(token), token
    for token in ["đươc", "tlr", "ÂMột", "¡ch", "quwết", "ø", "UBNDXYZ", "Nutn"]:
        assert not is_vietnamese(token), token


def test_the_unsure_cut_is_strict() -> None:
    assert judge("một hai", [SURE_WORD, SURE_WORD]).unsure == 0
    assert judge("một hai", [SURE_WORD - 0.01, SURE_WORD]).unsure == 0.5
