"""The demo ward: the seed report from Cát Lái and a few short articles.

Everything except the seed report is invented sample content; its people
are fictitious.
"""

import datetime
from pathlib import Path

SEED_FILE = Path(__file__).with_name("catlai-2024-07-05.txt")

SEED_TITLE = (
    "Hội nghị Ban chấp hành Đảng bộ phường lần thứ 21 khóa VI, nhiệm kỳ 2020 - 2025"
)

CATEGORIES = [
    ("Hoạt động Đảng ủy - Ủy ban", "hoat-dong-dang-uy-uy-ban", "Tin hoạt động của "
     "Đảng ủy, HĐND, UBND và UB MTTQ phường."),
    ("Thông báo", "thong-bao", "Thông báo của UBND phường gửi đến người dân."),
    ("Tin tức - Sự kiện", "tin-tuc-su-kien", "Tin tức, sự kiện trên địa bàn phường."),
    ("An ninh - Trật tự", "an-ninh-trat-tu", "Tình hình an ninh, trật tự, an toàn "
     "giao thông."),
    ("Văn hóa - Xã hội", "van-hoa-xa-hoi", "Giáo dục, y tế, văn hóa, an sinh xã hội."),
]  # fmt: skip

# (key, name, short name, kind, parent key)
ORGANIZATIONS = [
    ("thanh-uy", "Thành ủy Thủ Đức", "Thành ủy Thủ Đức", "party", None),
    ("ban-to-chuc", "Ban Tổ chức Thành ủy Thủ Đức", "Ban Tổ chức Thành ủy",
     "party", "thanh-uy"),
    ("dang-uy", "Đảng ủy phường Cát Lái", "Đảng ủy phường", "party", "thanh-uy"),
    ("hdnd", "Hội đồng nhân dân phường Cát Lái", "HĐND phường", "council", None),
    ("ubnd", "Ủy ban nhân dân phường Cát Lái", "UBND phường", "committee", None),
    ("mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam phường Cát Lái", "UB MTTQ phường",
     "front", None),
    ("cong-an", "Công an phường Cát Lái", "Công an phường", "police", None),
    ("quan-su", "Ban Chỉ huy Quân sự phường Cát Lái", "Ban CHQS phường",
     "military", None),
]  # fmt: skip

# (name, [(position title, organization key)])
OFFICIALS = [
    ("Đặng Thị Bích Thuận", [
        ("Thành ủy viên", "thanh-uy"),
        ("Phó Trưởng Ban Tổ chức Thành ủy Thủ Đức", "ban-to-chuc"),
    ]),
    ("Huỳnh Thị Ngọc Bích", [("Bí thư Đảng ủy phường", "dang-uy")]),
    ("Nguyễn Thị Nhài", [("Phó Bí thư Thường trực Đảng ủy phường", "dang-uy")]),
    ("Nguyễn Đức Hiền", [("Chủ tịch UBND phường", "ubnd")]),
    # Fictitious officials for the invented sample articles.
    ("Trần Quốc Dũng", [("Chủ tịch UB MTTQ phường", "mttq")]),
    ("Lê Thị Thu Hà", [("Phó Chủ tịch UBND phường", "ubnd")]),
]  # fmt: skip

# The seed report's attendees, in protocol order, as printed.
# (name or group, positions as printed, role, is an official)
SEED_ATTENDANCES = [
    ("Đặng Thị Bích Thuận", "Thành ủy viên, Phó Trưởng Ban tổ chức thành ủy Thủ Đức",
     "directing", True),
    ("Đại diện các ban xây dựng Đảng thành ủy Thủ Đức", "", "attendee", False),
    ("Huỳnh Thị Ngọc Bích", "Bí thư Đảng ủy phường", "attendee", True),
    ("Nguyễn Thị Nhài", "Phó Bí thư Thường trực Đảng ủy phường", "presenter", True),
    ("Nguyễn Đức Hiền", "Chủ tịch UBND phường", "attendee", True),
    ("Các đồng chí Đảng ủy viên", "", "attendee", False),
    ("Uỷ ban kiểm tra Đảng ủy phường", "", "attendee", False),
    ("Thường trực UB MTTQ và các đoàn thể phường", "", "attendee", False),
    ("Đại diện Ban chỉ huy Công an, Quân sự phường", "", "attendee", False),
    ("Đại diện Cấp ủy các Chi bộ trực thuộc", "", "attendee", False),
    ("Trưởng 11 khu phố", "", "attendee", False),
    ("Cán bộ, công chức phường", "", "attendee", False),
]  # fmt: skip

