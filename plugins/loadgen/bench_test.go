package loadgen_test

import (
	"testing"

	"siyang/internal/testenv"
	"siyang/plugins/loadgen"
)

// BenchmarkSeed measures the generator itself (appeals per second, with
// their whole history) into a fresh test app.
func BenchmarkSeed(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		env := testenv.New(b)
		b.StartTimer()
		stats, err := loadgen.Seed(env.App, loadgen.Options{Appeals: 20_000, Now: *env.Now, Seed: int64(i)})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(stats.Appeals)/stats.Elapsed.Seconds(), "appeals/s")
	}
}
