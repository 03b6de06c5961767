package hooks

import "regexp"

// markupRe finds an HTML tag, comment, doctype or processing instruction:
// "<" then a tag name (or "/", "!", "?") and a closing ">". A lone "<" as
// in "温度<0度" or "a < b" is not markup.
var markupRe = regexp.MustCompile(`<(/\s*)?[A-Za-z][A-Za-z0-9:-]*(\s[^<>]*)?/?\s*>|<!--|<!\s*[A-Za-z]|<\?[A-Za-z]`)

// HasMarkup reports whether s contains HTML markup. Residents' and
// departments' free text is plain text: the pages escape it, and the
// platform refuses markup at the door as well, so that no stored text can
// turn into a script on some page or export that forgets to escape.
func HasMarkup(s string) bool { return markupRe.MatchString(s) }

// ErrMarkup is the message for text that contains markup.
const ErrMarkup = "不能包含网页代码（如 <script>、<img> 等尖括号标签），请删除后重试"
