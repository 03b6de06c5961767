// Command pagegen rewrites the shared parts of the pages in the folder it
// runs in (go generate runs it in pb_public) from their partials; see
// package siyang/internal/pagegen.
package main

import (
	"fmt"
	"os"
	"sort"

	"siyang/internal/pagegen"
)

func main() {
	stale, err := pagegen.Stale(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pagegen:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(stale))
	for name := range stale {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		info, err := os.Stat(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "pagegen:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(name, stale[name], info.Mode().Perm()); err != nil {
			fmt.Fprintln(os.Stderr, "pagegen:", err)
			os.Exit(1)
		}
		fmt.Println("pagegen: wrote", name)
	}
}
