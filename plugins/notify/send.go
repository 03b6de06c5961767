package notify

import (
	"context"
	"mime"
	"path/filepath"
	"time"

	"github.com/jordan-wright/email"
)

// sendMail renders and sends one mail, HTML and text parts together, with
// as many of its files as fit the size budget.
func (p *plugin) sendMail(m message) error {
	msg := email.NewEmail()
	msg.From = from(p.app)
	msg.To = []string{m.to}
	m.data.MoreFiles = p.attach(msg, m.files)
	subject, text, html, err := render(m.kind, m.data)
	if err != nil {
		return err
	}
	msg.Subject = subject
	msg.Text = []byte(text)
	msg.HTML = []byte(html)
	return p.mailer.send(p.app, msg)
}

// attach adds files to msg while they fit MaxAttachmentBytes, in order,
// and answers how many were left out (missing files count as left out).
func (p *plugin) attach(msg *email.Email, files []storedFile) (left int) {
	if len(files) == 0 {
		return 0
	}
	if p.config.MaxAttachmentBytes < 0 {
		return len(files)
	}
	fsys, err := p.app.NewFilesystem()
	if err != nil {
		p.app.Logger().Error("notify: storage for attachments", "error", err)
		return len(files)
	}
	defer fsys.Close()
	budget := p.config.MaxAttachmentBytes
	for _, f := range files {
		attrs, err := fsys.Attributes(f.key)
		if err != nil || attrs.Size > budget {
			left++
			continue
		}
		r, err := fsys.GetReader(f.key)
		if err != nil {
			left++
			continue
		}
		ctype := attrs.ContentType
		if ctype == "" {
			ctype = mime.TypeByExtension(filepath.Ext(f.name))
		}
		_, err = msg.Attach(r, f.name, ctype)
		r.Close()
		if err != nil {
			left++
			continue
		}
		budget -= attrs.Size
	}
	return left
}

// sendSMS sends one text message with the template parameters ticket,
// link and (merges) target.
func (p *plugin) sendSMS(n Notifier, m message) error {
	params := map[string]string{"ticket": m.data.Ticket, "link": m.data.Link}
	if m.data.Target != "" {
		params["target"] = m.data.Target
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return n.Send(ctx, SMS{Kind: m.kind, Phone: m.phone, Params: params})
}
