// Package hotspot finds hot issues (热点问题) in residents' messages: groups
// of messages about the same problem at the same place, each named in one
// readable line and ranked by a heat index. Pure Go, no trained model:
//
//  1. each message is reduced to its places (housing estates, roads,
//     villages, schools, companies — names ending in 小区, 路, 村, 学院, …,
//     with the county/district prefix kept apart) and a TF-IDF vector of
//     its character bigrams (the title counted twice: it names the problem);
//  2. two messages are linked when they share a place and their texts are
//     alike, or when their texts are very alike even without a named
//     place, and they are no further apart in time than the window;
//  3. linked messages form groups (connected components, with a cap on
//     how loosely a large group may grow: see Options.Link*);
//  4. each group is named by its most frequent place and the problem its
//     most central title states, and ranked by the heat index (Heat).
//
// docs/analytics.md documents the index and the measured results.
package hotspot
