package gseword

import (
	"slices"
	"testing"
)

func TestCutLoadsEmbeddedDictionary(t *testing.T) {
	words := Cut("小区门口的路灯坏了")
	if !slices.Contains(words, "路灯") || !slices.Contains(words, "小区") {
		t.Fatalf("Cut = %q, want the words 小区 and 路灯", words)
	}
}
