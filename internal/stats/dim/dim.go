// Package dim is the one table of the dimensions admissions are broken down
// by. Every other place derives from it: the GraphQL enum Dimension (a test
// checks the schema against All), the breakdown's SQL key on the raw rows,
// its Go twin that the rollup hooks count a new admission under, the rollup
// rows kept per dimension, the ordered scales and the labels in both
// languages.
package dim

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/candidate"
	"ketnap/ent/organization"
	"ketnap/internal/locale"
)

// Dimension names a dimension; it is the GraphQL enum Dimension, and the
// dim column of its stat_rollups rows.
type Dimension string

// The dimensions, in the order of All.
const (
	Gender            Dimension = "GENDER"
	Ethnicity         Dimension = "ETHNICITY"
	Religion          Dimension = "RELIGION"
	AgeBand           Dimension = "AGE_BAND"
	Education         Dimension = "EDUCATION"
	ProfessionalLevel Dimension = "PROFESSIONAL_LEVEL"
	PoliticalTheory   Dimension = "POLITICAL_THEORY"
	Occupation        Dimension = "OCCUPATION"
	Sector            Dimension = "SECTOR"
	YouthUnion        Dimension = "YOUTH_UNION"
)

// Label is a text in both languages.
type Label struct{ VI, EN string }

// In returns the text in lang.
func (l Label) In(lang locale.Lang) string {
	if lang == locale.EN {
		return l.EN
	}
	return l.VI
}

// Row is what a dimension's key is read from: an admission, the admitted
// candidate and the admitting organization's sector.
type Row struct {
	AdmittedOn time.Time
	Candidate  *ent.Candidate
	Sector     organization.Sector
}

// Tables are the SQL tables a key expression reads: the admission, the
// candidate (joined only when NeedsCandidate) and the admitting organization.
type Tables struct {
	Admission, Candidate, Organization *sql.SelectTable
}

// Def is one dimension.
type Def struct {
	Name Dimension
	// Title names the dimension.
	Title Label
	// Scale lists the keys of an ordered scale in order: a breakdown reports
	// every one of them, 0 when nobody has it. Nil for the others, which
	// report the keys present, largest first.
	Scale []string
	// Labels name the keys; free-text dimensions (ethnicity, religion) name
	// only their special keys and show the rest as recorded.
	Labels map[string]Label
	// NeedsCandidate tells whether the key reads the candidate (else the
	// organization).
	NeedsCandidate bool
	// SQL is the key of an admission row in the dialect dia.
	SQL func(dia string, t Tables) string
	// Of is SQL's Go twin, for one admission.
	Of func(r Row) string
}

// KeyLabel names key in lang; unknown keys (free text) are shown as recorded.
func (d *Def) KeyLabel(key string, lang locale.Lang) string {
	if l, ok := d.Labels[key]; ok {
		return l.In(lang)
	}
	return key
}

