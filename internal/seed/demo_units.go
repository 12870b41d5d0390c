package seed

// demoUnit is a grassroots organization of the demo bloc.
type demoUnit struct {
	name   string
	kind   string // GRASSROOTS_COMMITTEE or GRASSROOTS_BRANCH
	sector string
	// weight is the unit's share of the bloc's admissions.
	weight float64
	// students marks schools whose candidates include students.
	students bool
	branches []string
}

const (
	committee = "GRASSROOTS_COMMITTEE"
	gbranch   = "GRASSROOTS_BRANCH"
)

// demoUnits are the grassroots organizations under the Bạc Liêu bloc.
var demoUnits = []demoUnit{
	{"Đảng bộ Văn phòng Tỉnh ủy", committee, "PARTY_AGENCY", 2.5, false, []string{
		"Chi bộ Phòng Tổng hợp", "Chi bộ Phòng Hành chính - Lưu trữ", "Chi bộ Phòng Quản trị - Tài vụ", "Chi bộ Nhà khách Tỉnh ủy"}},
	{"Chi bộ Ban Tổ chức Tỉnh ủy", gbranch, "PARTY_AGENCY", 0.8, false, nil},
	{"Chi bộ Ban Tuyên giáo Tỉnh ủy", gbranch, "PARTY_AGENCY", 0.7, false, nil},
	{"Chi bộ Ủy ban Kiểm tra Tỉnh ủy", gbranch, "PARTY_AGENCY", 0.6, false, nil},
	{"Chi bộ Ban Dân vận Tỉnh ủy", gbranch, "PARTY_AGENCY", 0.5, false, nil},
	{"Đảng bộ Cơ quan Ủy ban Mặt trận Tổ quốc và các đoàn thể tỉnh", committee, "PARTY_AGENCY", 3, false, []string{
		"Chi bộ Ủy ban Mặt trận Tổ quốc tỉnh", "Chi bộ Tỉnh đoàn", "Chi bộ Hội Liên hiệp Phụ nữ tỉnh",
		"Chi bộ Hội Nông dân tỉnh", "Chi bộ Liên đoàn Lao động tỉnh", "Chi bộ Hội Cựu chiến binh tỉnh"}},
	{"Đảng bộ Văn phòng Ủy ban nhân dân tỉnh", committee, "STATE_AGENCY", 2.5, false, []string{
		"Chi bộ Phòng Tổng hợp", "Chi bộ Phòng Kinh tế", "Chi bộ Phòng Văn hóa - Xã hội", "Chi bộ Trung tâm Phục vụ hành chính công"}},
	{"Đảng bộ Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", committee, "STATE_AGENCY", 1.2, false, []string{
		"Chi bộ Phòng Công tác Quốc hội", "Chi bộ Phòng Công tác Hội đồng nhân dân", "Chi bộ Phòng Hành chính - Tổ chức - Quản trị"}},
	{"Đảng bộ Sở Y tế", committee, "STATE_AGENCY", 8, false, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Phòng Nghiệp vụ Y", "Chi bộ Trung tâm Kiểm soát bệnh tật", "Chi bộ Bệnh viện Sản - Nhi",
		"Chi bộ Bệnh viện Lao và Bệnh phổi", "Chi bộ Bệnh viện Y dược cổ truyền", "Chi bộ Chi cục An toàn vệ sinh thực phẩm",
		"Chi bộ Chi cục Dân số - Kế hoạch hóa gia đình", "Chi bộ Trung tâm Giám định y khoa - Pháp y", "Chi bộ Trung tâm Kiểm nghiệm"}},
	{"Đảng bộ Bệnh viện Đa khoa tỉnh Bạc Liêu", committee, "PUBLIC_SERVICE", 9, false, []string{
		"Chi bộ Khoa Nội tổng hợp", "Chi bộ Khoa Ngoại tổng hợp", "Chi bộ Khoa Hồi sức tích cực - Chống độc", "Chi bộ Khoa Khám bệnh",
		"Chi bộ Khoa Cấp cứu", "Chi bộ Khoa Xét nghiệm", "Chi bộ Khoa Chẩn đoán hình ảnh", "Chi bộ Phòng Điều dưỡng",
		"Chi bộ Phòng Kế hoạch tổng hợp", "Chi bộ Phòng Tài chính - Kế toán"}},
	{"Đảng bộ Sở Giáo dục và Đào tạo", committee, "STATE_AGENCY", 9, true, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Phòng Giáo dục trung học", "Chi bộ Trường THPT Chuyên Bạc Liêu", "Chi bộ Trường THPT Bạc Liêu",
		"Chi bộ Trường THPT Phan Ngọc Hiển", "Chi bộ Trường THPT Lê Thị Riêng", "Chi bộ Trường THPT Hiệp Thành",
		"Chi bộ Trường Phổ thông Dân tộc nội trú tỉnh", "Chi bộ Trung tâm Giáo dục thường xuyên tỉnh", "Chi bộ Trường THPT Giá Rai"}},
	{"Đảng bộ Trường Cao đẳng Y tế Bạc Liêu", committee, "PUBLIC_SERVICE", 5, true, []string{
		"Chi bộ Khoa Y", "Chi bộ Khoa Dược", "Chi bộ Khoa Điều dưỡng", "Chi bộ Phòng Đào tạo", "Chi bộ Sinh viên"}},
	{"Đảng bộ Trường Cao đẳng Kinh tế - Kỹ thuật Bạc Liêu", committee, "PUBLIC_SERVICE", 4.5, true, []string{
		"Chi bộ Khoa Kinh tế", "Chi bộ Khoa Kỹ thuật - Công nghệ", "Chi bộ Khoa Nông nghiệp", "Chi bộ Phòng Đào tạo", "Chi bộ Sinh viên"}},
	{"Đảng bộ Trường Đại học Bạc Liêu", committee, "PUBLIC_SERVICE", 5.5, true, []string{
		"Chi bộ Khoa Sư phạm", "Chi bộ Khoa Nông nghiệp", "Chi bộ Khoa Kinh tế", "Chi bộ Khoa Công nghệ thông tin",
		"Chi bộ Phòng Đào tạo", "Chi bộ Sinh viên 1", "Chi bộ Sinh viên 2"}},
	{"Đảng bộ Đài Phát thanh và Truyền hình Bạc Liêu", committee, "PUBLIC_SERVICE", 2, false, []string{
		"Chi bộ Phòng Thời sự", "Chi bộ Phòng Biên tập", "Chi bộ Phòng Kỹ thuật - Công nghệ", "Chi bộ Phòng Hành chính - Tổng hợp"}},
	{"Chi bộ Báo Bạc Liêu", gbranch, "PUBLIC_SERVICE", 0.8, false, nil},
	{"Chi bộ Trường Chính trị Châu Văn Đặng", gbranch, "PUBLIC_SERVICE", 0.6, false, nil},
	{"Đảng bộ Sở Tài chính", committee, "STATE_AGENCY", 1.8, false, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Phòng Quản lý ngân sách", "Chi bộ Phòng Tài chính đầu tư", "Chi bộ Thanh tra Sở"}},
	{"Đảng bộ Sở Kế hoạch và Đầu tư", committee, "STATE_AGENCY", 1.4, false, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Phòng Đăng ký kinh doanh", "Chi bộ Phòng Tổng hợp - Quy hoạch"}},
	{"Đảng bộ Sở Nông nghiệp và Phát triển nông thôn", committee, "STATE_AGENCY", 5, false, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Chi cục Thủy sản", "Chi bộ Chi cục Kiểm lâm", "Chi bộ Chi cục Thủy lợi",
		"Chi bộ Chi cục Chăn nuôi và Thú y", "Chi bộ Trung tâm Khuyến nông", "Chi bộ Chi cục Trồng trọt và Bảo vệ thực vật",
		"Chi bộ Ban Quản lý rừng phòng hộ"}},
	{"Đảng bộ Sở Tài nguyên và Môi trường", committee, "STATE_AGENCY", 2.2, false, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Văn phòng Đăng ký đất đai", "Chi bộ Chi cục Bảo vệ môi trường", "Chi bộ Trung tâm Quan trắc"}},
	{"Đảng bộ Sở Giao thông vận tải", committee, "STATE_AGENCY", 1.8, false, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Thanh tra Sở", "Chi bộ Ban Quản lý dự án", "Chi bộ Phòng Quản lý vận tải"}},
	{"Đảng bộ Sở Xây dựng", committee, "STATE_AGENCY", 1.3, false, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Phòng Quản lý xây dựng", "Chi bộ Trung tâm Kiểm định chất lượng xây dựng"}},
	{"Đảng bộ Sở Công Thương", committee, "STATE_AGENCY", 1.3, false, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Phòng Quản lý công nghiệp", "Chi bộ Trung tâm Khuyến công và Xúc tiến thương mại"}},
	{"Đảng bộ Sở Lao động - Thương binh và Xã hội", committee, "STATE_AGENCY", 2.4, false, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Trung tâm Dịch vụ việc làm", "Chi bộ Trung tâm Công tác xã hội", "Chi bộ Cơ sở Cai nghiện ma túy"}},
	{"Đảng bộ Sở Văn hóa, Thể thao và Du lịch", committee, "STATE_AGENCY", 2.2, false, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Trung tâm Văn hóa tỉnh", "Chi bộ Bảo tàng tỉnh", "Chi bộ Thư viện tỉnh", "Chi bộ Đoàn Ca múa nhạc dân tộc Khmer"}},
	{"Đảng bộ Sở Nội vụ", committee, "STATE_AGENCY", 1.2, false, []string{
		"Chi bộ Văn phòng Sở", "Chi bộ Ban Thi đua - Khen thưởng", "Chi bộ Chi cục Văn thư - Lưu trữ"}},
	{"Chi bộ Sở Tư pháp", gbranch, "STATE_AGENCY", 0.8, false, nil},
	{"Chi bộ Thanh tra tỉnh", gbranch, "STATE_AGENCY", 0.7, false, nil},
	{"Chi bộ Sở Khoa học và Công nghệ", gbranch, "STATE_AGENCY", 0.7, false, nil},
	{"Chi bộ Sở Thông tin và Truyền thông", gbranch, "STATE_AGENCY", 0.7, false, nil},
	{"Chi bộ Ban Dân tộc tỉnh", gbranch, "STATE_AGENCY", 0.6, false, nil},
	{"Đảng bộ Công ty Điện lực Bạc Liêu", committee, "STATE_ENTERPRISE", 2.2, false, []string{
		"Chi bộ Văn phòng Công ty", "Chi bộ Điện lực thành phố Bạc Liêu", "Chi bộ Điện lực Giá Rai", "Chi bộ Điện lực Hồng Dân",
		"Chi bộ Phân xưởng Sửa chữa - Thí nghiệm"}},
	{"Đảng bộ Công ty TNHH Một thành viên Cấp nước Bạc Liêu", committee, "STATE_ENTERPRISE", 1.2, false, []string{
		"Chi bộ Văn phòng Công ty", "Chi bộ Xí nghiệp Cấp nước thành phố", "Chi bộ Xí nghiệp Cấp nước huyện"}},
	{"Chi bộ Công ty Xổ số kiến thiết Bạc Liêu", gbranch, "STATE_ENTERPRISE", 0.7, false, nil},
	{"Chi bộ Công ty Cổ phần Thủy sản Bạc Liêu", gbranch, "NON_STATE_ENTERPRISE", 0.25, false, nil},
	{"Chi bộ Công ty TNHH Muối Bạc Liêu", gbranch, "NON_STATE_ENTERPRISE", 0.15, false, nil},
	{"Chi bộ Công ty Cổ phần Dược phẩm Bạc Liêu", gbranch, "NON_STATE_ENTERPRISE", 0.2, false, nil},
	{"Chi bộ Công ty TNHH Điện gió Bạc Liêu", gbranch, "NON_STATE_ENTERPRISE", 0.15, false, nil},
}
