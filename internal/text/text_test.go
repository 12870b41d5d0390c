package text

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	nfc := "Thạch Thị Ngọc Hân"
	nfd := norm.NFD.String(nfc)
	if nfd == nfc {
		t.Fatal("the test's NFD form is the NFC form")
	}
	for _, tc := range []struct{ in, want string }{
		{nfc, nfc},
		{nfd, nfc},
		{"  " + nfd + "\t\n", nfc},
		{"\u00a0\u200b" + nfc + "\ufeff\u3000", nfc},
		{"Nguyễn  Văn A", "Nguyễn  Văn A"}, // inner space is the writer's
		{norm.NFD.String("Đảng bộ Khối") + "\u0301", norm.NFC.String("Đảng bộ Khối\u0301")},
		{"", ""},
		{" \u200b ", ""},
		{"079123456789", "079123456789"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%+q) = %+q, want %+q", tc.in, got, tc.want)
		}
		if got := Normalize(tc.want); got != tc.want {
			t.Errorf("Normalize is not idempotent on %+q: %+q", tc.want, got)
		}
	}
}