// All lists every dimension, in the order of the GraphQL enum.
var All = []*Def{
	{
		Name: Gender, Title: Label{"Giới tính", "Gender"}, NeedsCandidate: true,
		Labels: map[string]Label{"MALE": {"Nam", "Male"}, "FEMALE": {"Nữ", "Female"}},
		SQL:    func(_ string, t Tables) string { return t.Candidate.C(candidate.FieldGender) },
		Of:     func(r Row) string { return r.Candidate.Gender.String() },
	},
	{
		Name: Ethnicity, Title: Label{"Dân tộc", "Ethnicity"}, NeedsCandidate: true,
		Labels: map[string]Label{},
		SQL:    func(_ string, t Tables) string { return t.Candidate.C(candidate.FieldEthnicity) },
		Of:     func(r Row) string { return r.Candidate.Ethnicity },
	},
	{
		Name: Religion, Title: Label{"Tôn giáo", "Religion"}, NeedsCandidate: true,
		Labels: map[string]Label{"NONE": {"Không tôn giáo", "No religion"}},
		SQL: func(_ string, t Tables) string {
			r := t.Candidate.C(candidate.FieldReligion)
			return "CASE WHEN " + r + " IS NULL OR " + r + " = '' THEN 'NONE' ELSE " + r + " END"
		},
		Of: func(r Row) string {
			if r.Candidate.Religion == "" {
				return "NONE"
			}
			return r.Candidate.Religion
		},
	},
	{
		Name: AgeBand, Title: Label{"Độ tuổi", "Age band"}, NeedsCandidate: true,
		Scale: []string{"18_30", "31_40", "41_50", "51_60", "OVER_60"},
		Labels: map[string]Label{
			"18_30":   {"Từ 18 đến 30 tuổi", "18 to 30"},
			"31_40":   {"Từ 31 đến 40 tuổi", "31 to 40"},
			"41_50":   {"Từ 41 đến 50 tuổi", "41 to 50"},
			"51_60":   {"Từ 51 đến 60 tuổi", "51 to 60"},
			"OVER_60": {"Trên 60 tuổi", "Over 60"},
		},
		SQL: func(dia string, t Tables) string {
			age := ageSQL(dia, t.Admission.C(admission.FieldAdmittedOn), t.Candidate.C(candidate.FieldBirthDate))
			return "CASE WHEN " + age + " <= 30 THEN '18_30' WHEN " + age + " <= 40 THEN '31_40' WHEN " +
				age + " <= 50 THEN '41_50' WHEN " + age + " <= 60 THEN '51_60' ELSE 'OVER_60' END"
		},
		Of: func(r Row) string { return ageBand(r.AdmittedOn, r.Candidate.BirthDate) },
	},
	{
		Name: Education, Title: Label{"Giáo dục phổ thông", "General education"}, NeedsCandidate: true,
		Scale: []string{"PRIMARY", "LOWER_SECONDARY", "UPPER_SECONDARY"},
		Labels: map[string]Label{
			"PRIMARY":         {"Tiểu học", "Primary"},
			"LOWER_SECONDARY": {"Trung học cơ sở", "Lower secondary"},
			"UPPER_SECONDARY": {"Trung học phổ thông", "Upper secondary"},
		},
		SQL: func(_ string, t Tables) string { return t.Candidate.C(candidate.FieldGeneralEducation) },
		Of:  func(r Row) string { return r.Candidate.GeneralEducation.String() },
	},
	{
		Name: ProfessionalLevel, Title: Label{"Trình độ chuyên môn", "Professional level"}, NeedsCandidate: true,
		Scale: []string{"NONE", "INTERMEDIATE", "COLLEGE", "UNIVERSITY", "MASTER", "DOCTOR"},
		Labels: map[string]Label{
			"NONE":         {"Chưa qua đào tạo", "None"},
			"INTERMEDIATE": {"Trung cấp", "Intermediate vocational"},
			"COLLEGE":      {"Cao đẳng", "College"},
			"UNIVERSITY":   {"Đại học", "University"},
			"MASTER":       {"Thạc sĩ", "Master's"},
			"DOCTOR":       {"Tiến sĩ", "Doctorate"},
		},
		SQL: func(_ string, t Tables) string { return t.Candidate.C(candidate.FieldProfessionalLevel) },
		Of:  func(r Row) string { return r.Candidate.ProfessionalLevel.String() },
	},
	{
		Name: PoliticalTheory, Title: Label{"Lý luận chính trị", "Political theory"}, NeedsCandidate: true,
		Scale: []string{"NONE", "ELEMENTARY", "INTERMEDIATE", "ADVANCED"},
		Labels: map[string]Label{
			"NONE":         {"Chưa qua đào tạo", "None"},
			"ELEMENTARY":   {"Sơ cấp", "Elementary"},
			"INTERMEDIATE": {"Trung cấp", "Intermediate"},
			"ADVANCED":     {"Cao cấp", "Advanced"},
		},
		SQL: func(_ string, t Tables) string { return t.Candidate.C(candidate.FieldPoliticalTheoryLevel) },
		Of:  func(r Row) string { return r.Candidate.PoliticalTheoryLevel.String() },
	},
	{
		Name: Occupation, Title: Label{"Nghề nghiệp", "Occupation"}, NeedsCandidate: true,
		Labels: map[string]Label{
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
		SQL: func(_ string, t Tables) string { return t.Candidate.C(candidate.FieldOccupation) },
		Of:  func(r Row) string { return r.Candidate.Occupation.String() },
	},
	{
		Name: Sector, Title: Label{"Loại hình tổ chức", "Sector"},
		Labels: map[string]Label{
			"PARTY_AGENCY":         {"Cơ quan Đảng, Mặt trận, đoàn thể", "Party and mass-organization agencies"},
			"STATE_AGENCY":         {"Cơ quan hành chính nhà nước", "State administrative agencies"},
			"PUBLIC_SERVICE":       {"Đơn vị sự nghiệp", "Public service units"},
			"STATE_ENTERPRISE":     {"Doanh nghiệp nhà nước", "State enterprises"},
			"NON_STATE_ENTERPRISE": {"Doanh nghiệp ngoài khu vực nhà nước", "Non-state enterprises"},
			"ARMED_FORCES":         {"Lực lượng vũ trang", "Armed forces"},
			"COMMUNE":              {"Xã, phường", "Communes and wards"},
			"OTHER":                {"Khác", "Other"},
		},
		SQL: func(_ string, t Tables) string { return t.Organization.C(organization.FieldSector) },
		Of:  func(r Row) string { return r.Sector.String() },
	},
	{
		Name: YouthUnion, Title: Label{"Đoàn viên", "Youth Union"}, NeedsCandidate: true,
		Labels: map[string]Label{
			"YES": {"Đoàn viên", "Youth Union members"},
			"NO":  {"Không phải đoàn viên", "Not Youth Union members"},
		},
		SQL: func(_ string, t Tables) string {
			return "CASE WHEN " + t.Candidate.C(candidate.FieldYouthUnionMember) + " THEN 'YES' ELSE 'NO' END"
		},
		Of: func(r Row) string {
			if r.Candidate.YouthUnionMember {
				return "YES"
			}
			return "NO"
		},
	},
}

var byName = func() map[Dimension]*Def {
	m := make(map[Dimension]*Def, len(All))
	for _, d := range All {
		m[d.Name] = d
	}
	return m
}()

// Lookup returns the definition of d, or nil for an unknown dimension.
func Lookup(d Dimension) *Def { return byName[d] }

// IsValid reports whether d is a known dimension.
func (d Dimension) IsValid() bool { return byName[d] != nil }

// UnmarshalGQL reads the enum from GraphQL input.
func (d *Dimension) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !Dimension(s).IsValid() {
		return fmt.Errorf("giá trị không hợp lệ cho Dimension / invalid value for Dimension")
	}
	*d = Dimension(s)
	return nil
}

