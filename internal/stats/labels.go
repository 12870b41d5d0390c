package stats

import (
	"fmt"
	"io"
	"strconv"

	"ketnap/internal/locale"
)

// Granularity is the calendar unit of a series; it is the GraphQL enum of
// the same name.
type Granularity string

// The granularities of a series.
const (
	GranularityYear    Granularity = "YEAR"
	GranularityQuarter Granularity = "QUARTER"
	GranularityMonth   Granularity = "MONTH"
)

// IsValid reports whether g is a known granularity.
func (g Granularity) IsValid() bool {
	return g == GranularityYear || g == GranularityQuarter || g == GranularityMonth
}

// UnmarshalGQL reads the enum from GraphQL input.
func (g *Granularity) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, g, Granularity.IsValid, "Granularity")
}

// MarshalGQL writes the enum to GraphQL output.
func (g Granularity) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(g))) }

// Dimension is what admissions are broken down by; it is the GraphQL enum of
// the same name.
type Dimension string

// The dimensions of a breakdown.
const (
	DimensionGender            Dimension = "GENDER"
	DimensionEthnicity         Dimension = "ETHNICITY"
	DimensionReligion          Dimension = "RELIGION"
	DimensionAgeBand           Dimension = "AGE_BAND"
	DimensionEducation         Dimension = "EDUCATION"
	DimensionProfessionalLevel Dimension = "PROFESSIONAL_LEVEL"
	DimensionPoliticalTheory   Dimension = "POLITICAL_THEORY"
	DimensionOccupation        Dimension = "OCCUPATION"
	DimensionSector            Dimension = "SECTOR"
	DimensionYouthUnion        Dimension = "YOUTH_UNION"
)

// AllDimensions lists every dimension, in the order of the GraphQL enum.
var AllDimensions = []Dimension{
	DimensionGender, DimensionEthnicity, DimensionReligion, DimensionAgeBand, DimensionEducation,
	DimensionProfessionalLevel, DimensionPoliticalTheory, DimensionOccupation, DimensionSector, DimensionYouthUnion,
}

// IsValid reports whether d is a known dimension.
func (d Dimension) IsValid() bool {
	_, ok := dimensionLabels[d]
	return ok
}

// UnmarshalGQL reads the enum from GraphQL input.
func (d *Dimension) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, d, Dimension.IsValid, "Dimension")
}

// MarshalGQL writes the enum to GraphQL output.
func (d Dimension) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(d))) }

func unmarshalEnum[T ~string](v any, dst *T, valid func(T) bool, name string) error {
	s, ok := v.(string)
	if !ok || !valid(T(s)) {
		return fmt.Errorf("giá trị không hợp lệ cho %s / invalid value for %s", name, name)
	}
	*dst = T(s)
	return nil
}

// label is a text in both languages.
type label struct{ vi, en string }

func (l label) in(lang locale.Lang) string {
	if lang == locale.EN {
		return l.en
	}
	return l.vi
}

// scale is the ordered list of keys of a dimension with a fixed scale; every
// key is reported, with 0 when nobody has it.
var scales = map[Dimension][]string{
	DimensionAgeBand:           {"18_30", "31_40", "41_50", "51_60", "OVER_60"},
	DimensionProfessionalLevel: {"NONE", "INTERMEDIATE", "COLLEGE", "UNIVERSITY", "MASTER", "DOCTOR"},
	DimensionPoliticalTheory:   {"NONE", "ELEMENTARY", "INTERMEDIATE", "ADVANCED"},
	DimensionEducation:         {"PRIMARY", "LOWER_SECONDARY", "UPPER_SECONDARY"},
}

