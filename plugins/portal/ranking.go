package portal

import (
	"math"
	"sort"
)

// ScoreWeights are the weights of the composite score (综合得分).
type ScoreWeights struct {
	Response     float64 `json:"response"`     // 响应率
	OnTime       float64 `json:"on_time"`      // 按时办结率
	Satisfaction float64 `json:"satisfaction"` // 满意率
}

// weights: 满意率 weighs most because it is the residents' own verdict;
// 响应率 and 按时办结率 share the rest.
var weights = ScoreWeights{Response: 0.3, OnTime: 0.3, Satisfaction: 0.4}

// composite is the weighted mean of the rates that have a base, the weights
// rescaled over those; nil when none has.
func (s *Scorecard) composite() *float64 {
	var sum, weight float64
	for _, part := range []struct {
		r *Rate
		w float64
	}{{s.Response, weights.Response}, {s.OnTime, weights.OnTime}, {s.Satisfaction, weights.Satisfaction}} {
		if part.r.Rate != nil {
			sum += *part.r.Rate * part.w
			weight += part.w
		}
	}
	if weight == 0 {
		return nil
	}
	v := math.Round(sum/weight*10) / 10
	return &v
}

// rank orders by score (then cases, then name) and gives competition ranks
// (1, 2, 2, 4); departments without a score come last, unranked.
func rank(cards []*Scorecard) {
	sort.SliceStable(cards, func(i, j int) bool {
		a, b := cards[i], cards[j]
		switch {
		case (a.Score == nil) != (b.Score == nil):
			return a.Score != nil
		case a.Score != nil && *a.Score != *b.Score:
			return *a.Score > *b.Score
		case a.Cases != b.Cases:
			return a.Cases > b.Cases
		}
		return a.Name < b.Name
	})
	for i, c := range cards {
		if c.Score == nil {
			break
		}
		r := i + 1
		if i > 0 && *cards[i-1].Score == *c.Score {
			r = *cards[i-1].Rank
		}
		c.Rank = &r
	}
}
