package importer

import (
	"context"
	"sort"
	"strings"
)

// column is one column of a template.
type column struct {
	header string
	// field is the field the column fills, as rule errors name it.
	field    string
	required bool
	example  string
	labels   map[string]string
}

// note is the help shown on the template's header cell.
func (c column) note() string {
	var parts []string
	if c.required {
		parts = append(parts, "Bắt buộc.")
	}
	if c.labels != nil {
		parts = append(parts, "Một trong: "+allowed(c.labels)+".")
	}
	if strings.HasPrefix(c.header, "Ngày") {
		parts = append(parts, "Dạng dd/mm/yyyy.")
	}
	return strings.Join(parts, " ")
}

// spec describes the file of one entity and how to import it.
type spec struct {
	columns []column
	run     func(ctx context.Context, j *job) error
}

// header returns the column that fills field, or "".
func (s *spec) header(field string) string {
	f := strings.ReplaceAll(strings.ToLower(field), "_", "")
	for _, c := range s.columns {
		if c.field != "" && strings.ToLower(c.field) == f {
			return c.header
		}
	}
	return ""
}

// Columns returns the headers of entity's template, for documentation.
func Columns(entity Entity) ([]string, error) {
	s, ok := specs[entity]
	if !ok {
		return nil, unknownEntity(entity)
	}
	out := make([]string, len(s.columns))
	for i, c := range s.columns {
		out[i] = c.header
	}
	return out, nil
}

