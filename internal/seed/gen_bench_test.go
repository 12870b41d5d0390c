package seed

import (
	"context"
	"testing"
)

// discard is a sink that drops rows, to measure generation alone.
type discard struct{}

func (discard) begin(*table) error { return nil }
func (discard) row([]any) error    { return nil }
func (discard) end() error         { return nil }

// BenchmarkGenerateM measures generating scale M without a database.
func BenchmarkGenerateM(b *testing.B) {
	starts, err := rangeStarts()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		a := &ids{next: map[string]int{}}
		for k, v := range starts {
			a.next[k] = v + 1
		}
		s := &synth{seed: 1, spec: scales[ScaleM]}
		w := newWriter(discard{}, nil)
		if err := s.write(context.Background(), w, a); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(w.rows), "rows/op")
	}
}
