package seed_test

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"ketnap/internal/db/dbtest"
	"ketnap/internal/seed"
)

// peakRSS returns the process's peak resident set size in bytes (Linux
// VmHWM), or 0 where it is unknown.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb * 1024
		}
	}
	return 0
}

func benchmarkSynthetic(b *testing.B, dialect string, scale seed.Scale) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		d := dbtest.Open(b, dialect)
		b.StartTimer()
		res, err := seed.Synthetic(ctx, d, scale, 1, seed.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Total())/res.Elapsed.Seconds(), "rows/s")
		b.ReportMetric(float64(res.Total()), "rows")
	}
	b.ReportMetric(peakRSS()/(1<<20), "peak-MiB")
}

// BenchmarkSyntheticS loads scale S on both databases.
func BenchmarkSyntheticS(b *testing.B) {
	for _, dialect := range dbtest.Dialects {
		b.Run(dialect, func(b *testing.B) { benchmarkSynthetic(b, dialect, seed.ScaleS) })
	}
}

// BenchmarkSyntheticM loads scale M (one province) on both databases; the
// target is under 60 s on SQLite.
func BenchmarkSyntheticM(b *testing.B) {
	for _, dialect := range dbtest.Dialects {
		b.Run(dialect, func(b *testing.B) { benchmarkSynthetic(b, dialect, seed.ScaleM) })
	}
}

// BenchmarkSyntheticL loads scale L (the country, ~9,5 million rows) into
// PostgreSQL; the target is under 10 minutes on 2 cores. It runs only with
// KETNAP_BENCH_L=1: it takes minutes and gigabytes of disk.
func BenchmarkSyntheticL(b *testing.B) {
	if os.Getenv("KETNAP_BENCH_L") != "1" {
		b.Skip("set KETNAP_BENCH_L=1 to load scale L into PostgreSQL")
	}
	benchmarkSynthetic(b, "postgres", seed.ScaleL)
}
