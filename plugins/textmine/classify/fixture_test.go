package classify

// Made-up appeals for the tests: short, plain and written for this file,
// three departments' worth. They share filler words (请, 问题, 希望,
// 小区) so the model must find the topical ones.
var fixture = map[string][]string{
	"交通运输": {
		"公交车经常晚点，等车要一个小时",
		"希望增加到火车站的公交线路",
		"出租车司机拒载还乱收费",
		"网约车在路口违规停车载客",
		"小区门口的公交站台没有遮雨棚",
		"长途客车超载严重，请有关部门查处",
		"高速公路收费站排队太长",
		"公交车司机开车太猛，乘客摔倒",
		"请问驾驶证到期怎么换证",
		"货车在国道上超速行驶很危险",
		"希望开通夜班公交车",
		"客运站售票窗口太少，买票排长队",
		"公交卡充值点太少，很不方便",
		"出租车计价器有问题，多收车费",
		"道路运输证办理需要什么材料",
		"乡村客运班车停运了，出行困难",
		"公交车站牌信息错误，线路已经调整",
		"驾校收费高还不安排练车",
		"渡口的渡船老旧，过河不安全",
		"请问营运车辆年审在哪里办理",
	},
	"教育文体": {
		"学校乱收补课费，家长负担重",
		"孩子上小学要交赞助费吗",
		"幼儿园收费太高，希望规范",
		"老师在校外办辅导班收费",
		"中学食堂饭菜质量差",
		"希望小区附近建一所公办小学",
		"学生午休时间太短，作业太多",
		"体育馆长期关闭，市民不能锻炼",
		"图书馆开放时间太短",
		"请问高考加分政策如何认定",
		"民办学校教师工资拖欠",
		"校车超载接送学生很危险",
		"学区划分不合理，孩子无法就近入学",
		"教师招聘考试成绩有疑问",
		"希望多举办社区文化活动",
		"学校强制学生购买教辅资料",
		"幼儿园老师体罚孩子",
		"广场舞场地不够，希望建设文化广场",
		"请问转学手续怎么办理",
		"职业学校实习被强制安排到工厂",
	},
	"环境保护": {
		"化工厂排放废气，气味刺鼻",
		"河道里有人偷排污水，河水发黑",
		"工地夜间施工噪音扰民",
		"养猪场粪便污染周边农田",
		"小区旁边的工厂烟囱冒黑烟",
		"垃圾焚烧产生的烟雾很呛人",
		"采石场粉尘太大，庄稼上全是灰",
		"饭店油烟直排，楼上住户受影响",
		"希望治理湖泊的水污染",
		"企业在夜里偷偷排放废水",
		"砖厂冒烟污染空气",
		"搅拌站噪音和粉尘严重扰民",
		"池塘里死鱼很多，水有异味",
		"请查处非法倾倒工业废渣",
		"KTV噪音太大，晚上睡不着觉",
		"电镀厂污水流进了农田",
		"秸秆焚烧烟雾弥漫",
		"屠宰场污水直排，臭气熏天",
		"希望加强对排污企业的监管",
		"医疗废物随意丢弃污染环境",
	},
}

// heldOut are sentences the model never sees, each clearly one topic.
var heldOut = map[string][]string{
	"交通运输": {"公交线路太少，希望增加公交车班次", "出租车乱收费还拒载乘客"},
	"教育文体": {"学校违规收取补课费", "幼儿园乱收费，家长意见大"},
	"环境保护": {"工厂排放污水污染河道", "夜间噪音扰民，还有刺鼻废气"},
}

func fixtureExamples() []Example {
	var out []Example
	for _, label := range []string{"交通运输", "教育文体", "环境保护"} {
		for _, t := range fixture[label] {
			out = append(out, Example{Text: t, Label: label})
		}
	}
	return out
}

// fixtureOptions are the defaults with min-df 1: the fixture is too small
// for any term to reach the default's document frequency reliably.
func fixtureOptions() Options {
	o := DefaultOptions()
	o.MinDF = 1
	return o
}