// MarshalGQL writes the enum to GraphQL output.
func (d Dimension) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(d))) }

// ageBand is the AGE_BAND key of someone born on birth, admitted on on.
func ageBand(on, birth time.Time) string {
	age := on.Year() - birth.Year()
	if int(on.Month())*100+on.Day() < int(birth.Month())*100+birth.Day() {
		age--
	}
	switch {
	case age <= 30:
		return "18_30"
	case age <= 40:
		return "31_40"
	case age <= 50:
		return "41_50"
	case age <= 60:
		return "51_60"
	}
	return "OVER_60"
}

// Dialect-specific SQL over column names only (never values). Dates are
// DATE on PostgreSQL and ISO text ("2006-01-02 15:04:05+00:00") on SQLite.

// YearSQL is the calendar year of a date column.
func YearSQL(dia, col string) string {
	if dia == dialect.Postgres {
		return "CAST(EXTRACT(YEAR FROM " + col + ") AS INTEGER)"
	}
	return "CAST(substr(" + col + ", 1, 4) AS INTEGER)"
}

// MonthSQL is the calendar month (1–12) of a date column.
func MonthSQL(dia, col string) string {
	if dia == dialect.Postgres {
		return "CAST(EXTRACT(MONTH FROM " + col + ") AS INTEGER)"
	}
	return "CAST(substr(" + col + ", 6, 2) AS INTEGER)"
}

// monthDaySQL is month*100 + day of a date column.
func monthDaySQL(dia, col string) string {
	if dia == dialect.Postgres {
		return "CAST(EXTRACT(MONTH FROM " + col + ") * 100 + EXTRACT(DAY FROM " + col + ") AS INTEGER)"
	}
	return "(CAST(substr(" + col + ", 6, 2) AS INTEGER) * 100 + CAST(substr(" + col + ", 9, 2) AS INTEGER))"
}

// ageSQL is the age in whole years on date of someone born on birth.
func ageSQL(dia, date, birth string) string {
	return "(" + YearSQL(dia, date) + " - " + YearSQL(dia, birth) +
		" - CASE WHEN " + monthDaySQL(dia, date) + " < " + monthDaySQL(dia, birth) + " THEN 1 ELSE 0 END)"
}