// allowed lists the Vietnamese labels of an enum.
func allowed(labels map[string]string) string {
	var out []string
	for l := range labels {
		out = append(out, l)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// Enum labels, by normalized Vietnamese label. Codes are accepted as well.
var (
	genders          = map[string]string{"nam": "MALE", "nữ": "FEMALE"}
	generalEducation = map[string]string{"tiểu học": "PRIMARY", "trung học cơ sở": "LOWER_SECONDARY", "thcs": "LOWER_SECONDARY",
		"trung học phổ thông": "UPPER_SECONDARY", "thpt": "UPPER_SECONDARY", "9/12": "LOWER_SECONDARY", "12/12": "UPPER_SECONDARY"}
	professionalLevels = map[string]string{"không": "NONE", "trung cấp": "INTERMEDIATE", "cao đẳng": "COLLEGE",
		"đại học": "UNIVERSITY", "thạc sĩ": "MASTER", "tiến sĩ": "DOCTOR"}
	theoryLevels = map[string]string{"không": "NONE", "sơ cấp": "ELEMENTARY", "trung cấp": "INTERMEDIATE", "cao cấp": "ADVANCED"}
	occupations  = map[string]string{"công chức": "CIVIL_SERVANT", "viên chức": "PUBLIC_EMPLOYEE",
		"người lao động doanh nghiệp nhà nước": "SOE_EMPLOYEE", "công nhân": "WORKER", "nông dân": "FARMER",
		"lực lượng vũ trang": "ARMED_FORCES", "học sinh, sinh viên": "STUDENT", "chủ doanh nghiệp tư nhân": "BUSINESS_OWNER", "khác": "OTHER"}
	orgKinds = map[string]string{"đảng bộ khối": "BLOC", "đảng bộ cơ sở": "GRASSROOTS_COMMITTEE", "chi bộ cơ sở": "GRASSROOTS_BRANCH",
		"đảng bộ bộ phận": "SUB_COMMITTEE", "chi bộ trực thuộc": "BRANCH"}
	sectors = map[string]string{"cơ quan đảng, đoàn thể": "PARTY_AGENCY", "cơ quan hành chính nhà nước": "STATE_AGENCY",
		"đơn vị sự nghiệp": "PUBLIC_SERVICE", "doanh nghiệp nhà nước": "STATE_ENTERPRISE",
		"doanh nghiệp ngoài khu vực nhà nước": "NON_STATE_ENTERPRISE", "lực lượng vũ trang": "ARMED_FORCES",
		"xã, phường": "COMMUNE", "khác": "OTHER"}
	classKinds = map[string]string{"nhận thức về đảng": "AWARENESS", "đảng viên mới": "NEW_MEMBER"}
	results    = map[string]string{"đạt": "PASSED", "không đạt": "FAILED"}
)

// Column headers shared by several entities.
const (
	hOrgCode    = "Mã tổ chức"
	hFullName   = "Họ và tên"
	hBirthDate  = "Ngày sinh"
	hNationalID = "Số CCCD"
)

// personColumns identify a candidate: by national ID, or by name, birth
// date and organization.
var personColumns = []column{
	{header: hNationalID, field: "candidateID", example: "094190000123"},
	{header: hFullName, field: "fullName", example: "Nguyễn Thị Mai"},
	{header: hBirthDate, field: "birthDate", example: "15/08/1995"},
	{header: hOrgCode, field: "organizationID", example: "CB-01"},
}

var specs = map[Entity]*spec{
	Organizations: {columns: []column{
		{header: hOrgCode, field: "code", required: true, example: "CB-01"},
		{header: "Tên tổ chức", field: "name", required: true, example: "Chi bộ Văn phòng Sở Tài chính"},
		{header: "Loại tổ chức", field: "kind", required: true, example: "Chi bộ cơ sở", labels: orgKinds},
		{header: "Khu vực", field: "sector", required: true, example: "Cơ quan hành chính nhà nước", labels: sectors},
		{header: "Mã tổ chức cấp trên", field: "parentID", example: "DBK"},
		{header: "Ngày thành lập", field: "foundedOn", required: true, example: "03/02/2010"},
		{header: "Ngày giải thể", field: "dissolvedOn"},
	}, run: runOrganizations},
	AnnualPlans: {columns: []column{
		{header: hOrgCode, field: "organizationID", required: true, example: "CB-01"},
		{header: "Năm", field: "year", required: true, example: "2025"},
		{header: "Chỉ tiêu kết nạp", field: "admissionTarget", required: true, example: "5"},
		{header: "Số đảng viên đầu năm", field: "membersAtStart", example: "42"},
	}, run: runAnnualPlans},
	Candidates: {columns: []column{
		{header: hFullName, field: "fullName", required: true, example: "Nguyễn Thị Mai"},
		{header: "Giới tính", field: "gender", required: true, example: "Nữ", labels: genders},
		{header: hBirthDate, field: "birthDate", required: true, example: "15/08/1995"},
		{header: "Dân tộc", field: "ethnicity", example: "Kinh"},
		{header: "Tôn giáo", field: "religion", example: ""},
		{header: "Trình độ giáo dục phổ thông", field: "generalEducation", example: "Trung học phổ thông", labels: generalEducation},
		{header: "Trình độ chuyên môn", field: "professionalLevel", example: "Đại học", labels: professionalLevels},
		{header: "Lý luận chính trị", field: "politicalTheoryLevel", example: "Không", labels: theoryLevels},
		{header: "Nghề nghiệp", field: "occupation", required: true, example: "Viên chức", labels: occupations},
		{header: "Đoàn viên", field: "youthUnionMember", example: "Có"},
		{header: hNationalID, field: "nationalID", example: "094190000123"},
		{header: "Số điện thoại", field: "phone", example: "0912345678"},
		{header: hOrgCode, field: "organizationID", required: true, example: "CB-01"},
	}, run: runCandidates},
	Enrollments: {columns: append(append([]column{}, personColumns...),
		column{header: "Tên lớp", field: "name", required: true, example: "Lớp bồi dưỡng nhận thức về Đảng khóa 1/2025"},
		column{header: "Loại lớp", field: "kind", required: true, example: "Nhận thức về Đảng", labels: classKinds},
		column{header: "Mã đơn vị mở lớp", field: "organizerID", required: true, example: "DBK"},
		column{header: "Ngày khai giảng", field: "startsOn", required: true, example: "10/03/2025"},
		column{header: "Ngày bế giảng", field: "endsOn", required: true, example: "14/03/2025"},
		column{header: "Kết quả", field: "passed", example: "Đạt", labels: results},
		column{header: "Số giấy chứng nhận", field: "certificateNo", example: "123/GCN"},
		column{header: "Ngày cấp giấy chứng nhận", field: "certificateOn", example: "20/03/2025"},
	), run: runEnrollments},
	Admissions: {columns: append(append([]column{}, personColumns...),
		column{header: "Ngày nghị quyết chi bộ", field: "resolutionOn", required: true, example: "02/06/2025"},
		column{header: "Số quyết định kết nạp", field: "decisionNo", required: true, example: "123-QĐ/ĐU"},
		column{header: "Ngày quyết định", field: "decisionOn", required: true, example: "16/06/2025"},
		column{header: "Ngày kết nạp", field: "admittedOn", required: true, example: "23/06/2025"},
		column{header: "CCCD người giới thiệu 1", field: "firstIntroducer", example: ""},
		column{header: "Họ tên người giới thiệu 1", field: "firstIntroducer", example: "Trần Văn An"},
		column{header: "Số thẻ đảng viên người giới thiệu 1", field: "firstIntroducer", example: "94.012345"},
		column{header: "CCCD người giới thiệu 2", field: "secondIntroducer", example: ""},
		column{header: "Họ tên người giới thiệu 2", field: "secondIntroducer", example: "Lê Thị Bình"},
		column{header: "Số thẻ đảng viên người giới thiệu 2", field: "secondIntroducer", example: "94.067890"},
		column{header: "Lý do chậm tổ chức lễ kết nạp", field: "ceremonyDelayReason"},
		column{header: "Ngoại lệ về tuổi", field: "ageException", example: "Không"},
		column{header: "Ghi chú ngoại lệ", field: "exceptionNote"},
		column{header: "Ngày quyết định công nhận chính thức", field: "on"},
	), run: runAdmissions},
}
