"""The web app's own words, in Vietnamese (the default) and English. Field labels are not here: they come
from the field registry (`app.vocabulary`)."""

from __future__ import annotations

from fastapi import Request

from app.vocabulary import LANGUAGES, Language

DEFAULT: Language = "vi"
COOKIE = "hoso_lang"

_WORDS: dict[str, tuple[str, str]] = {
    "app_title": ("hồ sơ — tra cứu hồ sơ đất đai", "hồ sơ — land records search"),
    "nav_search": ("Tìm kiếm", "Search"),
    "nav_status": ("Tình trạng xử lý", "Processing status"),
    "nav_audit": ("Nhật ký truy cập", "Audit log"),
    "nav_dossiers": ("Hồ sơ đến hạn", "Dossier deadlines"),
    "nav_api": ("API", "API"),
    "skip_to_content": ("Bỏ qua đến nội dung chính", "Skip to main content"),
    "signed_in_as": ("Đang đăng nhập:", "Signed in as"),
    "open_access": ("Không cần đăng nhập (chưa tạo mã truy cập)", "No sign-in needed (no access tokens yet)"),
    "log_out": ("Đăng xuất", "Sign out"),
    "log_in": ("Đăng nhập", "Sign in"),
    "login_title": ("Đăng nhập bằng mã truy cập", "Sign in with your access token"),
    "login_help": (
        "Mã truy cập do quản trị viên cấp (bắt đầu bằng hoso_). Dán mã vào ô dưới đây.",
        "Your administrator gives you an access token (it starts with hoso_). Paste it below.",
    ),
    "token_label": ("Mã truy cập", "Access token"),
    "login_failed": ("Mã truy cập không đúng hoặc đã bị thu hồi.", "That token is wrong or has been revoked."),
    "login_limited": (
        "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {seconds} giây.",
        "Too many failed sign-ins. Please try again in {seconds} seconds.",
    ),
    "login_not_needed": (
        "Chưa có mã truy cập nào: mọi người dùng trên máy này đều dùng được ứng dụng mà không cần đăng nhập.",
        "No access tokens exist yet: anyone on this computer can use the app without signing in.",
    ),
    "query_label": ("Tìm hồ sơ", "Find records"),
    "query_placeholder": (
        "Tên, địa chỉ, số phát hành, mã hồ sơ, tờ 12 thửa 345…",
        "Name, address, serial, dossier code, tờ 12 thửa 345…",
    ),
    "query_help": (
        "Gõ có dấu hoặc không dấu (nguyen van an). Mã in trên giấy tìm chính xác (CS 01234, mã hồ sơ). "
        "Thửa đất: “tờ 12 thửa 345”.",
        "Type with or without diacritics (nguyen van an). Codes printed on the paper match exactly "
        "(CS 01234, dossier codes). A parcel: “tờ 12 thửa 345”.",
    ),
    "search_button": ("Tìm", "Search"),
    "sort_label": ("Sắp xếp", "Sort"),
    "sort_relevance": ("Phù hợp nhất", "Best match"),
    "sort_date_desc": ("Mới nhất", "Newest first"),
    "sort_date_asc": ("Cũ nhất", "Oldest first"),
    "results_count": ("{total} hồ sơ", "{total} records"),
    "respelled": (
        "Đã tìm “{searched}” thay cho “{typed}”: chữ gần nhất mà các trang có.",
        "Searched for “{searched}” instead of “{typed}”, the nearest word the pages hold.",
    ),
    "results_of": ("trang {page}/{pages}", "page {page} of {pages}"),
    "filters_active": ("Đang lọc:", "Filtered by:"),
    "remove_filter": ("Bỏ lọc {label}: {value}", "Remove filter {label}: {value}"),
    "clear_filters": ("Bỏ tất cả bộ lọc", "Clear all filters"),
    "facets_title": ("Thu hẹp kết quả", "Narrow the results"),
    "no_results": ("Không tìm thấy hồ sơ nào.", "No records match."),
    "no_results_help": (
        "Thử bỏ bớt từ, bỏ bộ lọc, hoặc kiểm tra chính tả. Có thể gõ không dấu.",
        "Try fewer words, remove a filter, or check the spelling. You may type without diacritics.",
    ),
    "empty_archive": (
        "Chưa có hồ sơ nào được đưa vào. Hãy chép bản quét vào thư mục tiếp nhận và chạy “hoso ingest”.",
        "No records yet. Copy scans into the inbox folder and run “hoso ingest”.",
    ),
    "query_error": ("Không đọc được yêu cầu tìm kiếm", "The search could not be read"),
    "page_label": ("Trang", "Page"),
    "previous": ("‹ Trước", "‹ Previous"),
    "next": ("Sau ›", "Next ›"),
    "pagination": ("Phân trang", "Pages of results"),
    "export_title": ("Xuất kết quả tìm kiếm", "Export these results"),
    "export_help": (
        "Xuất toàn bộ {total} hồ sơ của lần tìm này (không chỉ trang đang xem).",
        "Exports all {total} records of this search (not only this page).",
    ),
    "export_csv": ("CSV (Excel)", "CSV (Excel)"),
    "export_xlsx": ("Excel (XLSX)", "Excel (XLSX)"),
    "export_jsonl": ("JSON Lines", "JSON Lines"),
    "export_parquet": ("Parquet", "Parquet"),
    "export_not_allowed": (
        "Tài khoản của bạn không có quyền xuất dữ liệu.",
        "Your access does not include exports.",
    ),
    "needs_review": ("Cần kiểm tra", "Needs review"),
    "open_record": ("Xem hồ sơ", "Open record"),
    "thumbnail_of": ("Ảnh trang {page} của {name}", "Page {page} of {name}"),
    "record_title": ("Hồ sơ", "Record"),
    "back_to_search": ("‹ Quay lại kết quả tìm kiếm", "‹ Back to the search results"),
    "fields_title": ("Thông tin trích xuất", "Extracted fields"),
    "field": ("Trường", "Field"),
    "value_read": ("Đọc được", "As read"),
    "value_normalised": ("Giá trị chuẩn hoá", "Normalised value"),
    "confidence": ("Độ tin cậy", "Confidence"),
    "issues": ("Vấn đề", "Issues"),
    "show_on_page": ("Xem trên trang {page}", "Show on page {page}"),
    "no_fields": ("Chưa trích xuất được trường nào.", "No fields were extracted."),
    "review_reasons": ("Lý do cần kiểm tra", "Why this needs review"),
    "page_viewer": ("Trang tài liệu", "Document page"),
    "page_image_alt": ("Ảnh trang {page} của {name}", "Image of page {page} of {name}"),
    "pages_nav": ("Các trang", "Pages"),
    "page_text": ("Văn bản của trang", "Text of the page"),
    "how_read": ("Cách đọc trang", "How the page was read"),
    "read_text_layer": ("Lớp văn bản của PDF", "The PDF's text layer"),
    "read_ocr": ("Nhận dạng ký tự (OCR)", "Optical character recognition (OCR)"),
    "steps": ("Các bước xử lý ảnh", "Image preprocessing steps"),
    "download_original": ("Tải bản gốc ({name})", "Download the original ({name})"),
    "file_details": ("Tệp gốc", "Original file"),
    "doc_type": ("Loại tài liệu", "Document type"),
    "state": ("Trạng thái", "State"),
    "received": ("Ngày nhận", "Received"),
    "legend_hit": ("Từ khớp với tìm kiếm", "Words matching the search"),
    "legend_field": ("Trường đang chọn", "Selected field"),
    "status_title": ("Tình trạng xử lý", "Processing status"),
    "counts_title": ("Số tài liệu theo trạng thái", "Documents by state"),
    "state_received": ("Đã nhận, chờ đọc", "Received, waiting to be read"),
    "state_extracted": ("Đã đọc, chờ đưa vào chỉ mục", "Read, waiting for the index"),
    "state_indexed": ("Đã sẵn sàng tra cứu", "Searchable"),
    "state_failed": ("Lỗi", "Failed"),
    "state_duplicate": ("Trùng lặp", "Duplicate"),
    "failures_title": ("Tài liệu lỗi", "Failed documents"),
    "no_failures": ("Không có tài liệu lỗi.", "No failed documents."),
    "file": ("Tệp", "File"),
    "reason": ("Lý do", "Reason"),
    "stage": ("Bước", "Stage"),
    "index_title": ("Chỉ mục tìm kiếm", "Search index"),
    "index_backlog": ("Chờ đưa vào chỉ mục: {count}", "Waiting for the index: {count}"),
    "index_agrees": ("Chỉ mục khớp với kho dữ liệu.", "The index agrees with the store."),
    "index_disagrees": ("Chỉ mục chưa khớp với kho dữ liệu:", "The index does not agree with the store:"),
    "index_errors_title": ("Lỗi khi đưa vào chỉ mục", "Index errors"),
    "runs_title": ("Các lần xử lý gần đây", "Last ingest runs"),
    "run_started": ("Bắt đầu", "Started"),
    "run_files": ("Tệp", "Files"),
    "run_read": ("Đã đọc", "Read"),
    "run_pages": ("Trang", "Pages"),
    "run_speed": ("Trang/phút", "Pages/min"),
    "run_worker": ("Máy", "Machine"),
    "no_runs": ("Chưa có lần xử lý nào.", "No ingest has run yet."),
    "nav_tokens": ("Mã truy cập", "Access tokens"),
    "tokens_title": ("Mã truy cập", "Access tokens"),
    "tokens_help": (
        "Mỗi người hoặc mỗi bộ phận một mã. Khi đã có mã, mọi yêu cầu đều phải đăng nhập.",
        "One token per person or desk. Once a token exists, every request must sign in.",
    ),
    "token_create": ("Tạo mã mới", "Create a token"),
    "token_create_button": ("Tạo mã", "Create"),
    "token_name": ("Tên người dùng hoặc bộ phận", "Person or desk"),
    "token_role": ("Quyền", "Role"),
    "token_created": ("Ngày tạo", "Created"),
    "token_last_used": ("Dùng lần cuối", "Last used"),
    "token_revoke": ("Thu hồi", "Revoke"),
    "token_revoked_at": ("Đã thu hồi {when}", "Revoked {when}"),
    "token_made": ("Đã tạo mã cho {name}:", "Token created for {name}:"),
    "token_once": (
        "Hãy chép mã này ngay và trao cho người dùng: mã sẽ không hiển thị lại.",
        "Copy it now and give it to its holder: it will not be shown again.",
    ),
    "tokens_list": ("Các mã đã cấp", "Tokens issued"),
    "no_tokens": ("Chưa có mã nào.", "No tokens yet."),
    "role_viewer": ("Xem (tra cứu)", "Viewer (search and read)"),
    "role_exporter": ("Xuất dữ liệu (và tải bản gốc)", "Exporter (and download originals)"),
    "role_reviewer": ("Kiểm tra, sửa dữ liệu", "Reviewer (correct fields)"),
    "role_admin": ("Quản trị", "Admin"),
    "csrf_failed": (
        "Biểu mẫu đã hết hạn. Vui lòng tải lại trang và thử lại.",
        "The form has expired. Please reload the page and try again.",
    ),
    "admin_actions": ("Thao tác quản trị", "Admin actions"),
    "retry_button": ("Đọc lại các tài liệu lỗi", "Read the failed documents again"),
    "retry_help": (
        "Sau khi đã khắc phục nguyên nhân: các tài liệu lỗi được xếp hàng để lần xử lý tới đọc lại.",
        "After fixing the cause: the failed documents are queued for the next ingest run to read again.",
    ),
    "reindex_button": ("Xây dựng lại chỉ mục", "Rebuild the search index"),
    "reindex_help": (
        "Dựng chỉ mục mới từ kho dữ liệu rồi chuyển sang; việc tra cứu vẫn tiếp tục trong lúc dựng.",
        "Builds a new index from the store and switches to it; searching goes on meanwhile.",
    ),
    "notice_retry": (
        "Đã xếp hàng {count} tài liệu để đọc lại ở lần xử lý tới.",
        "{count} document(s) queued to be read again by the next ingest run.",
    ),
    "notice_reindex": ("Đang xây dựng lại chỉ mục…", "Rebuilding the index…"),
    "notice_reindex_busy": ("Chỉ mục đang được xây dựng lại.", "The index is already being rebuilt."),
    "reindex_running": ("Đang xây dựng lại chỉ mục.", "The index is being rebuilt."),
    "reindex_last": ("Lần dựng chỉ mục gần nhất: {outcome}", "Last rebuild: {outcome}"),
    "dossiers_title": ("Hồ sơ sắp đến hạn / quá hạn", "Dossiers due soon / overdue"),
    "dossiers_help": (
        "Hạn trả kết quả ghi trên giấy tiếp nhận, hoặc tính theo ngày làm việc (không kể thứ Bảy, Chủ nhật, "
        "ngày lễ, Tết) khi giấy không ghi.",
        "The return date printed on the receipt slip, or counted in working days (no Saturdays, Sundays, "
        "public holidays or Tết) when the slip gives none.",
    ),
    "dossiers_listed": (
        "Quá hạn và đến hạn trong {days} ngày làm việc",
        "Overdue, and due within {days} working days",
    ),
    "dossier_counts": ("Số hồ sơ theo tình trạng", "Dossiers by state"),
    "dossier_by_office": ("Theo bộ phận tiếp nhận", "By receiving office"),
    "dossier_due_within": ("Sắp đến hạn trong (ngày làm việc)", "Due within (working days)"),
    "dossier_code": ("Mã hồ sơ", "Dossier code"),
    "dossier_office": ("Bộ phận tiếp nhận", "Receiving office"),
    "dossier_procedure": ("Thủ tục", "Procedure"),
    "dossier_received": ("Nhận hồ sơ", "Received"),
    "dossier_due": ("Hẹn trả kết quả", "Due"),
    "dossier_due_read": ("ghi trên giấy", "as printed"),
    "dossier_due_computed": ("tính theo ngày làm việc", "counted in working days"),
    "dossier_state": ("Tình trạng", "State"),
    "dossier_pending": ("Đang giải quyết", "In progress"),
    "dossier_due_soon": ("Sắp đến hạn", "Due soon"),
    "dossier_overdue": ("Quá hạn", "Overdue"),
    "dossier_returned_on_time": ("Đã trả kết quả đúng hạn", "Returned on time"),
    "dossier_returned_late": ("Đã trả kết quả trễ hạn", "Returned late"),
    "dossier_undated": ("Không rõ hạn", "No due date read"),
    "no_dossiers": ("Không có hồ sơ quá hạn hay sắp đến hạn.", "No dossiers are overdue or due soon."),
    "audit_title": ("Nhật ký truy cập", "Audit log"),
    "when": ("Thời điểm", "When"),
    "who": ("Người dùng", "Who"),
    "action": ("Thao tác", "Action"),
    "details": ("Chi tiết", "Details"),
    "no_audit": ("Nhật ký trống.", "The log is empty."),
    "error_title": ("Không thực hiện được", "That did not work"),
    "not_found_title": ("Không tìm thấy", "Not found"),
    "forbidden_title": ("Không có quyền", "Not allowed"),
    "api_title": ("API của hồ sơ", "The hoso API"),
    "language": ("Ngôn ngữ", "Language"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
}


def language_of(request: Request) -> Language:
    """`?lang=` when given, then the cookie a previous choice left, then Vietnamese."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return candidate  # type: ignore[return-value]
    return DEFAULT


def words(language: Language) -> dict[str, str]:
    """Every message in `language`, for the templates (`t.search_button`)."""
    column = LANGUAGES.index(language)
    return {key: pair[column] for key, pair in _WORDS.items()}
