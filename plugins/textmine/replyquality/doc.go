// Package replyquality scores a department's reply (答复) against the
// appeal it answers, in pure Go and without a trained model: the scores
// come from text overlap and from the wording officials use when they
// explain, act and commit to a date. It is meant to help an operator
// reviewing a reply and a handler writing one, with the reasons spelled out
// in Chinese; it does not replace reading the reply.
//
// Five criteria, each 0–1 (docs/analytics.md has the details):
//
//   - relevant: the reply talks about what the appeal is about (the
//     appeal's key character bigrams found in the reply's substance);
//   - complete: each question or request in the appeal is answered
//     (greetings, thanks and closing formulas are not substance);
//   - explained: the reply gives a basis — a policy or rule, an inspection
//     or investigation, a fact found;
//   - specific: it says what was done or will be done, and when;
//   - timely: it came within the time limit (or within 5/15/30/60 days).
//
// A reply is flagged perfunctory (形式主义回复) when it commits to nothing
// concrete: no action done or planned and no date, while it hides behind
// formulas such as 已转交相关部门 or 正在研究, or says next to nothing.
package replyquality
