package loadgen

import (
	"bufio"
	"io"
	"os"
	"regexp"
	"strconv"
)

// gcTrace reads the Go heap sizes a server started with GODEBUG=gctrace=1
// writes to its log at each collection ("gc 12 @3.2s 1%: … 40->42->11 MB,
// …"): the exact Go heap, which /proc cannot tell from SQLite's C heap.
type gcTrace struct {
	path   string
	offset int64
}

var gcHeapRe = regexp.MustCompile(`gc \d+ @.* (\d+)->(\d+)->(\d+) MB`)

// peakSince answers the largest Go heap (MB) of the collections logged
// since the last call, and -1 without any.
func (g *gcTrace) peakSince() int64 {
	f, err := os.Open(g.path)
	if err != nil {
		return -1
	}
	defer f.Close()
	if _, err := f.Seek(g.offset, io.SeekStart); err != nil {
		return -1
	}
	peak := int64(-1)
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadString('\n')
		if err != nil { // a partial last line is read again next time
			break
		}
		g.offset += int64(len(line))
		if m := gcHeapRe.FindStringSubmatch(line); m != nil {
			a, _ := strconv.ParseInt(m[1], 10, 64)
			b, _ := strconv.ParseInt(m[2], 10, 64)
			peak = max(peak, a, b)
		}
	}
	return peak
}
