package testenv

import (
	"bufio"
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

// Mail is one message the loopback SMTP server accepted, decoded.
type Mail struct {
	To, Subject, Text, HTML string
}

// MailBox is a minimal SMTP server on loopback (EHLO/HELO, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT) that keeps every message it accepts.
type MailBox struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []Mail
}

// StartSMTP starts a MailBox and points the app's mail settings at it.
func (env *Env) StartSMTP(t testing.TB) *MailBox {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &MailBox{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go b.serve(c)
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	s := env.App.Settings()
	s.SMTP.Enabled = true
	s.SMTP.Host = "127.0.0.1"
	s.SMTP.Port, _ = strconv.Atoi(port)
	s.Meta.SenderName = "泗阳网络直通车"
	s.Meta.SenderAddress = "noreply@siyang.example"
	// PocketBase's test app hands its own mails (OTP, password reset) to an
	// in-memory mailer; send them over SMTP to the MailBox instead.
	env.App.OnMailerSend().BindFunc(func(e *core.MailerEvent) error {
		e.Mailer = &mailer.SMTPClient{Host: "127.0.0.1", Port: s.SMTP.Port}
		return e.Next()
	})
	return b
}

// Wait waits (up to 10 s: some mails are sent in the background) for a
// mail to `to` and answers the latest one.
func (b *MailBox) Wait(t testing.TB, to string) Mail {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b.mu.Lock()
		for i := len(b.msgs) - 1; i >= 0; i-- {
			if strings.EqualFold(b.msgs[i].To, to) {
				m := b.msgs[i]
				b.mu.Unlock()
				return m
			}
		}
		b.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("no mail to %s within 10 s", to)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Count answers how many mails went to `to`.
func (b *MailBox) Count(to string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, m := range b.msgs {
		if strings.EqualFold(m.To, to) {
			n++
		}
	}
	return n
}

func (b *MailBox) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	say("220 localhost ESMTP test")
	var rcpts []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-localhost")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "HELO"), strings.HasPrefix(cmd, "NOOP"), cmd == "RSET":
			say("250 ok")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			rcpts = nil
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			rcpts = append(rcpts, strings.Trim(strings.TrimSpace(line)[len("RCPT TO:"):], "<> "))
			say("250 ok")
		case cmd == "DATA":
			say("354 go ahead")
			var data bytes.Buffer
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			m := decodeMail(data.Bytes())
			m.To = strings.Join(rcpts, ",")
			b.mu.Lock()
			b.msgs = append(b.msgs, m)
			b.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 unknown")
		}
	}
}

// decodeMail reads the subject and the text and HTML parts.
func decodeMail(raw []byte) Mail {
	var m Mail
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		m.Text = string(raw)
		return m
	}
	m.Subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	mediaType, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if strings.HasPrefix(mediaType, "multipart/") {
		walkParts(multipart.NewReader(msg.Body, params["boundary"]), &m)
	} else {
		body, _ := io.ReadAll(msg.Body)
		m.Text = string(body)
	}
	return m
}

func walkParts(mr *multipart.Reader, m *Mail) {
	for {
		part, err := mr.NextPart()
		if err != nil {
			return
		}
		mediaType, params, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		body, _ := io.ReadAll(part)
		switch {
		case strings.HasPrefix(mediaType, "multipart/"):
			walkParts(multipart.NewReader(bytes.NewReader(body), params["boundary"]), m)
		case mediaType == "text/plain":
			m.Text = string(body)
		case mediaType == "text/html":
			m.HTML = string(body)
		}
	}
}
