package workflow_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// postLoop sends b.N POSTs of body to url from parallel clients.
func postLoop(b *testing.B, url string, body []byte) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var failed atomic.Int64
	b.SetParallelism(8) // 8 × GOMAXPROCS concurrent clients
	cpu0 := processCPU()
	runs0, held0, txs0, batches0 := workflow.WriterTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := client.Post(url, "application/json", strings.NewReader(string(body)))
			if err != nil || res.StatusCode >= 300 {
				failed.Add(1)
			}
			if res != nil {
				res.Body.Close()
			}
		}
	})
	b.StopTimer()
	cpu := processCPU() - cpu0
	runs1, held1, txs1, batches1 := workflow.WriterTime()
	if failed.Load() > 0 {
		b.Fatalf("%d requests failed", failed.Load())
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	// CPU of the whole process (server and clients) per request: on a
	// shared machine throughput varies with the neighbours' load, CPU per
	// request much less.
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	if runs1 > runs0 {
		// the single writer's share (intake_batch.go's writerTime): inside
		// the intakes' run functions, inside their transactions (BEGIN to
		// COMMIT), and until they are answered (after-commit hooks)
		n := float64(b.N)
		b.ReportMetric(float64(runs1-runs0)/1e6/n, "run-ms/op")
		b.ReportMetric(float64(held1-held0)/1e6/n, "writer-ms/op")
		b.ReportMetric(float64(txs1-txs0)/1e6/n, "tx-ms/op")
		b.ReportMetric(n/float64(batches1-batches0), "intakes/batch")
	}
}

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIntakeHTTP: a resident's submission through the whole stack:
// validation, ticket numbering, masking, deadline, dispatch suggestion
// (rules, urgency, duplicates; no classifier model loaded), SLA clock,
// the first timeline entry — one transaction each.
func BenchmarkIntakeHTTP(b *testing.B) {
	env := testenv.New(b)
	server := httptest.NewServer(env.Handler(b))
	defer server.Close()
	sub := testenv.SampleSubmission()
	body, _ := json.Marshal(sub)
	postLoop(b, server.URL+"/api/appeals", body)
}

// BenchmarkBarePocketBaseCreate is the baseline of the same run: a plain
// PocketBase collection with a title, content and phone, created through
// the standard record API with an open create rule.
func BenchmarkBarePocketBaseCreate(b *testing.B) {
	env := testenv.New(b)
	c := core.NewBaseCollection("bare")
	c.CreateRule = types.Pointer("")
	c.Fields.Add(&core.TextField{Name: "title"}, &core.TextField{Name: "content"}, &core.TextField{Name: "phone"},
		&core.AutodateField{Name: "created", OnCreate: true})
	if err := env.App.Save(c); err != nil {
		b.Fatal(err)
	}
	server := httptest.NewServer(env.Handler(b))
	defer server.Close()
	body, _ := json.Marshal(map[string]string{"title": "幸福小区门口路灯不亮", "content": testenv.SampleSubmission().Content, "phone": "13912345678"})
	postLoop(b, server.URL+"/api/collections/bare/records", body)
}
