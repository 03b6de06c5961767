package notify

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"sync"
	"time"

	"github.com/jordan-wright/email"
	"github.com/pocketbase/pocketbase/core"
)

// mailer sends through the SMTP server of PocketBase's own mail settings,
// with a small pool of open connections for bursts (a 派单 to a lead and
// four assisting departments is five mails at once). The pool follows the
// settings: changed settings get a new pool.
type mailer struct {
	size    int
	timeout time.Duration

	mu   sync.Mutex
	key  string
	pool *email.Pool
}

// send delivers one message with the app's current SMTP settings.
func (m *mailer) send(app core.App, msg *email.Email) error {
	s := app.Settings().SMTP
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	var auth smtp.Auth
	if s.Username != "" {
		if s.AuthMethod == "LOGIN" {
			auth = loginAuth{user: s.Username, pass: s.Password, host: s.Host}
		} else {
			auth = smtp.PlainAuth("", s.Username, s.Password, s.Host)
		}
	}
	if s.TLS {
		// implicit TLS (port 465): the pool only speaks STARTTLS, so these
		// go one connection per message
		return msg.SendWithTLS(addr, auth, &tls.Config{ServerName: s.Host})
	}
	pool := m.poolFor(s, addr, auth)
	err := pool.Send(msg, m.timeout)
	if err != nil && !errors.Is(err, email.ErrTimeout) && !errors.Is(err, email.ErrClosed) {
		// a pooled connection the server closed while idle fails once; the
		// pool drops it, and a fresh one is tried
		err = pool.Send(msg, m.timeout)
	}
	return err
}

func (m *mailer) poolFor(s core.SMTPConfig, addr string, auth smtp.Auth) *email.Pool {
	key := fmt.Sprintf("%s|%s|%s|%s|%s", addr, s.Username, s.Password, s.AuthMethod, s.LocalName)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pool != nil && m.key == key {
		return m.pool
	}
	if m.pool != nil {
		go m.pool.Close() // waits for connections in use
	}
	pool, err := email.NewPool(addr, m.size, auth, &tls.Config{ServerName: s.Host})
	if err != nil {
		// NewPool only fails on a malformed address, which JoinHostPort
		// does not produce; fall back to a pool that will report it
		pool, _ = email.NewPool(addr, m.size, auth, &tls.Config{})
	}
	if s.LocalName != "" {
		pool.SetHelloHostname(s.LocalName)
	}
	m.pool, m.key = pool, key
	return pool
}

// close shuts the pool, waiting at most a few seconds for connections
// that are still being built.
func (m *mailer) close() {
	m.mu.Lock()
	pool := m.pool
	m.pool = nil
	m.mu.Unlock()
	if pool == nil {
		return
	}
	done := make(chan struct{})
	go func() { pool.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
}

// from is the sender of PocketBase's mail settings, with its name encoded.
func from(app core.App) string {
	meta := app.Settings().Meta
	return (&mail.Address{Name: meta.SenderName, Address: meta.SenderAddress}).String()
}

// loginAuth is SMTP AUTH LOGIN, which some Chinese enterprise mail servers
// still require (net/smtp only has PLAIN and CRAM-MD5).
type loginAuth struct{ user, pass, host string }

func (a loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && server.Name != "localhost" && server.Name != "127.0.0.1" {
		return "", nil, errors.New("notify: refusing AUTH LOGIN over an unencrypted connection")
	}
	return "LOGIN", nil, nil
}

func (a loginAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch string(fromServer) {
	case "Username:", "User Name\x00":
		return []byte(a.user), nil
	case "Password:", "Password\x00":
		return []byte(a.pass), nil
	}
	return nil, fmt.Errorf("notify: unexpected AUTH LOGIN challenge %q", fromServer)
}
