package seed

// province is one of the 34 provincial units of 2025 (after the mergers),
// with the ethnic mix of its people and, where it differs from the
// national pattern, the religions of its Kinh majority.
type province struct {
	name     string
	city     bool // a centrally-run city (thành phố), else a tỉnh
	code     int  // citizen-ID province code
	mix      *ethnicMix
	religion *choice // for the Kinh; nil: the national pattern
}

// title is "tỉnh X" or "thành phố X".
func (p *province) title() string {
	if p.city {
		return "thành phố " + p.name
	}
	return "tỉnh " + p.name
}

var kinhOnly = pick("Kinh", 1)

var provinces = []*province{
	{"Hà Nội", true, 1, pick("Kinh", 98, "Mường", 1.5, "Tày", 0.5), nil},
	{"Huế", true, 46, pick("Kinh", 98, "Cơ Tu", 2), pick("", 80, "Phật giáo", 15, "Công giáo", 5)},
	{"Lai Châu", false, 12, pick("Thái", 35, "H'Mông", 30, "Kinh", 20, "Dao", 15), nil},
	{"Điện Biên", false, 11, pick("Thái", 40, "H'Mông", 30, "Kinh", 25, "Dao", 5), nil},
	{"Sơn La", false, 14, pick("Thái", 55, "Kinh", 20, "H'Mông", 15, "Mường", 10), nil},
	{"Lạng Sơn", false, 20, pick("Nùng", 40, "Tày", 35, "Kinh", 20, "Dao", 5), nil},
	{"Quảng Ninh", false, 22, pick("Kinh", 88, "Dao", 5, "Tày", 4, "Sán Dìu", 3), nil},
	{"Thanh Hóa", false, 38, pick("Kinh", 82, "Mường", 10, "Thái", 8), nil},
	{"Nghệ An", false, 40, pick("Kinh", 86, "Thái", 10, "H'Mông", 2, "Mường", 2), pick("", 88, "Công giáo", 10, "Phật giáo", 2)},
	{"Hà Tĩnh", false, 42, kinhOnly, pick("", 90, "Công giáo", 9, "Phật giáo", 1)},
	{"Cao Bằng", false, 4, pick("Tày", 40, "Nùng", 30, "Kinh", 10, "H'Mông", 10, "Dao", 10), nil},
	{"Tuyên Quang", false, 8, pick("Kinh", 35, "Tày", 25, "H'Mông", 20, "Dao", 12, "Nùng", 8), nil},
	{"Lào Cai", false, 15, pick("Kinh", 45, "H'Mông", 20, "Tày", 15, "Dao", 15, "Thái", 5), nil},
	{"Thái Nguyên", false, 19, pick("Kinh", 65, "Tày", 20, "Nùng", 8, "Dao", 4, "Sán Dìu", 3), nil},
	{"Phú Thọ", false, 25, pick("Kinh", 75, "Mường", 20, "Dao", 3, "Tày", 2), nil},
	{"Bắc Ninh", false, 24, pick("Kinh", 88, "Nùng", 5, "Tày", 4, "Sán Dìu", 3), nil},
	{"Hưng Yên", false, 33, kinhOnly, pick("", 90, "Công giáo", 6, "Phật giáo", 4)},
	{"Hải Phòng", true, 31, kinhOnly, nil},
	{"Ninh Bình", false, 37, pick("Kinh", 99, "Mường", 1), pick("", 78, "Công giáo", 18, "Phật giáo", 4)},
	{"Quảng Trị", false, 45, pick("Kinh", 96, "Bru - Vân Kiều", 4), nil},
	{"Đà Nẵng", true, 48, pick("Kinh", 97, "Cơ Tu", 3), nil},
	{"Quảng Ngãi", false, 51, pick("Kinh", 78, "Xơ Đăng", 12, "Ba Na", 10), nil},
	{"Gia Lai", false, 52, pick("Kinh", 75, "Gia Rai", 15, "Ba Na", 10), nil},
	{"Khánh Hòa", false, 56, pick("Kinh", 88, "Chăm", 8, "Raglai", 4), nil},
	{"Lâm Đồng", false, 68, pick("Kinh", 84, "Cơ Ho", 6, "Chăm", 4, "Tày", 3, "Nùng", 3), pick("", 70, "Công giáo", 20, "Phật giáo", 8, "Tin lành", 2)},
	{"Đắk Lắk", false, 66, pick("Kinh", 72, "Ê Đê", 18, "Nùng", 4, "Tày", 4, "Gia Rai", 2), nil},
	{"Thành phố Hồ Chí Minh", true, 79, pick("Kinh", 93, "Hoa", 6, "Khmer", 1), pick("", 75, "Phật giáo", 12, "Công giáo", 11, "Tin lành", 2)},
	{"Đồng Nai", false, 75, pick("Kinh", 90, "Hoa", 3, "Nùng", 3, "Tày", 2, "Khmer", 2), pick("", 65, "Công giáo", 25, "Phật giáo", 10)},
	{"Tây Ninh", false, 72, pick("Kinh", 98, "Khmer", 1, "Chăm", 1), pick("", 70, "Cao Đài", 20, "Phật giáo", 8, "Công giáo", 2)},
	{"Cần Thơ", true, 92, pick("Kinh", 80, "Khmer", 17, "Hoa", 3), pick("", 80, "Phật giáo", 12, "Phật giáo Hòa Hảo", 5, "Cao Đài", 3)},
	{"Vĩnh Long", false, 86, pick("Kinh", 89, "Khmer", 10, "Hoa", 1), pick("", 82, "Phật giáo", 10, "Công giáo", 5, "Cao Đài", 3)},
	{"Đồng Tháp", false, 87, pick("Kinh", 99, "Hoa", 1), pick("", 80, "Phật giáo", 10, "Phật giáo Hòa Hảo", 7, "Cao Đài", 3)},
	{"Cà Mau", false, 96, pick("Kinh", 92, "Khmer", 6, "Hoa", 2), nil},
	{"An Giang", false, 89, pick("Kinh", 88, "Khmer", 9, "Hoa", 2, "Chăm", 1), pick("", 60, "Phật giáo Hòa Hảo", 30, "Phật giáo", 8, "Công giáo", 2)},
}

func init() {
	// Highland groups without their own naming data borrow the Gia Rai
	// pattern (family name, given name) under their own name.
	for _, n := range []string{"Ba Na", "Xơ Đăng", "Cơ Ho", "Raglai", "Cơ Tu", "Bru - Vân Kiều"} {
		g := *groups["Gia Rai"]
		g.name = n
		g.highland = false
		g.maleMid, g.femaleMid = pick("", 1), pick("", 1)
		groups[n] = &g
	}
}
