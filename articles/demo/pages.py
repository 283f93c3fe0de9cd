"""Introduction pages and site settings of the demo ward (invented sample text)."""

SITE_SETTINGS = {
    "name": "Phường Cát Lái",
    "full_name": "Trang thông tin điện tử phường Cát Lái",
    "parent_unit": "Thành phố Thủ Đức – Thành phố Hồ Chí Minh",
    "responsible_person": "Nguyễn Đức Hiền – Chủ tịch UBND phường Cát Lái",
    "address": "Số 1 đường Nguyễn Thị Định, phường Cát Lái, thành phố Thủ Đức, "
    "Thành phố Hồ Chí Minh",
    "phone": "028 3742 0000",
    "email": "ubnd.catlai@example.gov.vn",
    "intro": "Tin hoạt động của Đảng ủy, HĐND, UBND, UB MTTQ phường Cát Lái; "
    "thông báo, lịch tiếp công dân và thông tin cán bộ phường.",
}

# (slug, title, summary, body HTML)
PAGES = [
    (
        "tong-quan",
        "Tổng quan về phường Cát Lái",
        "Vị trí, diện tích, dân số và các khu phố của phường.",
        "<h2>Vị trí địa lý</h2>"
        "<p>Phường Cát Lái nằm ở phía đông thành phố Thủ Đức, giáp sông Sài Gòn "
        "và sông Đồng Nai, có cảng Cát Lái và nhiều khu dân cư mới.</p>"
        "<h2>Diện tích và dân số</h2>"
        "<p>Phường có diện tích tự nhiên khoảng 5,5 km², được chia thành 11 khu "
        "phố. Số liệu dân số được cập nhật theo kết quả thống kê hằng năm của "
        "UBND phường.</p>"
        "<h2>Liên hệ</h2>"
        "<p>Bộ phận tiếp nhận và trả kết quả thủ tục hành chính làm việc từ thứ "
        "Hai đến sáng thứ Bảy trong giờ hành chính.</p>",
    ),
    (
        "he-thong-chinh-tri",
        "Hệ thống chính trị phường",
        "Đảng ủy, Hội đồng nhân dân, Ủy ban nhân dân, Ủy ban Mặt trận Tổ quốc "
        "và các đoàn thể.",
        "<p>Hệ thống chính trị của phường gồm:</p>"
        "<ul>"
        "<li><strong>Đảng ủy phường</strong> lãnh đạo toàn diện mọi mặt công tác "
        "trên địa bàn;</li>"
        "<li><strong>Hội đồng nhân dân phường</strong> là cơ quan quyền lực nhà "
        "nước ở địa phương;</li>"
        "<li><strong>Ủy ban nhân dân phường</strong> là cơ quan hành chính nhà "
        "nước ở địa phương;</li>"
        "<li><strong>Ủy ban Mặt trận Tổ quốc Việt Nam phường</strong> và các "
        "đoàn thể: Hội Liên hiệp Phụ nữ, Đoàn Thanh niên, Hội Cựu chiến binh, "
        "Hội Nông dân;</li>"
        "<li>Công an phường và Ban Chỉ huy Quân sự phường.</li>"
        "</ul>",
    ),
    (
        "lanh-dao-phuong",
        "Lãnh đạo phường",
        "Bí thư, Phó Bí thư Đảng ủy, Chủ tịch UBND và lãnh đạo các cơ quan phường.",
        '<table><thead><tr><th scope="col">Họ và tên</th>'
        '<th scope="col">Chức vụ</th></tr></thead><tbody>'
        "<tr><td>Huỳnh Thị Ngọc Bích</td><td>Bí thư Đảng ủy phường</td></tr>"
        "<tr><td>Nguyễn Thị Nhài</td><td>Phó Bí thư Thường trực Đảng ủy "
        "phường</td></tr>"
        "<tr><td>Nguyễn Đức Hiền</td><td>Chủ tịch UBND phường</td></tr>"
        "</tbody></table>"
        "<p>Danh sách đầy đủ cán bộ và chức vụ hiện tại có ở mục "
        '<a href="/can-bo/">Cán bộ phường</a>.</p>',
    ),
]
