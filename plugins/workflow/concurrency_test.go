package workflow_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"siyang/internal/testenv"
)

// TestConcurrentSubmissionsGetGapFreeTickets sends 200 submissions at once
// over real HTTP and expects 200 distinct tickets numbered 1..200 of the day.
func TestConcurrentSubmissionsGetGapFreeTickets(t *testing.T) {
	env := testenv.New(t)
	server := httptest.NewServer(env.Handler(t))
	defer server.Close()

	const n = 200
	body, _ := json.Marshal(testenv.SampleSubmission())
	tickets := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res, err := http.Post(server.URL+"/api/appeals", "application/json", strings.NewReader(string(body)))
			if err != nil {
				errs <- err.Error()
				return
			}
			defer res.Body.Close()
			var out struct {
				Ticket string `json:"ticket"`
			}
			if res.StatusCode != http.StatusCreated || json.NewDecoder(res.Body).Decode(&out) != nil {
				errs <- "status " + strconv.Itoa(res.StatusCode)
				return
			}
			tickets[i] = out.Ticket
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatalf("submission failed: %s", e)
	}

	// each day's numbers (a run across midnight spans two) are 1..k
	sort.Strings(tickets)
	seq := map[string]int{}
	for _, ticket := range tickets {
		prefix := ticket[:8] // SY + yymmdd
		seq[prefix]++
		if want := prefix + leftPad(seq[prefix]); ticket != want {
			t.Fatalf("ticket %s, want %s (duplicate or gap)", ticket, want)
		}
	}
	if count, _ := env.App.CountRecords("appeals"); count != n {
		t.Errorf("%d appeals stored, want %d", count, n)
	}
	if count, _ := env.App.CountRecords("appeal_events"); count != n {
		t.Errorf("%d submit events stored, want %d", count, n)
	}
}

func leftPad(i int) string {
	s := strconv.Itoa(i)
	return strings.Repeat("0", 4-len(s)) + s
}