SEED_PHOTOS = [
    ("Quang cảnh Hội nghị Ban chấp hành Đảng bộ phường lần thứ 21",
     "Ảnh minh họa: hội trường với băng rôn đỏ và các hàng ghế đại biểu"),
    ("Đồng chí Đặng Thị Bích Thuận phát biểu chỉ đạo hội nghị",
     "Ảnh minh họa: đại biểu phát biểu tại bục trên sân khấu"),
    ("Đồng chí Nguyễn Thị Nhài trình bày báo cáo sơ kết 6 tháng đầu năm 2024",
     "Ảnh minh họa: người trình bày báo cáo đứng trước hội trường"),
    ("Đoàn chủ tịch điều hành hội nghị",
     "Ảnh minh họa: bàn đoàn chủ tịch phủ khăn đỏ trên sân khấu"),
    ("Đại biểu thảo luận, đóng góp ý kiến vào báo cáo",
     "Ảnh minh họa: đại biểu giơ tay phát biểu từ hàng ghế"),
    ("Các đại biểu tham dự hội nghị",
     "Ảnh minh họa: nhiều hàng đại biểu ngồi dự hội nghị"),
    ("Trưởng các khu phố tham dự hội nghị",
     "Ảnh minh họa: một nhóm đại biểu ngồi ở hàng ghế cuối hội trường"),
    ("Đại biểu chụp ảnh lưu niệm sau hội nghị",
     "Ảnh minh họa: các đại biểu đứng thành hàng trước sân khấu"),
]  # fmt: skip


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


# (title, slug, category slug, days before the seed date, featured, summary, body)
ARTICLES = [
    ("Thông báo lịch tiếp công dân của Chủ tịch UBND phường tháng 7/2024",
     "thong-bao-lich-tiep-cong-dan-thang-7-2024", "thong-bao", -3, False,
     "Chủ tịch UBND phường tiếp công dân định kỳ vào sáng thứ Năm hằng tuần tại "
     "Trụ sở UBND phường.",
     _p("Thực hiện Luật Tiếp công dân, UBND phường thông báo lịch tiếp công dân "
        "định kỳ của Chủ tịch UBND phường trong tháng 7/2024 như sau:",
        "Thời gian: từ 7 giờ 30 đến 11 giờ 30 sáng thứ Năm hằng tuần.",
        "Địa điểm: Phòng tiếp công dân, Trụ sở UBND phường.",
        "Người dân khi đến liên hệ vui lòng mang theo căn cước công dân và các "
        "giấy tờ liên quan đến nội dung cần trình bày.")),
    ("Thông báo tạm ngưng cấp nước để sửa chữa đường ống khu phố 3",
     "tam-ngung-cap-nuoc-khu-pho-3", "thong-bao", -1, True,
     "Đơn vị cấp nước tạm ngưng cung cấp nước từ 22 giờ đến 4 giờ sáng hôm sau "
     "để sửa chữa đường ống.",
     _p("Để sửa chữa đường ống cấp nước bị rò rỉ, đơn vị cấp nước thông báo tạm "
        "ngưng cung cấp nước tại khu phố 3 từ 22 giờ ngày 08/7/2024 đến 4 giờ "
        "ngày 09/7/2024.",
        "Đề nghị bà con chủ động trữ nước sinh hoạt. Mọi thắc mắc xin liên hệ "
        "Ban điều hành khu phố 3.")),
    ("Ra quân tổng vệ sinh môi trường, phòng chống sốt xuất huyết",
     "ra-quan-tong-ve-sinh-phong-chong-sot-xuat-huyet", "van-hoa-xa-hoi", 2, False,
     "Hơn 300 đoàn viên, hội viên và người dân cùng ra quân dọn vệ sinh, diệt "
     "lăng quăng tại 11 khu phố.",
     _p("Sáng Chủ nhật, UBND phường phối hợp UB MTTQ và các đoàn thể tổ chức "
        "ra quân tổng vệ sinh môi trường, phòng chống sốt xuất huyết.",
        "Các lực lượng đã thu gom nhiều mét khối rác thải, phát quang bụi rậm, "
        "xử lý vật dụng chứa nước đọng tại các khu dân cư.")),
    ("Tuyên truyền phòng cháy, chữa cháy tại nhà trọ, nhà cho thuê",
     "tuyen-truyen-pccc-nha-tro", "an-ninh-trat-tu", 4, False,
     "Công an phường tuyên truyền, hướng dẫn chủ nhà trọ trang bị bình chữa "
     "cháy và lối thoát nạn.",
     _p("Công an phường đã tổ chức tuyên truyền về phòng cháy, chữa cháy cho "
        "các chủ nhà trọ, nhà cho thuê trên địa bàn.",
        "Mỗi nhà trọ cần trang bị bình chữa cháy, lối thoát nạn thứ hai và "
        "thiết bị báo cháy; không để xe, đồ đạc cản trở lối đi chung.")),
    ("Trao học bổng cho học sinh có hoàn cảnh khó khăn năm 2024",
     "trao-hoc-bong-hoc-sinh-kho-khan-2024", "van-hoa-xa-hoi", 7, False,
     "UB MTTQ phường trao 50 suất học bổng cho học sinh có hoàn cảnh khó khăn, "
     "vượt khó học tốt.",
     _p("UB MTTQ phường phối hợp các nhà hảo tâm trao 50 suất học bổng, mỗi "
        "suất trị giá 1.000.000 đồng, cho học sinh có hoàn cảnh khó khăn.",
        "Đồng chí Trần Quốc Dũng, Chủ tịch UB MTTQ phường, động viên các em "
        "tiếp tục cố gắng trong học tập.")),
    ("Hướng dẫn đăng ký thường trú, tạm trú trực tuyến",
     "huong-dan-dang-ky-cu-tru-truc-tuyen", "thong-bao", 9, False,
     "Người dân có thể đăng ký thường trú, tạm trú qua Cổng dịch vụ công mà "
     "không cần đến trụ sở.",
     _p("Công an phường hướng dẫn người dân thực hiện thủ tục đăng ký thường "
        "trú, tạm trú trực tuyến qua Cổng dịch vụ công quốc gia.",
        "Người dân cần có tài khoản định danh điện tử mức độ 2 và ảnh chụp các "
        "giấy tờ chứng minh chỗ ở hợp pháp.")),
    ("Ra mắt mô hình “Dân vận khéo” tuyến đường xanh – sạch – đẹp",
     "ra-mat-mo-hinh-dan-van-kheo-tuyen-duong-xanh-sach-dep", "tin-tuc-su-kien",
     11, False,
     "Khu phố 5 ra mắt mô hình tuyến đường xanh – sạch – đẹp với sự tham gia "
     "của 120 hộ dân.",
     _p("Thực hiện mô hình “Dân vận khéo”, khu phố 5 ra mắt tuyến đường xanh – "
        "sạch – đẹp dài 800 mét.",
        "Các hộ dân cam kết giữ gìn vệ sinh, trồng và chăm sóc cây xanh trước "
        "nhà.")),
]  # fmt: skip

