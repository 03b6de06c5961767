package classify

import "math/rand/v2"

// stratifiedFolds assigns each example a fold in [0,k) so that every fold
// gets about the same share of every class, and examples with the same
// group key (the same normalised text: appeals are often posted twice) land
// in the same fold, so a duplicate never scores its own copy.
func stratifiedFolds(y []int, groups []string, k int, rng *rand.Rand) []int {
	groupOf := map[string]int{}
	var members [][]int
	var groupLabel []int
	for i, g := range groups {
		id, ok := groupOf[g]
		if !ok {
			id = len(members)
			groupOf[g] = id
			members = append(members, nil)
			groupLabel = append(groupLabel, y[i])
		}
		members[id] = append(members[id], i)
	}
	byLabel := map[int][]int{}
	maxLabel := 0
	for id, c := range groupLabel {
		byLabel[c] = append(byLabel[c], id)
		maxLabel = max(maxLabel, c)
	}
	fold := make([]int, len(y))
	next := 0 // carry the round-robin across classes to even out fold sizes
	for c := 0; c <= maxLabel; c++ {
		ids := byLabel[c]
		rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		for _, id := range ids {
			for _, i := range members[id] {
				fold[i] = next
			}
			next = (next + 1) % k
		}
	}
	return fold
}
