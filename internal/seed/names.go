package seed

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Name parts for synthetic organizations.
var (
	eminent = strings.Split("Lê Lợi,Nguyễn Du,Trần Phú,Lê Quý Đôn,Nguyễn Trãi,Chu Văn An,Phan Bội Châu,Lý Tự Trọng,"+
		"Võ Thị Sáu,Nguyễn Thị Minh Khai,Hùng Vương,Quang Trung,Trần Hưng Đạo,Ngô Quyền,Lê Hồng Phong,Nguyễn Văn Trỗi,"+
		"Phan Châu Trinh,Nguyễn Đình Chiểu,Trần Quốc Tuấn,Lương Thế Vinh,Nguyễn Huệ,Hai Bà Trưng,Bùi Thị Xuân,Nguyễn Khuyến,"+
		"Tô Hiến Thành,Lê Thánh Tông,Võ Văn Kiệt,Trần Văn Ơn,Nguyễn Bỉnh Khiêm,Hoàng Hoa Thám", ",")
	places = strings.Split("An Bình,Tân Hiệp,Phú Lộc,Hòa Thành,Long Điền,Vĩnh Phú,Thạnh Mỹ,Bình Minh,Đông Hưng,Tây Sơn,"+
		"Hưng Long,Xuân Lộc,Phước Hải,Mỹ An,Tân Phú,Hòa Bình,Thuận An,Phú Mỹ,Long Hòa,Vĩnh Thạnh,Tân Thành,An Phú,"+
		"Bình Đông,Hiệp Hòa,Thạnh Phú,Đồng Tâm,Quang Minh,Kim Sơn,Yên Lạc,Tiên Phong,Hồng Phong,Thành Công,Phong Điền,"+
		"Hải Xuân,Cẩm Bình,Nam Thành,Bắc Sơn,Trung Hòa,Phú Xuân,Vạn Ninh", ",")
	departments = strings.Split("Sở Tài chính,Sở Xây dựng,Sở Nội vụ,Sở Tư pháp,Sở Công Thương,Sở Y tế,Sở Giáo dục và Đào tạo,"+
		"Sở Nông nghiệp và Môi trường,Sở Khoa học và Công nghệ,Sở Văn hóa - Thể thao và Du lịch,Thanh tra tỉnh,"+
		"Văn phòng Ủy ban nhân dân tỉnh,Thuế tỉnh,Kho bạc Nhà nước khu vực,Bảo hiểm xã hội tỉnh,Sở Dân tộc và Tôn giáo,"+
		"Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh,Ban Quản lý các khu công nghiệp,Cục Thống kê tỉnh,Tòa án nhân dân tỉnh,"+
		"Viện Kiểm sát nhân dân tỉnh,Chi cục Hải quan khu vực", ",")
	partyAgencies = strings.Split("Ban Tổ chức Tỉnh ủy,Ban Tuyên giáo và Dân vận Tỉnh ủy,Ủy ban Kiểm tra Tỉnh ủy,Văn phòng Tỉnh ủy,"+
		"Ủy ban Mặt trận Tổ quốc tỉnh,Tỉnh đoàn,Hội Liên hiệp Phụ nữ tỉnh,Hội Nông dân tỉnh,Liên đoàn Lao động tỉnh,"+
		"Báo và Phát thanh - Truyền hình tỉnh,Trường Chính trị tỉnh,Hội Cựu chiến binh tỉnh", ",")
	publicUnits = []string{"Trường THPT %s", "Trường THCS %s", "Trường Tiểu học %s", "Trường Mầm non %s",
		"Bệnh viện Đa khoa khu vực %s", "Trung tâm Y tế khu vực %s", "Trường Cao đẳng Nghề %s", "Trung tâm Văn hóa - Thể thao %s",
		"Ban Quản lý dự án khu vực %s", "Trường THPT Chuyên %s"}
	stateFirms = []string{"Công ty Điện lực %s", "Công ty TNHH MTV Cấp thoát nước %s", "Công ty Xổ số kiến thiết %s",
		"Công ty TNHH MTV Lâm nghiệp %s", "Công ty Cổ phần Cảng %s", "Chi nhánh Ngân hàng Nông nghiệp %s", "Bưu điện %s",
		"Viễn thông %s"}
	firmWords  = strings.Fields("Thành Công Phú Thịnh Hưng Phát Minh Long An Phát Việt Tiến Hòa Bình Tân Tiến Đông Á Sao Mai Hoàng Gia Nam Việt Phương Đông Trường Thịnh Kim Cương Hải Long")
	firmTrades = strings.Split("May mặc,Thủy sản,Xây dựng,Thương mại,Dệt may,Chế biến gỗ,Logistics,Điện tử,Thực phẩm,Giày da,Cơ khí,Vật liệu xây dựng", ",")
	armed      = []string{"Ban Chỉ huy Phòng thủ khu vực %s", "Công an %s", "Trung đoàn bộ binh %d", "Đồn Biên phòng %s", "Tiểu đoàn %d"}
	others     = []string{"Hợp tác xã %s", "Hội Chữ thập đỏ %s", "Liên minh Hợp tác xã %s", "Quỹ Đầu tư phát triển %s"}
	branchDept = strings.Split("Văn phòng,Phòng Tổ chức - Hành chính,Phòng Kế hoạch - Tài chính,Phòng Nghiệp vụ,Thanh tra,"+
		"Phòng Tổng hợp,Phòng Pháp chế,Trung tâm Dịch vụ,Phòng Kỹ thuật,Phòng Kinh doanh", ",")
	branchSchool = strings.Split("Tổ Toán - Tin,Tổ Ngữ văn,Tổ Ngoại ngữ,Tổ Khoa học tự nhiên,Tổ Khoa học xã hội,Tổ Văn phòng,Học sinh - Sinh viên", ",")
	branchClinic = strings.Split("Khoa Nội,Khoa Ngoại,Khoa Sản,Khoa Nhi,Khoa Cấp cứu,Khoa Xét nghiệm,Phòng Điều dưỡng,Khoa Dược", ",")
)

