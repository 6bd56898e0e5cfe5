"""Team-written dispatches for the ranking cases of issue 15 (invented numbers, units and people, modelled
on ministry, department and provincial letters): a ministry letter cited by three provinces, a department
under the ministry, the same "Sở Tư pháp" in two provinces, a signer whose name words are scattered over a
notice."""

DOCS = {
    'bca-c06.txt': """BỘ CÔNG AN                                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH                      Độc lập - Tự do - Hạnh phúc
VỀ TRẬT TỰ XÃ HỘI
Số: 518/C06-P4                                     Hà Nội, ngày 02 tháng 4 năm 2024
V/v hướng dẫn cấp đổi thẻ căn cước

Kính gửi: Công an các tỉnh, thành phố trực thuộc trung ương.

Cục Cảnh sát quản lý hành chính về trật tự xã hội hướng dẫn Công an các địa phương tổ chức cấp đổi thẻ căn cước cho công dân theo quy định.

Nơi nhận:                                              CỤC TRƯỞNG
- Như trên;
- Lưu: VT, P4.
                                                        Thiếu tướng Vừ Văn Khải
""",
    'bca-cv.txt': """BỘ CÔNG AN                                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                                     Độc lập - Tự do - Hạnh phúc
Số: 2214/BCA-V03                                   Hà Nội, ngày 11 tháng 3 năm 2024
V/v tăng cường phòng ngừa tội phạm trên không gian mạng

Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương.

Để chủ động phòng ngừa tội phạm sử dụng công nghệ cao, đề nghị Ủy ban nhân dân các tỉnh chỉ đạo các sở, ngành phối hợp với lực lượng Công an địa phương tuyên truyền cho người dân về các phương thức lừa đảo mới.
Đề nghị báo cáo kết quả thực hiện trước ngày 30/6/2024.

Nơi nhận:                                              KT. BỘ TRƯỞNG
- Như trên;                                             THỨ TRƯỞNG
- Lưu: VT, V03.
                                                        Thượng tướng Lò Minh Quang
""",
    'stp-lamdong.txt': """ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ TƯ PHÁP                                           Độc lập - Tự do - Hạnh phúc
Số: 845/STP-HCTP                                 Đà Lạt, ngày 05 tháng 5 năm 2024
V/v hướng dẫn chứng thực bản sao điện tử

Kính gửi: Ủy ban nhân dân các huyện, thành phố.

Sở Tư pháp hướng dẫn việc chứng thực bản sao điện tử từ bản chính như sau: các xã, phường bố trí công chức tiếp nhận hồ sơ trực tuyến.

Nơi nhận:                                              GIÁM ĐỐC
- Như trên;
- Lưu: VT, HCTP.
                                                        Phan Thị Ngọc Diệp
""",
    'stp-laocai.txt': """ỦY BAN NHÂN DÂN TỈNH LÀO CAI                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ TƯ PHÁP                                           Độc lập - Tự do - Hạnh phúc
Số: 377/STP-BTTP                                 Lào Cai, ngày 14 tháng 5 năm 2024
V/v rà soát đội ngũ hòa giải viên ở cơ sở

Kính gửi: Phòng Tư pháp các huyện, thị xã, thành phố.

Sở Tư pháp đề nghị Phòng Tư pháp các huyện rà soát đội ngũ hòa giải viên, gửi danh sách trước ngày 10/6/2024.

Nơi nhận:                                              GIÁM ĐỐC
- Như trên;
- Lưu: VT, BTTP.
                                                        Sầm Văn Khiêm
""",
    'tb-hop.txt': """LIÊN ĐOÀN LAO ĐỘNG TỈNH LÂM ĐỒNG               CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                                     Độc lập - Tự do - Hạnh phúc
Số: 66/TB-LĐLĐ                                   Đà Lạt, ngày 20 tháng 5 năm 2024
THÔNG BÁO
Danh sách khen thưởng phong trào thi đua năm 2024

Liên đoàn Lao động tỉnh thông báo danh sách đoàn viên được khen thưởng: đồng chí Phan Văn Thạch; đồng chí Lê Thị Hoa; đồng chí Ngọc Anh Tú; đồng chí Diệp Minh Châu; đồng chí Trần Ngọc Diệp Hương; đồng chí Phan Thị Lụa.

Nơi nhận:                                              TM. BAN THƯỜNG VỤ
- Các công đoàn cơ sở;                                  CHỦ TỊCH
- Lưu: VT.
                                                        Võ Đình Nguyên
""",
    'ubnd-1.txt': """ỦY BAN NHÂN DÂN                                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH LẠNG SƠN                                     Độc lập - Tự do - Hạnh phúc
Số: 141/UBND-NC                                   Lạng Sơn, ngày 21 tháng 3 năm 2024
V/v triển khai Công văn số 2214/BCA-V03 của Bộ Công an

Kính gửi: Công an tỉnh; các sở, ngành; Ủy ban nhân dân các huyện.

Thực hiện Công văn số 2214/BCA-V03 ngày 11/3/2024 của Bộ Công an, Ủy ban nhân dân tỉnh giao Công an tỉnh chủ trì, phối hợp với các sở, ngành triển khai ngay. Bộ Công an yêu cầu báo cáo định kỳ; Công an tỉnh tổng hợp báo cáo Bộ Công an trước ngày 20/6/2024.

Nơi nhận:                                              TM. ỦY BAN NHÂN DÂN
- Như trên;                                             KT. CHỦ TỊCH
- Lưu: VT, NC.                                          PHÓ CHỦ TỊCH
                                                        Hà Văn Toản
""",
    'ubnd-2.txt': """ỦY BAN NHÂN DÂN                                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH HÀ GIANG                                     Độc lập - Tự do - Hạnh phúc
Số: 142/UBND-NC                                   Hà Giang, ngày 22 tháng 3 năm 2024
V/v triển khai Công văn số 2214/BCA-V03 của Bộ Công an

Kính gửi: Công an tỉnh; các sở, ngành; Ủy ban nhân dân các huyện.

Thực hiện Công văn số 2214/BCA-V03 ngày 11/3/2024 của Bộ Công an, Ủy ban nhân dân tỉnh giao Công an tỉnh chủ trì, phối hợp với các sở, ngành triển khai ngay. Bộ Công an yêu cầu báo cáo định kỳ; Công an tỉnh tổng hợp báo cáo Bộ Công an trước ngày 20/6/2024.

Nơi nhận:                                              TM. ỦY BAN NHÂN DÂN
- Như trên;                                             KT. CHỦ TỊCH
- Lưu: VT, NC.                                          PHÓ CHỦ TỊCH
                                                        Lục Thị Hằng
""",
    'ubnd-3.txt': """ỦY BAN NHÂN DÂN                                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH KON TUM                                     Độc lập - Tự do - Hạnh phúc
Số: 143/UBND-NC                                   Kon Tum, ngày 23 tháng 3 năm 2024
V/v triển khai Công văn số 2214/BCA-V03 của Bộ Công an

Kính gửi: Công an tỉnh; các sở, ngành; Ủy ban nhân dân các huyện.

Thực hiện Công văn số 2214/BCA-V03 ngày 11/3/2024 của Bộ Công an, Ủy ban nhân dân tỉnh giao Công an tỉnh chủ trì, phối hợp với các sở, ngành triển khai ngay. Bộ Công an yêu cầu báo cáo định kỳ; Công an tỉnh tổng hợp báo cáo Bộ Công an trước ngày 20/6/2024.

Nơi nhận:                                              TM. ỦY BAN NHÂN DÂN
- Như trên;                                             KT. CHỦ TỊCH
- Lưu: VT, NC.                                          PHÓ CHỦ TỊCH
                                                        A Nhơ Pết
""",
}
