package main

import (
	"database/sql"
	"fmt"
	"os"
	"time"

	_ "modernc.org/sqlite"
)

func main() {
	db, err := sql.Open("sqlite", "file:"+os.Args[1]+"?mode=ro")
	if err != nil {
		panic(err)
	}
	for _, q := range os.Args[2:] {
		for _, arg := range []string{`"路灯"`, `"无此 此词"`, `"灯"*`, `"过期"`} {
			start := time.Now()
			var n int
			rows, err := db.Query(q, arg)
			if err != nil {
				fmt.Println(err)
				continue
			}
			for rows.Next() {
				n++
			}
			rows.Close()
			start2 := time.Now()
			rows, _ = db.Query(q, arg)
			for rows.Next() {
			}
			rows.Close()
			fmt.Printf("%s %s: %d rows, %s then %s\n", q[:40], arg, n, start2.Sub(start), time.Since(start2))
		}
		rows, _ := db.Query("EXPLAIN QUERY PLAN "+q, `"路灯"`)
		for rows.Next() {
			var a, b, c int
			var d string
			rows.Scan(&a, &b, &c, &d)
			fmt.Println("   plan:", d)
		}
		rows.Close()
	}
}
