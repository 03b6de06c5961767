package loadgen

import (
	"math/rand"
	"strconv"
	"strings"
)

// problem is one kind of matter residents write about, with the category
// code it usually belongs to (the demo categories; unknown codes fall back
// to a random category).
type problem struct {
	category string
	kind     string
	title    string
	content  string
}

// problems are written the way residents write: a place, what is wrong,
// since when, what they want. {place}, {town}, {n} and {phone} are filled in.
var problems = []problem{
	{"urban", "complaint", "{place}门口路灯不亮", "{town}{place}门口的路灯已经坏了{n}天，晚上出行很不安全，老人小孩摔倒过，希望尽快维修。"},
	{"urban", "complaint", "{place}楼道违章搭建", "{town}{place}有住户在楼道里私自搭建储物间，堵塞消防通道，多次向物业反映无果，请相关部门处理。"},
	{"transport", "suggestion", "{place}附近增设公交站点", "{town}{place}附近居民有{n}百多户，最近的公交站要走二十分钟，建议在路口增设站点，方便群众出行。"},
	{"transport", "complaint", "{place}路面坑洼积水", "{town}{place}前面的道路坑洼不平，一下雨就积水，电动车经过很危险，已经有{n}个人摔倒，请尽快修补。"},
	{"labour", "help", "{place}工地拖欠农民工工资", "我在{town}{place}工地干活，老板拖欠我们{n}个月工资共计三万多元，多次讨要无果，请帮助我们讨薪，联系电话{phone}。"},
	{"education", "consult", "孩子入学划片咨询", "我家住在{town}{place}，孩子今年{n}岁要上小学，请问划片在哪个学校，需要准备哪些材料？"},
	{"health", "complaint", "{place}诊所服务态度差", "{town}{place}诊所医生服务态度恶劣，看病排队{n}个小时，收费不明细，希望卫生部门调查处理。"},
	{"environment", "complaint", "{place}附近工厂夜间排放异味", "{town}{place}附近的工厂每天夜里排放刺鼻气味，持续{n}个月了，居民晚上不敢开窗，请环保部门检查。"},
	{"environment", "report", "{place}河道有人倾倒垃圾", "{town}{place}旁边的河道经常有人倾倒建筑垃圾和生活垃圾，河水发臭，请查处并清理。"},
	{"commerce", "complaint", "{place}超市销售过期食品", "我在{town}{place}超市买的牛奶已经过期{n}天，找商家退换被拒绝，请市场监管部门处理。"},
	{"utilities", "help", "{place}停水{n}天无人处理", "{town}{place}从前天开始停水，已经{n}天了，打自来水公司电话没人接，家里老人做饭都成问题，请尽快恢复供水。"},
	{"utilities", "complaint", "{place}电压不稳经常跳闸", "{town}{place}最近电压不稳，每天跳闸{n}次以上，家电已经烧坏，请供电公司检修线路。"},
	{"agriculture", "consult", "种粮补贴发放时间咨询", "我是{town}{place}的种粮户，想咨询今年的种粮补贴什么时候发放，每亩多少钱，我家承包了{n}亩地。"},
	{"civil", "help", "{place}困难老人申请低保", "{town}{place}有一位{n}十多岁的独居老人，身体不好，没有收入来源，请帮助申请低保和临时救助。"},
	{"market", "complaint", "{place}菜市场缺斤短两", "{town}{place}菜市场有摊贩缺斤短两，买{n}斤肉少了三两，希望加强监管。"},
	{"safety", "report", "{place}夜间噪音扰民", "{town}{place}附近的烧烤店每天营业到凌晨{n}点，噪音很大，严重影响居民休息，请相关部门处理。"},
	{"urban", "complaint", "{place}小区物业不作为", "{town}{place}物业公司收费后不履行职责，垃圾{n}天没人清运，电梯坏了也不修，请住建部门督促整改。"},
	{"transport", "complaint", "{place}出租车拒载", "在{town}{place}打车，出租车司机嫌路近拒载，还态度恶劣，车牌号苏N{n}8888，请交通部门处理。"},
}

// places are where things happen; with the township they make each text
// distinct enough for the duplicate search to tell cases apart.
var places = []string{
	"幸福小区", "阳光花园", "城北新村", "运河人家", "桃源居", "东方名城", "梧桐苑", "锦绣华庭", "新华路", "人民路",
	"众兴大道", "北京路", "上海路", "长江路", "黄河路", "杨树湾", "东湖社区", "西苑小区", "南关村", "北关村",
	"李口村", "王集街", "中心小学", "实验中学", "农贸市场", "汽车站", "人民医院", "工业园区", "商业广场", "文化公园",
}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
var givenNames = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建国", "国强", "志刚", "红梅"}

// fill writes one text from a template.
func fill(rng *rand.Rand, tmpl, town, place, phone string) string {
	r := strings.NewReplacer("{town}", town, "{place}", place, "{n}", strconv.Itoa(2+rng.Intn(8)), "{phone}", phone)
	return r.Replace(tmpl)
}

func randomName(rng *rand.Rand) string {
	return string(surnames[rng.Intn(len(surnames))]) + givenNames[rng.Intn(len(givenNames))]
}

// randomPhone is a mobile number of the 139 range.
func randomPhone(rng *rand.Rand) string {
	return "139" + strconv.Itoa(10000000+rng.Intn(89999999))
}

// replyTexts are departments' answers (at least 10 characters, as the
// workflow requires).
var replyTexts = []string{
	"经核实，您反映的问题属实。我单位已于当日安排工作人员到现场处理，问题已整改完毕，感谢您的监督。",
	"您好，收到您的诉求后我单位高度重视，已联系相关责任单位限期整改，目前已处理完毕，如有疑问请来电咨询。",
	"经调查，该情况已依法处理，并对相关责任人进行了批评教育，后续我们将加强日常巡查，防止问题反弹。",
	"您咨询的事项答复如下：相关政策已在县政府网站公开，可携带身份证和户口簿到政务服务中心窗口办理。",
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID makes a PocketBase-style record id (15 characters a–z0–9) from the
// seeded generator, so that a run with the same seed is repeatable.
func newID(rng *rand.Rand) string {
	b := make([]byte, 15)
	for i := range b {
		b[i] = idAlphabet[rng.Intn(len(idAlphabet))]
	}
	return string(b)
}