// dimensionLabels names the keys of each dimension; free-text dimensions
// (ethnicity, religion) name only their special keys and show the rest as recorded.
var dimensionLabels = map[Dimension]map[string]label{
	DimensionGender: {
		"MALE":   {"Nam", "Male"},
		"FEMALE": {"Nữ", "Female"},
	},
	DimensionEthnicity: {},
	DimensionReligion: {
		"NONE": {"Không tôn giáo", "No religion"},
	},
	DimensionAgeBand: {
		"18_30":   {"Từ 18 đến 30 tuổi", "18 to 30"},
		"31_40":   {"Từ 31 đến 40 tuổi", "31 to 40"},
		"41_50":   {"Từ 41 đến 50 tuổi", "41 to 50"},
		"51_60":   {"Từ 51 đến 60 tuổi", "51 to 60"},
		"OVER_60": {"Trên 60 tuổi", "Over 60"},
	},
	DimensionEducation: {
		"PRIMARY":         {"Tiểu học", "Primary"},
		"LOWER_SECONDARY": {"Trung học cơ sở", "Lower secondary"},
		"UPPER_SECONDARY": {"Trung học phổ thông", "Upper secondary"},
	},
	DimensionProfessionalLevel: {
		"NONE":         {"Chưa qua đào tạo", "None"},
		"INTERMEDIATE": {"Trung cấp", "Intermediate vocational"},
		"COLLEGE":      {"Cao đẳng", "College"},
		"UNIVERSITY":   {"Đại học", "University"},
		"MASTER":       {"Thạc sĩ", "Master's"},
		"DOCTOR":       {"Tiến sĩ", "Doctorate"},
	},
	DimensionPoliticalTheory: {
		"NONE":         {"Chưa qua đào tạo", "None"},
		"ELEMENTARY":   {"Sơ cấp", "Elementary"},
		"INTERMEDIATE": {"Trung cấp", "Intermediate"},
		"ADVANCED":     {"Cao cấp", "Advanced"},
	},
	DimensionOccupation: {
		"CIVIL_SERVANT":   {"Cán bộ, công chức", "Civil servants"},
		"PUBLIC_EMPLOYEE": {"Viên chức", "Public employees"},
		"SOE_EMPLOYEE":    {"Người lao động doanh nghiệp nhà nước", "State-enterprise staff"},
		"WORKER":          {"Công nhân", "Workers"},
		"FARMER":          {"Nông dân", "Farmers"},
		"ARMED_FORCES":    {"Lực lượng vũ trang", "Armed forces"},
		"STUDENT":         {"Học sinh, sinh viên", "Students"},
		"BUSINESS_OWNER":  {"Chủ doanh nghiệp tư nhân", "Private-business owners"},
		"OTHER":           {"Khác", "Other"},
	},
	DimensionSector: {
		"PARTY_AGENCY":         {"Cơ quan Đảng, Mặt trận, đoàn thể", "Party and mass-organization agencies"},
		"STATE_AGENCY":         {"Cơ quan hành chính nhà nước", "State administrative agencies"},
		"PUBLIC_SERVICE":       {"Đơn vị sự nghiệp", "Public service units"},
		"STATE_ENTERPRISE":     {"Doanh nghiệp nhà nước", "State enterprises"},
		"NON_STATE_ENTERPRISE": {"Doanh nghiệp ngoài khu vực nhà nước", "Non-state enterprises"},
		"ARMED_FORCES":         {"Lực lượng vũ trang", "Armed forces"},
		"COMMUNE":              {"Xã, phường", "Communes and wards"},
		"OTHER":                {"Khác", "Other"},
	},
	DimensionYouthUnion: {
		"YES": {"Đoàn viên", "Youth Union members"},
		"NO":  {"Không phải đoàn viên", "Not Youth Union members"},
	},
}

// keyLabel names a key of a dimension in lang; unknown keys (free text)
// are shown as recorded.
func keyLabel(d Dimension, key string, lang locale.Lang) string {
	if l, ok := dimensionLabels[d][key]; ok {
		return l.in(lang)
	}
	return key
}

var romanQuarters = [4]string{"I", "II", "III", "IV"}

// bucketLabel names a calendar bucket: Năm 2020, Quý I/2020, Tháng 3/2020.
func bucketLabel(g Granularity, first int, lang locale.Lang) string {
	t := monthStart(first)
	switch g {
	case GranularityYear:
		if lang == locale.EN {
			return strconv.Itoa(t.Year())
		}
		return fmt.Sprintf("Năm %d", t.Year())
	case GranularityQuarter:
		q := (int(t.Month()) - 1) / 3
		if lang == locale.EN {
			return fmt.Sprintf("Q%d %d", q+1, t.Year())
		}
		return fmt.Sprintf("Quý %s/%d", romanQuarters[q], t.Year())
	}
	if lang == locale.EN {
		return t.Format("Jan 2006")
	}
	return fmt.Sprintf("Tháng %d/%d", int(t.Month()), t.Year())
}