# An invented meeting report, so officials' pages list more than one meeting.
EXTRA_MEETING = {
    "title": "Hội nghị đối thoại giữa Chủ tịch UBND phường với Nhân dân năm 2024",
    "slug": "hoi-nghi-doi-thoai-chu-tich-ubnd-voi-nhan-dan-2024",
    "category": "hoat-dong-dang-uy-uy-ban",
    "days_after_seed": 5,
    "summary": "UBND phường phối hợp UB MTTQ phường tổ chức hội nghị đối thoại "
    "với Nhân dân; 15 lượt ý kiến được trả lời tại chỗ.",
    "body": _p(
        "UBND phường phối hợp UB MTTQ phường tổ chức hội nghị đối thoại giữa "
        "Chủ tịch UBND phường với Nhân dân năm 2024.",
        "Người dân nêu 15 lượt ý kiến về chỉnh trang đô thị, chiếu sáng công "
        "cộng và thủ tục hành chính; các ý kiến đều được giải đáp tại chỗ.",
    ),
    "meeting": {
        "organization": "ubnd",
        "kind": "doi-thoai",
        "name": "Hội nghị đối thoại giữa Chủ tịch UBND phường với Nhân dân",
        "held_on": datetime.date(2024, 7, 10),
        "held_at": datetime.time(8, 0),
        "place": "Hội trường UBND phường",
        "opinions_count": 15,
    },
    "attendances": [
        ("Nguyễn Đức Hiền", "Chủ tịch UBND phường", "chair", True),
        ("Trần Quốc Dũng", "Chủ tịch UB MTTQ phường", "chair", True),
        ("Lê Thị Thu Hà", "Phó Chủ tịch UBND phường", "attendee", True),
        ("Đại diện Ban điều hành 11 khu phố", "", "attendee", False),
        ("Hơn 150 người dân trên địa bàn phường", "", "guest", False),
    ],
    "photos": [
        (
            "Quang cảnh hội nghị đối thoại",
            "Ảnh minh họa: hội trường với băng rôn đỏ và người dân ngồi dự",
        ),
        (
            "Người dân nêu ý kiến tại hội nghị",
            "Ảnh minh họa: người dân đứng phát biểu trước hội trường",
        ),
    ],  # fmt: skip
}


def seed_paragraphs() -> list[str]:
    """The seed report's paragraphs, without the empty gallery heading."""
    lines = [line.strip() for line in SEED_FILE.read_text("utf-8").splitlines()]
    return [line for line in lines if line and line != "MỘT SỐ HÌNH ẢNH HỘI NGHỊ"]
