package hotspot

import (
	"regexp"
	"strings"
	"unicode"
)

// placeSuffixes end the names of places residents write about.
var placeSuffixes = []string{
	"小区", "花园", "家园", "新城", "新村", "公寓", "大厦", "广场", "社区", "街道", "大道", "学院", "学校", "大学",
	"中学", "小学", "幼儿园", "医院", "卫生院", "公司", "集团", "市场", "超市", "商场", "公园", "景区", "车站", "高铁站",
	"工业园", "产业园", "村", "组", "镇", "乡", "苑", "园", "城", "府", "湾", "郡", "庭", "路", "街", "巷", "桥", "厂",
}

// adminRe finds county-level prefixes, kept apart from the place name:
// real ones (泗阳县, 众兴镇 are places) and the pseudonyms of public
// datasets (A市, A2区, K9县).
var adminRe = regexp.MustCompile(`[A-Z]\d{0,2}[市区县]|\p{Han}{2}省|泗阳县|宿迁市`)

// lead words that precede a place name without being part of it.
var leadWords = []string{
	"反映", "投诉", "举报", "关于", "请求", "建议", "咨询", "希望", "要求", "位于", "地处", "我是", "本人", "我们", "业主",
	"市民", "居民", "村民", "请问", "呼吁", "恳请", "强烈", "再次", "紧急", "严查", "解决", "处理", "整治", "问题", "住在",
	"家住", "坐落", "附近", "周边", "旁边", "门口", "对面", "楼下", "里面", "隔壁", "所在", "整个", "一个", "这个", "那个",
}

// vague heads make a "place" that names no place (该小区, 我们村).
var vagueHeads = map[string]bool{
	"该": true, "本": true, "我": true, "这": true, "那": true, "此": true, "各": true, "每": true, "其": true, "新": true,
	"老": true, "大": true, "小": true, "安置": true, "我们": true, "我家": true, "全": true, "城": true, "道": true,
	"马": true, "公": true, "农": true, "农村": true, "城市": true, "城区": true, "乡村": true, "乡镇": true, "县城": true,
	"市区": true, "配套": true, "公办": true, "民办": true, "普惠": true, "附近": true, "周边": true, "进": true, "出": true, "上": true, "下": true, "过": true, "回": true, "走": true, "到": true,
}

// breakChars end a place name looking backwards from its suffix.
const breakChars = "的在于对和与及是了从到向给把被为、将由让使并且或而也都就还又有个们去来说要会能"

// maxHead is how many characters before the suffix a name may have.
const maxHead = 6

// Place is a place found in a message.
type Place struct {
	Name string // as written, e.g. 魅力之城小区
	Key  string // for matching, e.g. 魅力之城 (generic suffix 小区 dropped)
	// Area marks a 街道/镇/乡: a region with many places in it, which
	// names a hotspot but is no evidence that two messages are about one.
	Area bool
}

// Places finds the places named in text, in order, without repeats.
func Places(text string) []Place {
	text = adminRe.ReplaceAllString(text, " ")
	rs := []rune(text)
	seen := map[string]bool{}
	var out []Place
	lastEnd := 0 // a name never reaches back into the previous one
	for i := 0; i < len(rs); i++ {
		suffix := suffixAt(rs, i)
		if suffix == "" {
			continue
		}
		end := i + len([]rune(suffix))
		// 魅力之城小区: a suffix right after a suffix extends the name
		for more := suffixAt(rs, end); more != "" && (more == "小区" || more == "社区" || more == "花园" || more == "公寓"); more = suffixAt(rs, end) {
			suffix += more
			end += len([]rune(more))
		}
		start := i
		for start > lastEnd && i-start < maxHead {
			r := rs[start-1]
			if !(unicode.Is(unicode.Han, r) || unicode.IsDigit(r) || unicode.IsLetter(r)) || strings.ContainsRune(breakChars, r) {
				break
			}
			start--
		}
		head := trimLead(string(rs[start:i]))
		if len([]rune(head)) < 2 || vagueHeads[head] {
			continue
		}
		lastEnd = end
		name := head + suffix
		key := strings.TrimSuffix(strings.TrimSuffix(name, "小区"), "社区")
		if !seen[key] {
			seen[key] = true
			out = append(out, Place{Name: name, Key: key, Area: suffix == "街道" || suffix == "镇" || suffix == "乡"})
		}
		i = end - 1
	}
	return out
}

// suffixAt is the longest place suffix starting at i that ends a name
// (not followed by more of a longer word, e.g. 路灯, 城管, 村委).
func suffixAt(rs []rune, i int) string {
	best := ""
	for _, s := range placeSuffixes {
		sr := []rune(s)
		if i+len(sr) > len(rs) || string(rs[i:i+len(sr)]) != s || len(s) <= len(best) {
			continue
		}
		if i+len(sr) < len(rs) && notAnEnd[string(sr[len(sr)-1])+string(rs[i+len(sr)])] {
			continue
		}
		best = s
	}
	return best
}

// notAnEnd: a suffix letter followed by this letter is part of another word.
var notAnEnd = map[string]bool{
	"路灯": true, "路面": true, "路段": true, "路口": true, "路况": true, "路边": true, "路线": true, "路费": true, "路由": true,
	"城管": true, "城市": true, "城区": true, "城乡": true, "城建": true, "城镇": true, "村委": true, "村民": true, "村干": true,
	"村级": true, "村里": true, "村庄": true, "组织": true, "组长": true, "组成": true, "镇政": true, "镇里": true, "镇党": true,
	"乡镇": true, "乡村": true, "乡政": true, "园区": true, "园林": true, "街头": true, "街面": true, "桥梁": true, "桥面": true,
	"厂家": true, "厂房": true, "厂区": true, "厂长": true, "区域": true, "府办": true, "湾区": true, "庭院": true, "庭审": true,
	"园长": true, "街办": true, "镇长": true, "乡长": true, "组织部": true,
}

func trimLead(s string) string {
	for changed := true; changed; {
		changed = false
		for _, w := range leadWords {
			if strings.HasPrefix(s, w) && len([]rune(s)) > len([]rune(w)) {
				s = strings.TrimPrefix(s, w)
				changed = true
			}
		}
	}
	return s
}

// Regions are the county-level prefixes a text names (A市, A2区, 泗阳县).
func Regions(text string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range adminRe.FindAllString(text, -1) {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

// short is the last four characters of a longer key: 万科魅力之城 and
// 魅力之城 are the same estate written with and without the developer.
func (p Place) short() string {
	rs := []rune(p.Key)
	if len(rs) > 4 {
		return string(rs[len(rs)-4:])
	}
	return p.Key
}