// unitName names a grassroots organization of a sector.
func unitName(r *rand.Rand, sector string, p *province, committee bool) string {
	prefix := "Chi bộ "
	if committee {
		prefix = "Đảng bộ "
	}
	place := places[r.IntN(len(places))]
	var n string
	switch sector {
	case "COMMUNE":
		kind := "xã "
		if r.IntN(3) == 0 {
			kind = "phường "
		}
		return prefix + kind + place
	case "PARTY_AGENCY":
		n = partyAgencies[r.IntN(len(partyAgencies))]
	case "STATE_AGENCY":
		n = departments[r.IntN(len(departments))]
	case "PUBLIC_SERVICE":
		f := publicUnits[r.IntN(len(publicUnits))]
		if r.IntN(2) == 0 {
			n = fmt.Sprintf(f, eminent[r.IntN(len(eminent))])
		} else {
			n = fmt.Sprintf(f, place)
		}
	case "STATE_ENTERPRISE":
		n = fmt.Sprintf(stateFirms[r.IntN(len(stateFirms))], p.name)
	case "NON_STATE_ENTERPRISE":
		kind := "Công ty TNHH "
		if r.IntN(2) == 0 {
			kind = "Công ty Cổ phần "
		}
		n = kind + firmTrades[r.IntN(len(firmTrades))] + " " + firmWords[r.IntN(len(firmWords))]
	case "ARMED_FORCES":
		f := armed[r.IntN(len(armed))]
		if strings.Contains(f, "%d") {
			n = fmt.Sprintf(f, 1+r.IntN(999))
		} else {
			n = fmt.Sprintf(f, place)
		}
	default:
		n = fmt.Sprintf(others[r.IntN(len(others))], place)
	}
	return prefix + n
}

// branchName names the i-th branch (from 1) of a grassroots committee.
func branchName(r *rand.Rand, sector, unit string, i int) string {
	switch {
	case sector == "COMMUNE":
		if strings.Contains(unit, "phường") {
			return fmt.Sprintf("Chi bộ khu phố %d", i)
		}
		return fmt.Sprintf("Chi bộ ấp %d", i)
	case sector == "ARMED_FORCES":
		return fmt.Sprintf("Chi bộ Đại đội %d", i)
	case strings.Contains(unit, "Trường"):
		return "Chi bộ " + branchSchool[(i-1)%len(branchSchool)] + suffix(i, len(branchSchool))
	case strings.Contains(unit, "Bệnh viện") || strings.Contains(unit, "Y tế"):
		return "Chi bộ " + branchClinic[(i-1)%len(branchClinic)] + suffix(i, len(branchClinic))
	case sector == "STATE_ENTERPRISE" || sector == "NON_STATE_ENTERPRISE":
		if r.IntN(2) == 0 {
			return fmt.Sprintf("Chi bộ Phân xưởng %d", i)
		}
	}
	return "Chi bộ " + branchDept[(i-1)%len(branchDept)] + suffix(i, len(branchDept))
}

// suffix numbers repeated branch names: "Tổ Ngữ văn 2".
func suffix(i, n int) string {
	if i <= n {
		return ""
	}
	return fmt.Sprintf(" %d", (i-1)/n+1)
}
