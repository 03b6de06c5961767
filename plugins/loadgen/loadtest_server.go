package loadgen

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// server is a `siyang serve` child process on a data folder: the real
// binary, so that its memory is the server's alone.
type server struct {
	cmd  *exec.Cmd
	url  string
	log  string
	done <-chan error // the process's exit
}

// startServer runs bin serve --dir dir --http addr with extra flags and
// waits until /api/health answers (the app's migrations run first, which
// on a large folder seeded before them takes minutes).
func startServer(ctx context.Context, bin, dir, addr string, extra []string, wait time.Duration) (*server, error) {
	// a server already on addr would answer the health check for ours
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("loadtest: %s is taken (another server?), choose --http: %w", addr, err)
	}
	l.Close()
	logPath := filepath.Join(dir, "loadtest-serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	args := append([]string{"serve", "--dir", dir, "--http", addr}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// the server ends with the load test, even when PocketBase's own signal
	// handling ends this process before the deferred Stop
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	// the Go heap size at each collection, for the report (gcTrace)
	cmd.Env = append(os.Environ(), "GODEBUG="+strings.TrimPrefix(os.Getenv("GODEBUG")+",gctrace=1", ","))
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, url: "http://" + addr, log: logPath}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(wait)
	for {
		select {
		case err := <-exited:
			return nil, fmt.Errorf("loadtest: the server exited before answering (%v); see %s", err, logPath)
		case <-ctx.Done():
			s.stop(exited)
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if res, err := http.Get(s.url + "/api/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				s.done = exited
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			s.stop(exited)
			return nil, fmt.Errorf("loadtest: the server did not answer within %s; see %s", wait, logPath)
		}
	}
}

// Stop ends the server with SIGTERM (PocketBase closes its databases),
// then SIGKILL after 30 s.
func (s *server) Stop() { s.stop(s.done) }

func (s *server) stop(exited <-chan error) {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-exited
	}
}
