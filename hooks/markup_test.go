package hooks

import "testing"

func TestHasMarkup(t *testing.T) {
	for s, want := range map[string]bool{
		"<script>alert(1)</script>":    true,
		"<img src=x onerror=alert(1)>": true,
		"看这里</b>":                      true,
		"<!-- 注释 -->":                  true,
		"<!DOCTYPE html>":              true,
		"<?xml version=\"1.0\"?>":      true,
		"温度<0度，水管冻裂":                   false,
		"a < b 且 c > d":                false,
		"《泗阳县城市管理条例》":                  false,
		"价格<5元>的商品":                    false,
		"路灯坏了 <3":                      false,
		"电话<13800000000>":              false,
	} {
		if got := HasMarkup(s); got != want {
			t.Errorf("HasMarkup(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzHasMarkup(f *testing.F) {
	for _, s := range []string{"<script>", "a<b>c", "温度<0度", "<!--", "<?php"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if HasMarkup(s) && !containsLT(s) {
			t.Fatalf("markup without '<': %q", s)
		}
	})
}

func containsLT(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '<' {
			return true
		}
	}
	return false
}
