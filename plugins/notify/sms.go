package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"siyang/hooks"
)

// SMS is one text message: a kind (which the gateway maps to an approved
// template, as Chinese SMS gateways require), the phone and the template
// parameters.
type SMS struct {
	Kind   string            // KindRateInvite, KindUrge, …
	Phone  string            // mainland mobile number
	Params map[string]string // template parameters, e.g. ticket, link
}

// Notifier sends text messages. Implementations must be safe for
// concurrent use.
type Notifier interface {
	Send(ctx context.Context, msg SMS) error
}

// HTTPGateway sends messages through an SMS gateway's HTTP API: a POST of
// {"app_id","template_id","phone","params"} with the headers X-App-Id,
// X-Timestamp (unix seconds) and X-Signature = hex HMAC-SHA256(secret,
// timestamp + "." + body).
type HTTPGateway struct {
	// URL is the gateway's send endpoint.
	URL string
	// AppID identifies the platform at the gateway.
	AppID string
	// Secret signs each request.
	Secret string
	// Templates maps a message kind to the gateway's template id; a kind
	// without a template is not sent (an error says so).
	Templates map[string]string
	// Client sends the requests; nil means a client with a 10 s timeout.
	Client *http.Client
	// Now is the clock for the timestamp; nil means time.Now.
	Now func() time.Time
}

// Send posts msg to the gateway; anything but 2xx is an error.
func (g *HTTPGateway) Send(ctx context.Context, msg SMS) error {
	tpl, ok := g.Templates[msg.Kind]
	if !ok || tpl == "" {
		return fmt.Errorf("notify: no SMS template for %q", msg.Kind)
	}
	params := msg.Params
	if params == nil {
		params = map[string]string{}
	}
	body, err := json.Marshal(map[string]any{
		"app_id": g.AppID, "template_id": tpl, "phone": msg.Phone, "params": params,
	})
	if err != nil {
		return err
	}
	now := time.Now
	if g.Now != nil {
		now = g.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(g.Secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("X-App-Id", g.AppID)
	req.Header.Set("X-Timestamp", ts)
	req.Header.Set("X-Signature", hex.EncodeToString(mac.Sum(nil)))
	client := g.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		// the URL may carry a key; never log the phone either
		return fmt.Errorf("notify: SMS gateway (%s to %s): %w", msg.Kind, hooks.MaskPhone(msg.Phone), err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("notify: SMS gateway answered %d (%s to %s): %s", resp.StatusCode, msg.Kind, hooks.MaskPhone(msg.Phone), bytes.TrimSpace(snippet))
	}
	return nil
}

// LogNotifier only logs what would be sent, for development: the kind,
// the masked phone and the parameter names — never the number itself.
type LogNotifier struct {
	// Logger receives the lines; nil means slog.Default().
	Logger *slog.Logger
}

// Send logs msg.
func (l LogNotifier) Send(_ context.Context, msg SMS) error {
	logger := l.Logger
	if logger == nil {
		logger = slog.Default()
	}
	names := make([]string, 0, len(msg.Params))
	for k := range msg.Params {
		names = append(names, k)
	}
	logger.Info("短信（开发模式，未发送）", "kind", msg.Kind, "phone", hooks.MaskPhone(msg.Phone), "params", names)
	return nil
}
