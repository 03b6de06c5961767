package hooks_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"siyang/hooks"
)

func TestNormalizeAndValidPhone(t *testing.T) {
	cases := []struct {
		in    string
		norm  string // what NormalizePhone answers
		valid bool   // whether ValidPhone accepts the normalized number
	}{
		// mobiles
		{"13812345678", "13812345678", true},
		{"19912345678", "19912345678", true},
		{"+86 138 1234 5678", "13812345678", true},
		{"+8613812345678", "13812345678", true},
		{"+86-13812345678", "13812345678", true},
		{"008613812345678", "13812345678", true},
		{" 0086 138 1234 5678 ", "13812345678", true},
		{"138\u00a01234\u00a05678", "13812345678", true},
		{"138\t1234\t5678", "13812345678", true},
		{"１３８１２３４５６７８", "13812345678", true},
		{"１３８　１２３４　５６７８", "13812345678", true}, // full-width IME: full-width digits and spaces
		{"+86\n13812345678", "13812345678", true},
		{"+86 0086 13812345678", "13812345678", true},
		// landlines
		{"0527-88881234", "0527-88881234", true},
		{"052788881234", "052788881234", true},
		{"0527 8888 1234", "052788881234", true},
		{"0527-88881234-801", "0527-88881234-801", true},
		{"０５２７－８８８８１２３４", "0527-88881234", true},
		{"0527—88881234", "0527-88881234", true},
		{"025-52341234", "025-52341234", true},
		{"010-6512345", "010-6512345", true},
		{"+86 0527-88881234", "0527-88881234", true},
		// invalid
		{"12345678901", "12345678901", false}, // 12x is no mobile prefix
		{"10086", "10086", false},             // service number, not a contact phone
		{"1381234567", "1381234567", false},   // 10 digits
		{"138123456789", "138123456789", false},
		{"abc", "abc", false},
		{"", "", false},
		{"   ", "", false},
		{"0527-1234", "0527-1234", false},
		{"0527-08881234", "0527-08881234", false}, // local numbers never start with 0 or 1
		{"88881234", "88881234", false},           // landline without area code
		{"(0527)88881234", "(0527)88881234", false},
		{"0527-88881234-", "0527-88881234-", false},
		{"0527-88881234-1234567", "0527-88881234-1234567", false},
		{"86-13812345678", "86-13812345678", false},
		{"138-1234-5678", "138-1234-5678", false},
		{"1381234567８x", "13812345678x", false},
	}
	for _, tc := range cases {
		norm := hooks.NormalizePhone(tc.in)
		if norm != tc.norm {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tc.in, norm, tc.norm)
		}
		if got := hooks.ValidPhone(norm); got != tc.valid {
			t.Errorf("ValidPhone(%q) = %v, want %v (input %q)", norm, got, tc.valid, tc.in)
		}
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{
		"13812345678", "+86 138 1234 5678", "0086 13812345678", "+86-13812345678",
		"0527-88881234", "０５２７－８８８８１２３４", "0527-88881234-801", "１３８　１２３４　５６７８",
		"+86+8613812345678", "+86\n13812345678", "10086", "abc", "", "\xff0527",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := hooks.NormalizePhone(s)
		if twice := hooks.NormalizePhone(once); twice != once {
			t.Fatalf("NormalizePhone is not idempotent: %q → %q → %q", s, once, twice)
		}
		if utf8.ValidString(s) && !utf8.ValidString(once) {
			t.Fatalf("NormalizePhone(%q) = %q is not valid UTF-8", s, once)
		}
		if hooks.ValidPhone(once) {
			if strings.Trim(once, "0123456789-") != "" {
				t.Fatalf("ValidPhone accepts %q (from %q), which is not only digits and dashes", once, s)
			}
			if len(once) > 20 {
				t.Fatalf("ValidPhone accepts %q (from %q), longer than the 20-character phone fields", once, s)
			}
		}
	})
}
