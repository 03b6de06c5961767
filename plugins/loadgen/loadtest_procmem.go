package loadgen

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// procMem reads a (server) process's memory from /proc: what `ps` and the
// kernel's OOM killer count, which includes SQLite's C heap (outside the
// Go runtime's own statistics).
type procMem struct{ pid int }

// status answers VmHWM (peak resident size) and VmRSS, in bytes.
func (p procMem) status() (hwm, rss int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), ":")
		if !ok {
			continue
		}
		switch k {
		case "VmHWM":
			hwm = kbField(v)
		case "VmRSS":
			rss = kbField(v)
		}
	}
	return hwm, rss, s.Err()
}

// resetPeak sets VmHWM back to the current RSS (clear_refs "5"), so that
// each load phase has its own peak. It needs the right to write the
// process's /proc files (same user); without it peaks accumulate, which
// the report says.
func (p procMem) resetPeak() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.pid), []byte("5"), 0)
}

// memSplit is where the resident memory is, from /proc/PID/smaps.
type memSplit struct {
	// LargeAnon: anonymous mappings of 1 MB or more — the Go heap's
	// arenas (64 MB reservations; since Go 1.26 at a random address, so
	// they are told apart by size), glibc's arenas and SQLite's rare
	// large allocations.
	LargeAnon int64
	// SmallAnon: anonymous mappings under 1 MB — SQLite's C heap (modernc's
	// allocator maps its pages itself, in slabs of tens of KB: page
	// caches, sorters, temporary B-trees), outside the Go heap, its
	// profiles and GOMEMLIMIT.
	SmallAnon int64
	// SmallAnonMaps is the number of those mappings.
	SmallAnonMaps int
	// File: file-backed pages (the binary; database files if mmap is on).
	File int64
	// DataConns is the number of open descriptors of data.db, i.e. the
	// server's open connections to its main database.
	DataConns int
}

// dataConns counts the process's open descriptors of data.db.
func (p procMem) dataConns() int {
	dir := fmt.Sprintf("/proc/%d/fd", p.pid)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink(dir + "/" + e.Name()); err == nil && strings.HasSuffix(target, "/data.db") {
			n++
		}
	}
	return n
}

// split parses /proc/PID/smaps.
func (p procMem) split() (memSplit, error) {
	var m memSplit
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps", p.pid))
	if err != nil {
		return m, err
	}
	defer f.Close()
	var size uint64
	var anon bool
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 64*1024), 1024*1024)
	for s.Scan() {
		line := s.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			// a mapping's header: range perms offset dev inode [path]
			lo, hi, _ := strings.Cut(fields[0], "-")
			a, _ := strconv.ParseUint(lo, 16, 64)
			b, _ := strconv.ParseUint(hi, 16, 64)
			size = b - a
			anon = len(fields) < 6 || fields[5] == "[heap]" || fields[5] == "[stack]"
			continue
		}
		if fields[0] != "Rss:" || len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(fields[1], 10, 64)
		b := kb << 10
		switch {
		case !anon:
			m.File += b
		case size >= 1<<20:
			m.LargeAnon += b
		default:
			m.SmallAnon += b
			if b > 0 {
				m.SmallAnonMaps++
			}
		}
	}
	m.DataConns = p.dataConns()
	return m, s.Err()
}

// kbField parses "  1234 kB".
func kbField(v string) int64 {
	f := strings.Fields(v)
	if len(f) == 0 {
		return 0
	}
	n, _ := strconv.ParseInt(f[0], 10, 64)
	return n << 10
}

// mb formats bytes as MB.
func mb(b int64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 0, 64) }
