package seed

import (
	"math/rand/v2"
	"strings"
)

// choice picks strings with given weights.
type choice struct {
	items []string
	cum   []float64
}

// pick builds a choice from alternating item, weight pairs: "Nguyễn", 38, "Trần", 11, ….
func pick(pairs ...any) *choice {
	c := &choice{}
	total := 0.0
	for i := 0; i < len(pairs); i += 2 {
		var w float64
		switch v := pairs[i+1].(type) {
		case int:
			w = float64(v)
		case float64:
			w = v
		}
		total += w
		c.items = append(c.items, pairs[i].(string))
		c.cum = append(c.cum, total)
	}
	return c
}

// uniform builds a choice of equally likely items.
func uniform(items ...string) *choice {
	c := &choice{items: items}
	for i := range items {
		c.cum = append(c.cum, float64(i+1))
	}
	return c
}

// uniformFields builds a uniform choice from a space-separated list.
func uniformFields(list string) *choice { return uniform(strings.Fields(list)...) }

// draw returns a random item.
func (c *choice) draw(r *rand.Rand) string {
	x := r.Float64() * c.cum[len(c.cum)-1]
	lo, hi := 0, len(c.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if c.cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return c.items[lo]
}

// ethnicGroup knows how people of one group are named and which religions
// they follow (the empty string is no religion).
type ethnicGroup struct {
	name      string
	families  *choice
	maleMid   *choice
	femaleMid *choice
	male      *choice
	female    *choice
	religions *choice
	// highland names are written given name first with a gendered prefix
	// (Y Khoa Niê, H'Hen Niê), as among the Ê Đê and M'Nông.
	highland bool
}

var (
	kinhMale = uniformFields(`An Anh Bảo Bình Cường Chiến Công Danh Dũng Duy Đạt Định Đức Giang Hải Hào Hiếu Hiệp Hòa Hoàng
		Huân Hùng Huy Khải Khang Khánh Khoa Kiên Lâm Lộc Long Luân Minh Nam Nghĩa Nhân Phát Phong Phúc Phước Quân Quang
		Quý Sang Sơn Tài Tâm Tân Thái Thắng Thành Thiện Thịnh Toàn Trí Trọng Trung Tuấn Tùng Việt Vinh Vũ Xuân`)
	kinhFemale = uniformFields(`An Anh Ánh Bích Châu Chi Diễm Diệu Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Hồng Huyền Hương
		Khánh Kiều Lan Liên Linh Loan Ly Mai My Nga Ngân Ngọc Nguyệt Nhàn Nhi Nhung Oanh Phương Quyên Quỳnh Tâm Thảo Thơ
		Thu Thủy Thư Tiên Trang Trâm Trinh Tuyết Uyên Vân Vy Xuân Yến`)
	kinhMaleMid   = pick("Văn", 30, "Hữu", 8, "Minh", 12, "Quốc", 8, "Thanh", 8, "Đức", 6, "Công", 5, "Hoàng", 5, "Ngọc", 4, "Trung", 4, "Tấn", 5, "Chí", 5)
	kinhFemaleMid = pick("Thị", 45, "Ngọc", 12, "Thu", 6, "Thanh", 7, "Kim", 6, "Mỹ", 5, "Hồng", 5, "Bích", 4, "Diễm", 3, "Phương", 4, "Minh", 3)
	noReligion    = pick("", 1)
)

// groups are the ethnic groups the seeds draw from, by name.
var groups = map[string]*ethnicGroup{
	"Kinh": {
		name: "Kinh",
		families: pick("Nguyễn", 38, "Trần", 11, "Lê", 9.5, "Phạm", 7, "Huỳnh", 4, "Hoàng", 2, "Phan", 4.5, "Võ", 3.5, "Vũ", 1.5,
			"Đặng", 2, "Bùi", 2, "Đỗ", 1.5, "Hồ", 1.5, "Ngô", 1.3, "Dương", 1, "Lý", 0.5, "Đoàn", 1, "Trương", 1, "Lưu", 0.6,
			"Tô", 0.5, "Mai", 0.6, "Cao", 0.6, "Đinh", 0.6, "Tạ", 0.4, "Châu", 0.3, "La", 0.3, "Quách", 0.3),
		maleMid: kinhMaleMid, femaleMid: kinhFemaleMid, male: kinhMale, female: kinhFemale,
		religions: pick("", 84, "Phật giáo", 8, "Công giáo", 4, "Cao Đài", 2, "Phật giáo Hòa Hảo", 1, "Tin lành", 1),
	},
	"Khmer": {
		name:      "Khmer",
		families:  pick("Thạch", 25, "Sơn", 20, "Danh", 15, "Kim", 12, "Lâm", 10, "Châu", 8, "Lý", 5, "Triệu", 3, "Huỳnh", 2),
		maleMid:   pick("", 40, "Văn", 25, "Minh", 10, "Sa", 10, "Chanh", 8, "Sóc", 7),
		femaleMid: pick("Thị", 45, "", 25, "Ngọc", 10, "Sa", 10, "Sô", 10),
		male:      uniformFields("Sóc Phol Rinh Sang Sa-Rươl Khên Ny Thuận Rết Sô-Phết Chanh Đa Ra Na Mến Sóc-Kha Vươl Phương Hên Tha"),
		female:    uniformFields("Sa-Ry Sô-Phia Sa-Rươne Chanh-Đa Ra-Ta-Na Kim-Hoa Phal Thi Sóc-Kha Mẹt Sa-Quênh Pha-Ly Hoa Phương"),
		religions: pick("Phật giáo", 90, "", 10),
	},
	"Hoa": {
		name:      "Hoa",
		families:  pick("Lâm", 15, "Trương", 12, "Quách", 10, "Lý", 10, "Tăng", 8, "Huỳnh", 8, "Mã", 7, "Diệp", 6, "Hứa", 6, "Thái", 6, "Lưu", 6, "Ông", 3, "Tạ", 3),
		maleMid:   pick("Quốc", 20, "Gia", 15, "Văn", 20, "Minh", 15, "Vĩnh", 10, "Khải", 10, "Chấn", 10),
		femaleMid: pick("Huệ", 15, "Mỹ", 20, "Ngọc", 20, "Tú", 15, "Thị", 20, "Bội", 10),
		male:      uniformFields("Cường Hào Kiệt Khang Lương Phát Quang Tài Thành Trí Vinh Hưng Đạt Lợi Phú Nghĩa"),
		female:    uniformFields("Anh Châu Dung Hoa Lan Linh Mai Ngân Nghi Phân Quyên Trân Tuyết Vân Yến Mẫn"),
		religions: pick("", 55, "Phật giáo", 40, "Công giáo", 5),
	},
	"Tày": {
		name:     "Tày",
		families: pick("Hoàng", 20, "Nông", 20, "Lương", 12, "Lục", 10, "Triệu", 10, "Bế", 10, "Hà", 8, "Ma", 5, "Lường", 5),
		maleMid:  kinhMaleMid, femaleMid: kinhFemaleMid, male: kinhMale, female: kinhFemale,
		religions: pick("", 96, "Phật giáo", 2, "Công giáo", 2),
	},
	"Nùng": {
		name:     "Nùng",
		families: pick("Nông", 25, "Hoàng", 20, "Lăng", 10, "Vi", 15, "Chu", 10, "Mã", 10, "Lục", 10),
		maleMid:  kinhMaleMid, femaleMid: kinhFemaleMid, male: kinhMale, female: kinhFemale,
		religions: pick("", 97, "Công giáo", 3),
	},
	"Thái": {
		name:     "Thái",
		families: pick("Lò", 25, "Lường", 20, "Cầm", 15, "Quàng", 10, "Tòng", 10, "Vi", 10, "Hà", 10),
		maleMid:  pick("Văn", 70, "Minh", 15, "Đức", 15), femaleMid: pick("Thị", 85, "Ngọc", 15),
		male: kinhMale, female: kinhFemale,
		religions: noReligion,
	},
	"Mường": {
		name:     "Mường",
		families: pick("Bùi", 35, "Đinh", 25, "Quách", 15, "Hà", 10, "Phạm", 10, "Cao", 5),
		maleMid:  kinhMaleMid, femaleMid: kinhFemaleMid, male: kinhMale, female: kinhFemale,
		religions: pick("", 97, "Công giáo", 3),
	},
	"H'Mông": {
		name:     "H'Mông",
		families: pick("Giàng", 20, "Sùng", 15, "Thào", 15, "Vàng", 15, "Mùa", 10, "Lầu", 10, "Hờ", 8, "Lý", 7),
		maleMid:  pick("A", 60, "Văn", 25, "Seo", 15), femaleMid: pick("Thị", 80, "Mỷ", 20),
		male:      uniformFields("Páo Chứ Dế Sình Chá Lử Tủa Pó Cở Sử Súa Chinh Dính"),
		female:    uniformFields("Mỷ Dợ Sua Pàng Chở Dua Mai Và Lan"),
		religions: pick("", 85, "Tin lành", 15),
	},
	"Dao": {
		name:     "Dao",
		families: pick("Triệu", 35, "Bàn", 25, "Đặng", 20, "Lý", 10, "Chảo", 10),
		maleMid:  pick("Văn", 50, "Tài", 25, "Kim", 25), femaleMid: pick("Thị", 80, "Mùi", 20),
		male: uniformFields("Phin Quẩy Chòi Sành Vàng Kiềm Lưu Tòn Vần Hin"), female: uniformFields("Mùi Chài Nhất Xuân Nái Phây Liên"),
		religions: noReligion,
	},
	"Ê Đê": {
		name:      "Ê Đê",
		families:  pick("Niê", 30, "Mlô", 15, "Byă", 12, "Êban", 12, "Adrơng", 10, "Ksơr", 11, "Buôn Yă", 10),
		male:      uniformFields("Khoa Blang Jút Bhiăm Nhuân Yơn Thuột Ngông Hiu Kô Lul Wang"),
		female:    uniformFields("Hen Bia Nhung Ngọc Dung Kim Yen Lin Rôn Mai"),
		religions: pick("", 55, "Tin lành", 35, "Công giáo", 10), highland: true,
	},
	"Gia Rai": {
		name:      "Gia Rai",
		families:  pick("Ksor", 30, "Siu", 25, "Rơ Châm", 15, "Rơ Mah", 15, "Nay", 10, "Puih", 5),
		male:      uniformFields("Blang Nhang Thuyên Pơ Jơng Hieo Din Kông Đêl Nhơn"),
		female:    uniformFields("Bia Hơn Nhân Lan Phơn Ngơn Yơn"),
		religions: pick("", 60, "Tin lành", 30, "Công giáo", 10), highland: true,
	},
	"Chăm": {
		name:     "Chăm",
		families: pick("Đạo", 20, "Thành", 15, "Quảng", 15, "Lưu", 10, "Trượng", 10, "Phú", 10, "Thiên", 10, "Sử", 10),
		maleMid:  pick("Văn", 70, "Minh", 15, "Thanh", 15), femaleMid: pick("Thị", 80, "Ngọc", 20),
		male: kinhMale, female: kinhFemale,
		religions: pick("Bà La Môn", 45, "Hồi giáo", 40, "", 15),
	},
	"Sán Dìu": {
		name:     "Sán Dìu",
		families: pick("Lý", 25, "Diệp", 20, "Trương", 15, "Lê", 15, "Tạ", 15, "Vương", 10),
		maleMid:  kinhMaleMid, femaleMid: kinhFemaleMid, male: kinhMale, female: kinhFemale,
		religions: noReligion,
	},
}

// ethnicMix picks ethnic groups for one place.
type ethnicMix = choice

// bacLieuMix is Bạc Liêu's population: Kinh majority, Khmer about 8%, Hoa about 3%.
var bacLieuMix = pick("Kinh", 89, "Khmer", 8, "Hoa", 3)

// name returns a full name for a person of the group.
func (g *ethnicGroup) fullName(r *rand.Rand, female bool) string {
	fam := g.families.draw(r)
	if g.highland {
		if female {
			return "H'" + g.female.draw(r) + " " + fam
		}
		return "Y " + g.male.draw(r) + " " + fam
	}
	var mid, given string
	if female {
		mid, given = g.femaleMid.draw(r), g.female.draw(r)
	} else {
		mid, given = g.maleMid.draw(r), g.male.draw(r)
	}
	if given == mid {
		given = g.male.draw(r)
		if female {
			given = g.female.draw(r)
		}
	}
	given = strings.ReplaceAll(given, "-", " ")
	if mid == "" {
		return fam + " " + given
	}
	return fam + " " + mid + " " + given
}
