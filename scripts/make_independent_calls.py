#!/usr/bin/env python3
"""Independent generator of synthetic Mandarin call-centre recordings + truth JSON, two sets of 12
calls written by someone who never read SampleAudio/generate.py or the detectors, so that they test
CallQA on calls it was not developed on. Set 1 (2026-12-03, SEED 20261201) is the basic set; set 2
(SEED 20261202) holds harder cases: UK/CEPT ring plans, a coloured ring-back (CRBT), mains hum, two
holds in one call, agent interruptions, GSM on both channels, dual mono and 11.025 kHz. Hold music,
CRBT and IVR prompts come from the real recordings (`--real`, default ../shared/realaudio or
$CALLQA_REALAUDIO; without them it says so and exits, status 0). Score with
`python3 scripts/evaluate.py --callqa BIN .build-indep` (or .build-indep2).

Deterministic: every random choice comes from numpy Generators seeded from the set's SEED and the
call index.  Run:  python3 scripts/make_independent_calls.py [--set 1|2] [--out DIR] [--real DIR] [--only N]
(default set 1; default out .build-indep for set 1, .build-indep2 for set 2).

Conventions used for the truth values
  * dBov: 0 dBov = RMS of a full-scale square wave (float RMS 1.0), so a
    full-scale sine is -3.01 dBov.
  * activeLevelDbov: ITU-T P.56 (method B style) active speech level of the
    party's clean speech track as placed in the file (before noise/codec).
  * snrDb (party): party active level minus the RMS level of the noise on the
    party's channel (stereo) or of the total noise in the mix (mono / dual mono).
    "Noise" = line noise + mains hum (when present).  Noise muted during a silent
    hold is not counted (the level is that of the noise while it is present).
  * noise.snrDb (mono and dual mono): P.56 level of the combined clean speech
    minus total noise level; stereo calls give legSnrDb instead.
  * noise.humDbov / party humDbov: RMS level of the added 50 Hz mains hum
    (fundamental + harmonics, all together) on the channel carrying it; null
    when no hum was added.
  * answerSeconds: onset of the agent's first utterance (the answer itself is not
    audible; the greeting follows it immediately).  Calls recorded from the
    answer (no ringback) have answer.* all null.
  * ringback segments: one segment per ring cadence cycle, from the onset of the
    first tone burst of the cycle to the end of its last burst (for the UK plan
    0.4 on / 0.2 off / 0.4 on that is one 1.0 s segment per ring, the 0.2 s gap
    included).  Coloured ringback (CRBT, real music): one segment spanning the
    music, rings null, tonePlan "CRBT".
  * speech segments: espeak output trimmed at -50 dBFS (5 ms frames, raw
    espeak scale) so start/end are the audible speech edges.
  * interruptions: atSeconds = onset of the interrupting utterance; "by" = the
    party who starts talking while the other is still talking.
  * tone hold: starts at the first beep onset, ends when the agent takes the
    call back (some time in the silence after the last beep).
  * music hold: from the first audible sample of the hold audio (music, or the
    IVR prompt when the hold starts with a prompt) to the end of the hold audio.
    IVR prompts played inside a hold are part of the hold segment.
  * layout "mono" with channels 2 = dual mono: both channels carry the same mix.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf
from scipy.ndimage import maximum_filter1d
from scipy.signal import butter, resample_poly, sosfilt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


SET = _option("--set", "1")
if SET not in ("1", "2"):
    sys.exit("--set must be 1 or 2")
SET = int(SET)
REAL = _option("--real", os.environ.get("CALLQA_REALAUDIO", os.path.join(ROOT, "..", "shared", "realaudio")))
MUSIC = os.path.join(REAL, "music")
IVR = os.path.join(REAL, "ivr_prompts")

M_FISH = "librosa_Karissa_Hobbs_-_Lets_Go_Fishin"
M_PLUM = "librosa_Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy"
M_VIBE = "librosa_Kevin_MacLeod_-_Vibe_Ace"
M_HUNG = "librosa_Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_string_orchestra"

# --------------------------------------------------------------------------
# Call plans (one dict per call; remaining details drawn from the seeded RNG)
#   ring: (plan, n) with plan China / NorthAmerica / UK / CEPT, or ("CRBT", music, (lo, hi) s)
#   holds: consumed in order by the HOLD markers of the script; a music hold's prompt_mode is
#     None (music only), "middle" (one prompt halfway), "inside" (prompts at random points of
#     the music) or "first" (the hold starts with the prompt)
#   layout: stereo | mono | dualmono (two identical channels, truth layout "mono")
#   levels / snr / mono_snr: (lo, hi) ranges in dBov / dB drawn per call (default: the set's)
#   deadair: seconds, at the script's DEAD marker, else before the first customer turn of the
#     second half;  interrupt: the agent cuts the customer off 3-5 times;  fast: agent speed range
#   hum: level (dBov) of 50 Hz mains hum on the customer leg
# --------------------------------------------------------------------------
CALLS_1 = [
    dict(name="20261201-083512_agent-4003_call-400001", sr=8000, layout="stereo", codec="pcm16",
         ring=("China", 2), holds=[], noise="white", band=True, scenario="bank"),
    dict(name="20261201-091047_agent-4001_call-400002", sr=8000, layout="stereo", codec="ulaw",
         ring=("NorthAmerica", 3), holds=[], noise="pink", band=False, scenario="broadband"),
    dict(name="20261201-093320_agent-4005_call-400003", sr=8000, layout="mono", codec="pcm16",
         ring=("China", 1), holds=[dict(kind="silence", length=26.0)], noise="white", band=True,
         scenario="electric"),
    dict(name="20261201-100905_agent-4002_call-400004", sr=8000, layout="stereo", codec="alaw",
         ring=None, holds=[dict(kind="tone", length=32.0, freq=520.0)], noise="pink", band=True,
         scenario="flight"),
    dict(name="20261201-104418_agent-4004_call-400005", sr=16000, layout="stereo", codec="pcm16",
         ring=("NorthAmerica", 2), holds=[], noise="white", band=False, scenario="refund",
         deadair=12.0),
    dict(name="20261201-111236_agent-4001_call-400006", sr=8000, layout="mono", codec="ulaw",
         ring=("China", 4), holds=[dict(kind="music", length=58.0, music=M_FISH, prompt_mode=None)],
         noise="pink", band=True, scenario="gas"),
    dict(name="20261201-134502_agent-4006_call-400007", sr=8000, layout="stereo", codec="flac",
         ring=None, holds=[dict(kind="silence", length=36.0, floor="zero")], noise="white", band=False,
         scenario="express"),
    dict(name="20261201-141720_agent-4003_call-400008", sr=8000, layout="stereo", codec="pcm16",
         ring=("China", 3), holds=[], noise="pink", band=True, scenario="mobile"),
    dict(name="20261201-145033_agent-4002_call-400009", sr=8000, layout="mono", codec="gsm-pcm16",
         ring=("NorthAmerica", 1), holds=[dict(kind="tone", length=22.0, freq=950.0)], noise="white",
         band=True, scenario="broadband"),
    dict(name="20261201-152248_agent-4005_call-400010", sr=8000, layout="stereo", codec="pcm16",
         ring=None, holds=[dict(kind="music", length=82.0, music=M_PLUM, prompt_mode="middle",
                                prompts=["queue-periodic-announce.wav"])],
         noise="pink", band=False, scenario="bank"),
    dict(name="20261201-160615_agent-4004_call-400011", sr=8000, layout="stereo", codec="pcm16",
         ring=("China", 2), holds=[dict(kind="silence", length=23.0, floor="low")], noise="white",
         band=True, scenario="electric"),
    dict(name="20261201-163940_agent-4006_call-400012", sr=16000, layout="mono", codec="flac",
         ring=None, holds=[], noise="pink", band=False, scenario="refund_short"),
]

CALLS_2 = [
    dict(name="20261202-081503_agent-5002_call-500001", sr=8000, layout="stereo", codec="pcm16",
         ring=("China", 4), holds=[dict(kind="music", length=75.0, music=M_PLUM, prompt_mode="inside",
                                         prompts=["queue-periodic-announce.wav", "queue-holdtime.wav"])],
         noise="pink", band=True, scenario="insurance"),
    dict(name="20261202-084127_agent-5005_call-500002", sr=8000, layout="mono", codec="ulaw",
         ring=("NorthAmerica", 2), holds=[dict(kind="tone", length=28.0, freq=440.0)],
         noise="white", band=True, scenario="mobile2", interrupt=True, fast=(265, 285)),
    dict(name="20261202-090848_agent-5001_call-500003", sr=8000, layout="stereo", codec="ulaw",
         ring=("UK", 3), holds=[dict(kind="silence", length=30.0, floor="zero")],
         noise="pink", band=True, scenario="parcel",
         levels=dict(A=(-37.5, -35.5), C=(-15.5, -14.0)), snr=dict(A=(10, 14), C=(25, 35))),
    dict(name="20261202-093215_agent-5003_call-500004", sr=8000, layout="mono", codec="gsm-pcm16",
         ring=("CEPT", 5), holds=[dict(kind="silence", length=25.0)],
         noise="white", band=True, scenario="hospital"),
    dict(name="20261202-095540_agent-5004_call-500005", sr=16000, layout="stereo", codec="pcm16",
         ring=("CRBT", M_VIBE, (8.0, 15.0)), holds=[], noise="pink", band=False, scenario="card",
         deadair=15.0, levels=dict(A=(-15.0, -14.0), C=(-38.0, -36.0)), snr=dict(A=(28, 35), C=(9, 12))),
    dict(name="20261202-102311_agent-5002_call-500006", sr=8000, layout="stereo", codec="pcm16",
         ring=None, holds=[dict(kind="silence", length=20.0, floor="low"),
                           dict(kind="music", length=40.0, music=M_FISH, prompt_mode=None)],
         noise="white", band=False, scenario="water"),
    dict(name="20261202-104702_agent-5006_call-500007", sr=11025, layout="mono", codec="pcm16",
         ring=("China", 6), holds=[], noise="pink", band=False, scenario="health_ins", deadair=65.0),
    dict(name="20261202-111930_agent-5001_call-500008", sr=8000, layout="stereo", codec="alaw",
         ring=("NorthAmerica", 1), holds=[dict(kind="music", length=45.0, music=M_HUNG, prompt_mode="first",
                                                prompts=["busy-pls-hold.wav"])],
         noise="pink", band=True, scenario="roaming", hum=-45.0),
    dict(name="20261202-134410_agent-5003_call-500009", sr=8000, layout="dualmono", codec="pcm16",
         ring=("UK", 2), holds=[], noise="white", band=False, scenario="parcel_damaged",
         interrupt=True, fast=(285, 310)),
    dict(name="20261202-140855_agent-5005_call-500010", sr=8000, layout="mono", codec="alaw",
         ring=("CEPT", 1), holds=[], noise="pink", band=True, scenario="power", interrupt=True, fast=(262, 278),
         mono_snr=(8.0, 10.0)),
    dict(name="20261202-143620_agent-5004_call-500011", sr=8000, layout="stereo", codec="gsm-pcm16",
         ring=("China", 3), holds=[], noise="white", band=True, scenario="hospital2",
         levels=dict(A=(-22, -19), C=(-34, -32)), snr=dict(A=(30, 35), C=(8, 9))),
    dict(name="20261202-150247_agent-5006_call-500012", sr=8000, layout="mono", codec="pcm16",
         ring=("CEPT", 4), holds=[dict(kind="tone", length=64.0, freq=1400.0)],
         noise="white", band=True, scenario="card2"),
]
# --------------------------------------------------------------------------
# Text material (written for this generator; one namespace per set)
# --------------------------------------------------------------------------
DIG = "零一二三四五六七八九"
PHONE_DIG = "零幺二三四五六七八九"


def zh_int(n):
    """Integer 0..99999 to Chinese numerals."""
    if n == 0:
        return "零"
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")]
    out, zero = "", False
    for u, name in units:
        d = n // u
        n %= u
        if d:
            if zero and out:
                out += "零"
            out += DIG[d] + name
            zero = False
        elif out:
            zero = True
    if out.startswith("一十"):
        out = out[1:]
    return out


def digits(rng, n, phone=False, first=None):
    tab = PHONE_DIG if phone else DIG
    ds = [int(rng.integers(0, 10)) for _ in range(n)]
    if first is not None:
        ds[:len(first)] = first
    return "".join(tab[d] for d in ds)



class Text1:
    """Set 1 wording.  SLOTS: order in which fill_slots draws the slot values after the name/address."""
    SURNAMES = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "孙", "马"]
    GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "军", "杰", "丽", "强", "艳"]
    ADDR = ["北京市朝阳区建国路八十八号三单元五零二室", "上海市浦东新区世纪大道一百号十二楼",
            "广州市天河区体育西路二十六号七零八室", "杭州市西湖区文三路三百五十九号",
            "成都市武侯区人民南路四段十九号", "南京市鼓楼区中山北路二十八号二单元",
            "武汉市洪山区珞瑜路一百五十二号", "西安市雁塔区小寨东路六十六号八楼"]
    CITY = ["上海", "广州", "深圳", "成都", "杭州", "武汉", "西安", "重庆"]
    COMPANY = {"bank": "安信银行信用卡中心", "broadband": "星河通信宽带服务中心", "electric": "华远电力客服中心",
               "flight": "云程旅行客服中心", "refund": "优选商城客服中心", "refund_short": "优选商城客服中心",
               "gas": "蓝天燃气客服中心", "express": "顺达快递客服中心", "mobile": "星河通信客服中心"}

    GREET = ["您好，欢迎致电{company}，{ano}号客服很高兴为您服务，请问有什么可以帮您？",
             "您好，{company}，工号{ano}为您服务，请问有什么可以帮您？",
             "您好，这里是{company}，我是{ano}号客服，请问您需要办理什么业务？"]

    # A = agent, C = customer, HOLD = where a hold may happen (after the customer's ok)
    SCEN = {
        "bank": [
            ("C", "你好，我想查一下我信用卡的账单，这个月好像多扣了一笔钱。"),
            ("A", "好的，请您提供一下持卡人的姓名和预留的手机号码。"),
            ("C", "我叫{name}，手机号是{phone}。"),
            ("A", "好的{title}，为了核实身份，请您再说一下身份证号码的后四位。"),
            ("C", "后四位是{last4}。"),
            ("A", "核实成功，请问您说的那笔款项大概是什么时候扣的？"),
            ("C", "应该是{date}，金额是{amount}，我根本没有在那家商户消费过。"),
            ("A", "明白了，请您稍等，我帮您查询一下这笔交易的详细信息。"),
            ("C", "好的，我等一下。"),
            ("HOLD", ""),
            ("A", "感谢您的耐心等待，我查到这笔交易是一笔线上支付，商户是一家网络商城。"),
            ("C", "不对啊，我从来没有在这个网站买过东西，是不是卡被盗刷了？"),
            ("A", "您先别着急，我可以先帮您把卡片临时冻结，同时提交一个争议交易的申请。"),
            ("C", "好的，那麻烦你赶紧帮我冻结吧，钱还能退回来吗？"),
            ("A", "申请提交以后，我们会在七到十个工作日内完成调查，核实以后款项会退回到您的账户。"),
            ("C", "那新卡怎么办，我平时还要用。"),
            ("A", "我们会给您免费补办一张新卡，寄到您的账单地址，请问地址还是{addr}吗？"),
            ("C", "对，地址没有变。"),
            ("A", "好的，新卡预计五个工作日内送达，到时候请您注意查收短信。"),
        ],
        "broadband": [
            ("C", "喂，你好，我家的宽带从昨天晚上开始就上不了网了。"),
            ("A", "非常抱歉给您带来不便，请问您的宽带账号或者安装地址是多少？"),
            ("C", "地址是{addr}，账号就是我的手机号{phone}。"),
            ("A", "好的，请问您家里光猫上的指示灯现在是什么颜色？"),
            ("C", "有一个灯一直在闪红灯，其他的都是绿的。"),
            ("A", "闪红灯说明光信号有问题，请您先把光猫的电源拔掉，等三十秒以后再插上试一下。"),
            ("C", "好，我去拔一下。"),
            ("A", "好的，不着急。"),
            ("C", "重启过了，还是一样，红灯还在闪。"),
            ("A", "好的，我帮您看一下您所在小区的线路情况，请您稍等一下。"),
            ("C", "行，你查吧。"),
            ("HOLD", ""),
            ("A", "让您久等了，系统显示您所在的小区有一处光缆正在抢修，预计今天下午六点前恢复。"),
            ("C", "这么久啊，我在家办公，很着急用网。"),
            ("A", "非常理解您的心情，我这边给您登记一个加急工单，同时帮您申请三天的费用减免。"),
            ("C", "那好吧，修好了能不能给我发个短信通知一下？"),
            ("A", "可以的，修复完成以后系统会自动发送短信到您的手机号{phone}。"),
        ],
        "electric": [
            ("C", "你好，我这个月的电费怎么这么高，比上个月多了一倍。"),
            ("A", "您好，请您提供一下户号或者用电地址，我帮您查询。"),
            ("C", "户号是{acct}，地址是{addr}。"),
            ("A", "好的，您本月的用电量是{kwh}度，电费是{amount}。"),
            ("C", "我们家平时就两个人，不可能用这么多电吧。"),
            ("A", "请问最近有没有新增大功率的电器，比如空调或者电暖器？"),
            ("C", "最近天冷，开了几天电暖器，但是也不至于这么多吧。"),
            ("A", "我理解，请您稍等，我帮您调一下电表的读数记录。"),
            ("C", "好的。"),
            ("HOLD", ""),
            ("A", "感谢您的等待，电表读数是正常上传的，没有发现异常跳数的情况。"),
            ("C", "那能不能派人来帮我检查一下电表？"),
            ("A", "可以的，我帮您预约一次上门校验，请问您明天上午还是下午方便？"),
            ("C", "明天下午吧，两点以后家里有人。"),
            ("A", "好的，已经帮您预约明天下午两点到五点，工作人员上门前会先给您打电话。"),
            ("C", "校验要收费吗？"),
            ("A", "如果电表校验结果有误差，是不收费的，多收的电费也会退还给您。"),
        ],
        "flight": [
            ("C", "你好，我订了一张机票，想改一下日期。"),
            ("A", "好的，请您提供一下订单号或者乘机人的姓名。"),
            ("C", "乘机人是{name}，订单号是{order}。"),
            ("A", "我查到了，您预订的是{date}从北京飞往{city}的航班，对吗？"),
            ("C", "对，我想改到后一天，同样的时间。"),
            ("A", "请您稍等，我帮您查一下后一天的航班余票。"),
            ("C", "好，麻烦你了。"),
            ("HOLD", ""),
            ("A", "让您久等了，后一天上午有一班，还有座位，需要补差价{amount}。"),
            ("C", "这么贵啊，有没有便宜一点的？"),
            ("A", "下午还有一班，不需要补差价，只收取改签手续费五十元。"),
            ("C", "下午几点起飞？"),
            ("A", "下午三点二十分起飞，大概五点四十到达{city}。"),
            ("C", "那就改下午的吧。"),
            ("A", "好的，已经为您改签成功，新的行程单会发送到您的手机{phone}上。"),
            ("C", "原来的座位还能保留吗？"),
            ("A", "座位需要重新选择，您可以在起飞前一天通过手机办理值机。"),
        ],
        "refund": [
            ("C", "你好，我在你们商城买了一件衣服，尺码不合适，想退货。"),
            ("A", "好的，请问您的订单号是多少？"),
            ("C", "订单号是{order}。"),
            ("A", "我查到了，是{date}下单的一件外套，金额{amount}，对吗？"),
            ("C", "对，就是这个。"),
            ("A", "这件商品支持七天无理由退货，请问吊牌和包装都还在吗？"),
            ("C", "都在，我只是试穿了一下。"),
            ("A", "好的，我这边帮您提交退货申请，快递员会在明天上门取件。"),
            ("C", "取件的地址是{addr}，需要我自己付运费吗？"),
            ("A", "不需要，您购买了运费险，退货的运费由保险公司承担。"),
            ("C", "那退款多久能到账？"),
            ("A", "仓库收到商品检查无误以后，退款会在一到三个工作日内原路退回。"),
            ("C", "如果我想换一个大一号的，可以直接换吗？"),
            ("A", "可以的，不过换货需要先确认库存，大一号目前还有货，我可以帮您改成换货。"),
            ("C", "那还是换货吧，退款就不用了。"),
            ("A", "好的，已经帮您改为换货，新的商品会在收到退件后两天内发出。"),
        ],
        "refund_short": [
            ("C", "你好，我上周买的一个电水壶坏了，想问一下怎么退。"),
            ("A", "好的，请问您的订单号是多少？"),
            ("C", "订单号是{order}。"),
            ("A", "我查到了，是{date}下单的电水壶，金额{amount}，对吗？"),
            ("C", "对，用了两次就不加热了。"),
            ("A", "非常抱歉，质量问题可以直接退货，运费由我们承担。"),
            ("C", "那要我自己寄回去吗？"),
            ("A", "不用，我们会安排快递员上门取件，请问取件地址是{addr}吗？"),
            ("C", "对，就是这个地址，明天上午家里有人。"),
            ("A", "好的，已经为您预约明天上午取件，退款会在仓库签收后原路退回。"),
        ],
        "gas": [
            ("C", "你好，我家的燃气灶打不着火了，能派人来看看吗？"),
            ("A", "好的，请问您的燃气用户号是多少？"),
            ("C", "用户号是{acct}。"),
            ("A", "请问用气地址是{addr}吗？"),
            ("C", "对，就是这个地址。"),
            ("A", "请问您家里能闻到燃气的味道吗？"),
            ("C", "没有味道，就是点不着。"),
            ("A", "好的，请您先检查一下燃气表里是否还有余额，以及灶具的电池是否有电。"),
            ("C", "余额还有{amount}，电池我上周刚换过。"),
            ("A", "那可能是灶具或者阀门的问题，我帮您联系一下附近的维修师傅，请您稍等。"),
            ("C", "好的。"),
            ("HOLD", ""),
            ("A", "让您久等了，已经安排好了，师傅姓{surname}，今天下午四点左右到。"),
            ("C", "上门检查收费吗？"),
            ("A", "上门检查是免费的，如果需要更换配件，师傅会先跟您确认价格。"),
            ("C", "好的，那我下午在家等着。"),
            ("A", "在师傅到达之前，请您不要再反复点火，保持厨房通风。"),
        ],
        "express": [
            ("C", "你好，我有一个快递，想改一下收货地址。"),
            ("A", "好的，请您提供一下快递单号。"),
            ("C", "单号是{order}。"),
            ("A", "好的，我查到了，这个包裹目前在{city}转运中心，收件人是{name}，对吗？"),
            ("C", "对，是我。我下周要出差，想改到公司的地址。"),
            ("A", "没问题，请您说一下新的收货地址和联系电话。"),
            ("C", "新地址是{addr2}，电话还是{phone}。"),
            ("A", "我跟您核对一下，新地址是{addr2}，联系电话{phone}，对吗？"),
            ("C", "对的，没错。"),
            ("A", "好的，我需要跟转运中心确认一下能不能拦截，请您稍等。"),
            ("C", "好。"),
            ("HOLD", ""),
            ("A", "感谢您的耐心等待，转运中心已经确认可以修改，地址已经更新了。"),
            ("C", "大概什么时候能送到？"),
            ("A", "修改地址以后预计会晚一天，大概{date}可以送到。"),
            ("C", "改地址要额外收费吗？"),
            ("A", "同城修改地址是免费的，您不用额外支付费用。"),
        ],
        "mobile": [
            ("C", "喂，你好，我想换一个便宜一点的手机套餐。"),
            ("A", "好的，请问是本机号码{phone}吗？"),
            ("C", "对，就是这个号。"),
            ("A", "为了保护您的信息安全，请您说一下机主姓名和证件号码的后四位。"),
            ("C", "机主是{name}，后四位是{last4}。"),
            ("A", "核实成功。您现在的套餐是每月一百二十八元，包含通话五百分钟。"),
            ("C", "我平时打电话不多，主要是上网，有没有流量多一点的？"),
            ("A", "有的，我们现在有一个五十八元的套餐，流量比较多，通话一百分钟，比较适合您。"),
            ("C", "那换了以后什么时候生效？"),
            ("A", "套餐变更是下个月一号生效，本月还是按照原来的套餐收费。"),
            ("C", "有没有合约期？要不要违约金？"),
            ("A", "您原来的套餐合约已经到期了，变更不收取任何费用。"),
            ("C", "好，那就帮我换吧。"),
            ("A", "好的，已经为您办理成功，稍后您会收到一条确认短信。"),
            ("C", "另外我想问一下，家里的宽带能不能和手机号合并缴费？"),
            ("A", "可以的，您可以办理融合业务，每月话费和宽带费会合并成一张账单。"),
        ],
    }

    EXTRA = [
        ("C", "对了，以后有问题我还可以通过什么方式联系你们？"),
        ("A", "您可以拨打我们的客服热线，也可以在官方手机应用里在线咨询，都是全天服务的。"),
        ("C", "那我刚才办理的业务有没有记录可以查？"),
        ("A", "有的，您可以在官方应用的服务记录里查看本次办理的详细信息。"),
        ("C", "还有一个问题，我的联系电话以后要是换了，需要通知你们吗？"),
        ("A", "需要的，您可以随时致电我们或者在应用里修改预留的联系方式。"),
    ]

    CLOSE_A1 = ["请问还有其他可以帮您的吗？", "请问还有别的问题需要咨询吗？"]
    CLOSE_C1 = ["没有了，谢谢你。", "没有了，就这些，谢谢。", "暂时没有了，谢谢你啊。"]
    CLOSE_A2 = ["不客气，感谢您的来电，稍后请对我的服务做出评价，祝您生活愉快，再见。",
                "好的，感谢您的耐心，祝您生活愉快，再见。",
                "不客气，感谢您的来电，再见。"]
    CLOSE_C2 = ["好的，再见。", "嗯，再见。"]
    SLOTS = ("amount", "phone", "last4", "acct", "order", "city", "date", "kwh")


class Text2:
    """Set 2 wording (same layout as Text1)."""
    SURNAMES = ["郑", "何", "高", "林", "罗", "梁", "宋", "唐", "许", "韩", "冯", "邓"]
    GIVEN = ["晓", "婷", "浩", "宇", "欣", "鹏", "琳", "涛", "雪", "峰", "慧", "斌"]
    ADDR = ["天津市南开区鞍山西道一百零六号四单元三零一室", "苏州市工业园区星湖街三百二十八号",
            "长沙市岳麓区麓山南路九十三号六栋", "青岛市市南区香港中路五十号十八楼",
            "郑州市金水区花园路一百三十九号", "合肥市蜀山区长江西路二百号五单元",
            "昆明市五华区东风西路十一号七零二室", "厦门市思明区湖滨南路三百八十八号"]
    CITY = ["天津", "苏州", "长沙", "青岛", "郑州", "合肥", "昆明", "厦门"]
    COMPANY = {"insurance": "恒信财产保险客服中心", "mobile2": "星联移动客服中心", "parcel": "迅捷物流客服中心",
               "hospital": "仁和医院预约中心", "card": "汇通银行信用卡中心", "water": "清源水务客服中心",
               "health_ins": "康宁健康保险客服中心", "roaming": "星联移动客服中心", "parcel_damaged": "远达速运客服中心",
               "power": "南城供电服务中心", "hospital2": "瑞康健康体检中心", "card2": "汇通银行信用卡中心"}

    GREET = ["您好，{company}，我是{ano}号客服，很高兴为您服务。",
             "您好，欢迎致电{company}，工号{ano}，请问有什么可以帮您？",
             "您好，这里是{company}，{ano}号为您服务，请讲。"]

    # A = agent, C = customer, HOLD = hold here (if the plan has one left), DEAD = dead air here
    SCEN = {
        "insurance": [
            ("C", "你好，我前天开车出了个小事故，想报一下车险理赔。"),
            ("A", "您先别着急，请问您的车牌号或者保单号是多少？"),
            ("C", "车牌号是津A{plate}，保单号我一下子找不到了。"),
            ("A", "没关系，请问被保险人是您本人吗？麻烦说一下姓名和身份证后四位。"),
            ("C", "是我本人，我叫{name}，身份证后四位是{last4}。"),
            ("A", "核实成功。请问事故是在什么时间、什么地点发生的？"),
            ("C", "{date}下午五点左右，在{city}绕城高速的出口，被后面的车追尾了。"),
            ("A", "请问现场有人员受伤吗？交警有没有出具事故认定书？"),
            ("C", "没有人受伤，交警来过了，认定对方负全部责任。"),
            ("A", "好的，既然对方全责，应该由对方的保险公司赔付，我先查一下对方车辆的承保信息，请您稍等。"),
            ("C", "好的，麻烦你了。"),
            ("HOLD", ""),
            ("A", "感谢您的耐心等待，对方车辆也是在我们公司投保的，可以直接为您办理理赔。"),
            ("C", "那太好了，需要我准备哪些材料？"),
            ("A", "请您准备好事故认定书、行驶证、驾驶证和维修发票，在手机应用里拍照上传就可以。"),
            ("C", "车现在还在修理厂，维修费大概要{amount}。"),
            ("A", "没问题，定损员明天上午会到修理厂定损，定损完成后三个工作日内赔款到账。"),
            ("C", "赔款是打到我的银行卡上吗？"),
            ("A", "是的，会打到您投保时预留的银行账户，到账以后会有短信通知。"),
        ],
        "mobile2": [
            ("C", "喂，你好，我想问一下我的套餐，最近每个月的流量都不够用，老是超出。"),
            ("A", "您好，请问是查询本机号码{phone}吗？"),
            ("C", "对，就是这个号码，我已经用了好几年了，一直没换过套餐。"),
            ("A", "好的，请您提供一下机主姓名和服务密码进行验证。"),
            ("C", "机主是{name}，服务密码我一下子想不起来了，能不能用身份证验证？"),
            ("A", "可以的，请您说一下身份证号码的后六位。"),
            ("C", "后六位是{last6}，最后一位是数字不是字母。"),
            ("A", "验证通过。您现在的套餐每月包含十个G的流量，这个月已经超出了三个G。"),
            ("C", "对啊，超出的部分扣了不少钱，有没有流量更多一点的套餐可以换？"),
            ("A", "我帮您看一下目前可以办理的套餐，请您稍等。"),
            ("C", "好，你看一下吧。"),
            ("HOLD", ""),
            ("A", "让您久等了，目前有一个九十九元的套餐，每月四十个G的流量，另外送三百分钟通话。"),
            ("C", "九十九元比我现在贵了二十块钱，那我原来办的宽带优惠还能不能保留？"),
            ("A", "可以保留的，宽带的优惠跟手机套餐是分开计算的，不受影响。"),
            ("C", "那下个月就能用新套餐吗，还是要等到原来的合约到期以后才行？"),
            ("A", "新套餐从下个月一号开始生效，您原来的合约上个月已经到期了，不收违约金。"),
            ("C", "那好吧，就帮我换成九十九元的这个套餐，越快越好。"),
            ("A", "好的，已经帮您提交了变更，稍后会有一条短信，请您回复确认。"),
        ],
        "parcel": [
            ("C", "你好，我一个星期前寄的包裹到现在还没有送到，物流信息也一直没有更新。"),
            ("A", "您好，非常抱歉，请提供一下快递单号，我帮您查询。"),
            ("C", "单号是{order}。"),
            ("A", "我查到了，这个包裹是{date}从{city}寄出的，收件地址是{addr}，对吗？"),
            ("C", "对的，里面是给我妈妈买的药，挺着急的。"),
            ("A", "系统显示包裹到达{city2}分拣中心以后就没有扫描记录了，我需要联系分拣中心核实一下，请您稍等。"),
            ("C", "好的，我等着。"),
            ("HOLD", ""),
            ("A", "感谢您的耐心等待，分拣中心反馈这个包裹目前没有找到，可能是在分拣过程中遗失了。"),
            ("C", "什么？丢了？那里面的东西怎么办？"),
            ("A", "非常抱歉给您造成损失，我们会立即启动丢件理赔流程，请问您寄件的时候有没有保价？"),
            ("C", "保价了，保的是{amount}。"),
            ("A", "好的，保价的包裹会按照保价金额全额赔付，您需要提供一下购买药品的凭证。"),
            ("C", "我有网上的订单截图，可以吗？"),
            ("A", "可以的，您把截图上传到我们的理赔页面，审核通过后三个工作日内赔付。"),
            ("C", "那药我妈妈着急用，能不能先想想办法？"),
            ("A", "我这边给您申请一张免费的加急寄件券，您重新寄的话可以次日送达。"),
        ],
        "hospital": [
            ("C", "你好，我想预约一下下周的专家门诊。"),
            ("A", "您好，请问您要预约哪个科室？"),
            ("C", "心内科，我想挂{surname}主任的号。"),
            ("A", "好的，请问就诊人是您本人吗？请提供一下就诊人的姓名和就诊卡号。"),
            ("C", "是我本人，我叫{name}，就诊卡号是{acct}。"),
            ("A", "请您稍等，我帮您查一下{surname}主任下周的出诊安排。"),
            ("C", "好的。"),
            ("HOLD", ""),
            ("A", "让您久等了，{surname}主任下周二和周四上午出诊，周二的号已经约满了，周四上午还有三个号。"),
            ("C", "那就约周四上午吧，大概几点？"),
            ("A", "周四上午九点半到十点之间，请您提前二十分钟到门诊二楼的自助机取号。"),
            ("C", "需要空腹吗？我可能要抽血。"),
            ("A", "如果需要抽血检查，建议您空腹前往，看诊时医生会给您开检查单。"),
            ("C", "好的，挂号费是多少？"),
            ("A", "专家门诊的挂号费是五十元，可以用医保卡支付。"),
            ("C", "如果那天临时有事，可以取消吗？"),
            ("A", "可以的，就诊前一天下午五点之前都可以免费取消，超过时间取消会影响下次预约。"),
        ],
        "card": [
            ("C", "你好，我的信用卡上出现了一笔境外消费，不是我本人刷的。"),
            ("A", "您好，请您不要着急，请提供一下卡号后四位和持卡人姓名。"),
            ("C", "卡号后四位是{last4}，我叫{name}。"),
            ("A", "好的，为了确认身份，请问您的预留手机号是多少？"),
            ("C", "是{phone}。"),
            ("A", "核实成功。我看到您的卡在{date}有一笔美元消费，折合人民币{amount}，是这笔吗？"),
            ("C", "对，就是这笔，我这几个月根本没出过国。"),
            ("A", "明白了，请问您的卡片现在在身边吗？最近有没有在不明网站上输入过卡号？"),
            ("DEAD", ""),
            ("C", "卡一直在我钱包里，网站的话，我想一下，好像上个月在一个购物网站买过东西。"),
            ("A", "有可能是卡片信息泄露了，我先帮您挂失这张卡，并提交一笔争议交易。"),
            ("C", "挂失以后我的自动还款会受影响吗？"),
            ("A", "不会的，自动还款会关联到新卡上，不需要您重新设置。"),
            ("C", "那这笔钱我这个月还需要还吗？"),
            ("A", "争议期间这笔款项暂时不需要还款，也不会产生利息，调查结果出来以后会通知您。"),
            ("C", "调查大概需要多长时间？"),
            ("A", "国际卡组织的调查一般需要四十五天左右，请您保持手机畅通。"),
        ],
        "water": [
            ("C", "喂，你好，我们小区从今天早上开始就停水了，一直没有来水。"),
            ("A", "您好，请问您的用水地址是哪里？"),
            ("C", "地址是{addr}。"),
            ("A", "好的，请问是整个小区都停水了，还是只有您家里？"),
            ("C", "我问了邻居，整栋楼都没有水。"),
            ("A", "我先查一下这个区域有没有计划停水的通知，请您稍等。"),
            ("C", "好。"),
            ("HOLD", ""),
            ("A", "感谢您的等待，系统里没有这个区域的计划停水通知，可能是突发的管道故障。"),
            ("C", "那什么时候能恢复？家里老人孩子都等着用水。"),
            ("A", "我需要联系一下辖区的抢修班组，了解现场的情况，请您再稍等一下。"),
            ("C", "行，你快点。"),
            ("HOLD", ""),
            ("A", "让您久等了，抢修班组已经到达现场，是小区门口的主管道爆裂了，预计今天晚上八点前恢复供水。"),
            ("C", "要这么久啊，有没有送水车？"),
            ("A", "我们已经安排了两辆送水车，下午一点到小区门口，您可以带上水桶去接水。"),
            ("C", "好的，恢复供水以后需要注意什么？"),
            ("A", "刚恢复供水时水可能有些浑浊，请您先放水几分钟，等水变清以后再使用。"),
        ],
        "health_ins": [
            ("C", "你好，我上个月住院做了个小手术，想问一下医疗险怎么报销。"),
            ("A", "您好，请问被保险人的姓名和保单号是多少？"),
            ("C", "被保险人是{name}，保单号是{order}。"),
            ("A", "好的，我查到了，您投保的是百万医疗险，免赔额是一万元。"),
            ("C", "我这次一共花了{amount2}，医保报了一部分。"),
            ("A", "请问医保报销以后，自费的部分大概是多少？"),
            ("C", "自费部分是一万三千多。"),
            ("A", "那么超出免赔额的三千多元是可以报销的，需要您提供出院小结、费用清单和发票。"),
            ("C", "发票原件被医保那边收走了，只有复印件可以吗？"),
            ("A", "可以的，复印件需要加盖医保结算机构的公章。"),
            ("C", "好的，材料是直接寄给你们吗？"),
            ("A", "您可以直接在手机应用上拍照上传，不需要邮寄，审核通过以后十个工作日内到账。"),
            ("C", "我现在正好开着应用，你等我找一下在哪里上传。"),
            ("DEAD", ""),
            ("C", "找到了，是不是在我的保单下面有一个理赔申请？"),
            ("A", "对的，点进去以后按照提示填写银行卡信息，再上传材料照片就可以了。"),
            ("C", "好的，我晚上整理好材料就上传。"),
        ],
        "roaming": [
            ("C", "你好，我下周要去日本出差，想开通国际漫游。"),
            ("A", "您好，请问是为本机号码开通吗？"),
            ("C", "对，就是这个号码{phone}。"),
            ("A", "好的，请您说一下机主姓名进行核实。"),
            ("C", "机主是{name}。"),
            ("A", "核实成功。您的号码目前国际漫游功能是关闭的，我现在帮您开通，请问需要办理日本的流量包吗？"),
            ("C", "流量包怎么收费？"),
            ("A", "日本的流量包是每天二十八元，不限流量，超过三个G以后会降速。"),
            ("C", "我要去五天，有没有更划算的？"),
            ("A", "我帮您查一下有没有多天的优惠套餐，请您稍等。"),
            ("C", "好的。"),
            ("HOLD", ""),
            ("A", "让您久等了，现在有一个七天的套餐，一百二十八元，每天不限量，比按天买便宜。"),
            ("C", "那就办这个七天的吧，从哪天开始算？"),
            ("A", "套餐从您在日本开机连上网络的时候开始计算，有效期七天。"),
            ("C", "在日本打电话回国怎么收费？"),
            ("A", "拨打回国是每分钟零点九九元，接听也是同样的价格。"),
        ],
        "parcel_damaged": [
            ("C", "你好，我今天收到的快递，箱子都压坏了，里面的玻璃杯碎了两个。"),
            ("A", "您好，非常抱歉，请问您的快递单号是多少？"),
            ("C", "单号是{order}，收件人是{name}，写的是我的名字。"),
            ("A", "好的，请问您签收的时候有没有当着快递员的面开箱检查？"),
            ("C", "没有，快递员直接放在门口就走了，我下班回家才发现箱子是破的。"),
            ("A", "明白了，请问您有没有拍下外包装和破损物品的照片？"),
            ("C", "拍了，外箱被压扁了一个角，里面的泡沫也没有放够，杯子就直接碰在一起了。"),
            ("A", "好的，您可以把照片发到我们的在线客服，我这边先给您登记一个破损理赔。"),
            ("C", "这套杯子是我在网上买的，一共六个，花了{amount}，现在只剩四个能用了。"),
            ("A", "破损的是两个，我们会按照实际损坏的比例给您赔偿，另外运费也会退给您。"),
            ("C", "还有，快递员把东西放在门口也不打个电话，这种情况你们到底管不管？"),
            ("A", "这个情况我会反馈给配送站点，对快递员进行考核，以后会先电话联系您。"),
            ("C", "那理赔款大概多久能到账，是打到我的银行卡还是别的地方？"),
            ("A", "照片审核通过以后，两个工作日内会打到您的支付账户里。"),
            ("C", "好的，那我现在就把照片发过去。"),
        ],
        "power": [
            ("C", "喂，你好，我家里突然停电了，整个楼道的灯也都不亮了，外面黑乎乎的。"),
            ("A", "您好，请问您的用电地址是哪里？"),
            ("C", "地址是{addr}，我们这一片好像都没电了，对面楼也是黑的。"),
            ("A", "好的，我查一下，您所在的区域因为线路故障，目前正在抢修。"),
            ("C", "那大概什么时候能来电？我冰箱里还放着很多东西，时间长了都要坏了。"),
            ("A", "抢修人员已经在现场了，预计两个小时以内恢复供电。"),
            ("C", "两个小时啊，那我家里的电器现在需要把插头都拔掉吗？"),
            ("A", "建议您把空调、电脑这些大功率电器的插头拔掉，来电的时候避免电流冲击。"),
            ("C", "好的，那如果超过两个小时还没来电，我是不是还要再打电话过来问？"),
            ("A", "可以的，您也可以关注我们的公众号，抢修进度会实时更新。"),
            ("C", "这种突然停电，要是把家里的电器弄坏了，会不会有什么补偿？"),
            ("A", "如果是电网的原因造成电器损坏，您可以凭维修证明申请赔偿。"),
            ("C", "明白了，我先去把插头拔了。"),
            ("A", "好的，请您注意安全，不要使用明火照明。"),
        ],
        "hospital2": [
            ("C", "你好，我上周在你们那里做了体检，想问一下报告出来了没有。"),
            ("A", "您好，请您提供一下体检人的姓名和体检编号。"),
            ("C", "我叫{name}，体检编号是{acct}。"),
            ("A", "好的，我查到了，您是{date}做的体检，报告已经出来了。"),
            ("C", "那我可以在网上看吗？"),
            ("A", "可以的，您在我们的公众号里绑定体检编号，就可以查看电子报告。"),
            ("C", "报告里有没有什么问题？医生说要复查什么吗？"),
            ("A", "报告显示您的血脂偏高，医生建议您一个月后到内分泌科复查。"),
            ("C", "那复查需要再预约吗？"),
            ("A", "需要的，我现在可以帮您预约，请问您下个月哪一天方便？"),
            ("C", "下个月十号左右吧，上午比较好。"),
            ("A", "好的，已经帮您预约了下个月十号上午九点的内分泌科门诊。"),
            ("C", "复查前需要注意什么？"),
            ("A", "复查前三天请清淡饮食，前一天晚上十点以后不要再吃东西。"),
        ],
        "card2": [
            ("C", "你好，我发现信用卡账单上扣了一笔年费，我记得开卡的时候说是免年费的。"),
            ("A", "您好，请您提供一下卡号后四位和持卡人姓名。"),
            ("C", "后四位是{last4}，持卡人是{name}。"),
            ("A", "好的，为了核实您的身份，请说一下您的账单地址。"),
            ("C", "账单地址是{addr}。"),
            ("A", "核实成功。您这张卡的年费是{amount}，免年费的条件是每年刷卡满六次。"),
            ("C", "我去年肯定刷了不止六次啊，怎么还会扣？"),
            ("A", "我帮您查一下您去年的消费记录，请您稍等。"),
            ("C", "好的，你查一下。"),
            ("HOLD", ""),
            ("A", "让您久等了，您去年的有效消费是五次，有一笔是退货退款，没有计算在内。"),
            ("C", "那就差一次，能不能帮我免掉？"),
            ("A", "我帮您申请一下，考虑到您是老客户，这次可以为您减免年费。"),
            ("C", "好的，那钱什么时候退回来？"),
            ("A", "年费会在下一个账单日退回到您的信用卡账户。"),
            ("C", "以后怎么避免这种情况？"),
            ("A", "您可以在手机应用里查看年费的达标进度，也可以开通提醒短信。"),
        ],
    }

    EXTRA = [
        ("C", "另外我想确认一下，今天办理的内容会不会有短信通知我？"),
        ("A", "会的，办理完成以后系统会给您的预留手机号发送一条确认短信。"),
        ("C", "如果以后还有问题，是打这个电话找你吗？"),
        ("A", "是的，您拨打这个热线就可以，我们二十四小时都有人值班。"),
        ("C", "好的，那我记一下你的工号。"),
        ("A", "我的工号是{ano}，您有需要可以随时来电。"),
    ]

    CLOSE_A1 = ["请问还有其他需要帮助的吗？", "请问您还有别的问题吗？"]
    CLOSE_C1 = ["没有了，谢谢。", "没别的了，谢谢你啊。", "暂时就这些，谢谢。"]
    CLOSE_A2 = ["不客气，感谢您的来电，祝您生活愉快，再见。",
                "好的，感谢您的耐心等待，再见。",
                "不客气，如有需要欢迎再次来电，再见。"]
    CLOSE_C2 = ["好的，拜拜。", "嗯，再见。"]
    SLOTS = ("cities", "amount", "phone", "last4", "last6", "acct", "order", "plate", "date", "amount2")

# --------------------------------------------------------------------------
# The two sets: call plans, wording, seed and the defaults that differ between them
#   levels / snr: default (lo, hi) draw ranges;  mono_snr: (lo, hi) for the margin of the
#     quieter party above the noise of a mono mix, hi shrunk by the level spread
#   overlap_p: chance of a customer turn starting over the agent's end
#   ceil: peak limiter ceiling of a party track, stereo / mono
#   snap_interruptions: report interruption onsets on the sample grid (set 2) or as drawn (set 1)
#   trim_prompts: cut IVR prompts to their audible part (set 2) or use the files as they are (set 1)
#   p56_edge: how the P.56 envelope hold treats the first 0.1 s: "reflect" (scipy's reflected
#     edge, set 1 as first written; odd hold windows only) or "causal" (set 2, any sample rate)
# --------------------------------------------------------------------------
SETS = {
    1: dict(seed=20261201, out=".build-indep", calls=CALLS_1, text=Text1,
            levels=dict(stereo=dict(A=(-30, -18), C=(-32, -19)), mono=dict(A=(-30, -18), C=(-32, -19))),
            snr=(15, 35), mono_snr=(16, 34), overlap_p=0.22, ceil=dict(stereo=0.4, mono=0.4),
            snap_interruptions=False, trim_prompts=False, p56_edge="reflect"),
    2: dict(seed=20261202, out=".build-indep2", calls=CALLS_2, text=Text2,
            levels=dict(stereo=dict(A=(-30, -18), C=(-32, -18)), mono=dict(A=(-27, -19), C=(-29, -19))),
            snr=(14, 35), mono_snr=(14, 32), overlap_p=0.15, ceil=dict(stereo=0.9, mono=0.45),
            snap_interruptions=True, trim_prompts=True, p56_edge="causal"),
}
CFG = SETS[SET]
SEED = CFG["seed"]
OUT = os.path.abspath(_option("--out", os.path.join(ROOT, CFG["out"])))
TRUTH = os.path.join(OUT, "truth")
HERE = OUT  # side files (meta/) go beside the calls

# --------------------------------------------------------------------------
# DSP helpers
# --------------------------------------------------------------------------


def db(x):
    return 20.0 * np.log10(max(float(x), 1e-12))


def rms(x):
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if len(x) else 0.0


def p56_active_level(x, sr):
    """ITU-T P.56 method-B style active speech level (dB re RMS 1.0 = dBov)."""
    x = np.asarray(x, dtype=np.float64)
    g = np.exp(-1.0 / (sr * 0.03))
    from scipy.signal import lfilter
    p = lfilter([1 - g], [1, -g], np.abs(x))
    q = lfilter([1 - g], [1, -g], p)
    H = int(round(0.2 * sr))
    size = H + 1
    # window covering [n-H, n] -> hangover of 0.2 s after the envelope drops
    if CFG["p56_edge"] == "reflect":
        m = maximum_filter1d(q, size=size, origin=size // 2)
    else:
        # m[n] = max(q[n-H .. n]) (works for odd and even window sizes)
        b = size - 1 - size // 2
        mc = maximum_filter1d(q, size=size)
        m = np.empty_like(q)
        m[b:] = mc[: len(q) - b]
        m[:b] = np.maximum.accumulate(q[:b])
    sq = float(np.sum(x * x))
    if sq <= 0:
        return -200.0
    ms = np.sort(m)
    n = len(ms)
    thr_db = np.arange(-120.0, 0.01, 0.25)
    M = 15.9
    prev = None
    for cdb in thr_db:
        c = 10 ** (cdb / 20)
        a = n - np.searchsorted(ms, c, side="left")
        if a == 0:
            break
        A = 10 * np.log10(sq / a)
        diff = A - cdb
        if diff <= M:
            if prev is None:
                return A
            pA, pdiff = prev
            t = (pdiff - M) / (pdiff - diff) if pdiff != diff else 0.0
            return pA + t * (A - pA)
        prev = (A, diff)
    return 10 * np.log10(sq / max(1, np.count_nonzero(m > 0)))


def limit(x, sr, ceil):
    """Smooth look-ahead peak limiter (gain riding, no clipping)."""
    a = np.abs(x)
    if a.max() <= ceil:
        return x
    need = np.minimum(1.0, ceil / np.maximum(a, 1e-12))
    w = max(3, int(sr * 0.004)) | 1
    from scipy.ndimage import minimum_filter1d, uniform_filter1d
    g = minimum_filter1d(need, size=2 * w + 1)
    g = uniform_filter1d(g, size=w)
    g = np.minimum(g, need)
    return x * g


def bandpass(x, sr):
    sos = butter(4, [300.0, 3400.0], btype="bandpass", fs=sr, output="sos")
    return sosfilt(sos, x)


def ramp(x, sr, ms=5.0):
    n = min(len(x) // 2, int(sr * ms / 1000))
    if n > 0:
        w = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, n))
        x = x.copy()
        x[:n] *= w
        x[-n:] *= w[::-1]
    return x


def make_noise(kind, n, rng, sr):
    w = rng.standard_normal(n)
    if kind == "white":
        return w
    # pink: 1/f power spectrum, with a 2nd-order-like roll-off below 60 Hz so the
    # noise has no DC/rumble (telephone lines do not pass it)
    W = np.fft.rfft(w)
    fhz = np.arange(len(W), dtype=np.float64) * sr / n
    fhz[0] = 1e-3
    hp = (fhz / 60.0) ** 2 / (1.0 + (fhz / 60.0) ** 2)
    W = W / np.sqrt(np.maximum(fhz, 1.0)) * hp
    y = np.fft.irfft(W, n)
    return y / rms(y)


def load_mono(path, sr):
    x, fs = sf.read(path, dtype="float64", always_2d=True)
    x = x.mean(axis=1)
    if fs != sr:
        from math import gcd
        gg = gcd(int(fs), int(sr))
        x = resample_poly(x, sr // gg, fs // gg)
    return x


# --------------------------------------------------------------------------
# Speech synthesis
# --------------------------------------------------------------------------
_cache = {}


def synth(text, voice, speed, pitch, sr, band):
    key = (text, voice, speed, pitch, sr, band)
    if key in _cache:
        return _cache[key]
    with tempfile.NamedTemporaryFile(suffix=".wav", delete=False) as tf:
        tmp = tf.name
    try:
        subprocess.run(["espeak-ng", "-v", "cmn-latn-pinyin+" + voice, "-s", str(speed),
                        "-p", str(pitch), "-w", tmp, text], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        x, fs = sf.read(tmp, dtype="float64")
    finally:
        os.unlink(tmp)
    from math import gcd
    gg = gcd(int(fs), int(sr))
    y = resample_poly(x, sr // gg, fs // gg)
    if band:
        y = bandpass(y, sr)
    # trim to audible speech: 5 ms frames with RMS >= -50 dBFS (raw espeak scale)
    fl = int(sr * 0.005)
    nf = len(y) // fl
    fr = y[: nf * fl].reshape(nf, fl)
    e = np.sqrt(np.mean(fr ** 2, axis=1))
    act = np.nonzero(e >= 10 ** (-50 / 20))[0]
    if len(act) == 0:
        raise RuntimeError("silent synthesis: " + text)
    y = y[act[0] * fl: (act[-1] + 1) * fl]
    y = ramp(y, sr, 2.0)
    _cache[key] = y
    return y


def han_count(text):
    return len(re.findall(r"[\u4e00-\u9fff]", text))

# --------------------------------------------------------------------------
# Script assembly
# --------------------------------------------------------------------------


def draw_slot(slot, rng, T):
    """Values of one slot group of T.SLOTS (each group takes its draws in this order)."""
    if slot == "amount":
        amt = int(rng.integers(35, 3999))
        jiao = int(rng.integers(0, 10))
        return dict(amount=zh_int(amt) + "元" + (DIG[jiao] + "角" if jiao else ""))
    if slot == "phone":
        return dict(phone=digits(rng, 11, phone=True, first=[1, int(rng.choice([3, 5, 8])), int(rng.integers(0, 10))]))
    if slot in ("last4", "last6", "acct", "order", "plate"):
        return {slot: digits(rng, dict(last4=4, last6=6, acct=10, order=12, plate=5)[slot])}
    if slot == "city":
        return dict(city=T.CITY[rng.integers(len(T.CITY))])
    if slot == "cities":
        c1, c2 = rng.choice(len(T.CITY), 2, replace=False)
        return dict(city=T.CITY[c1], city2=T.CITY[c2])
    if slot == "date":
        return dict(date=zh_int(int(rng.integers(1, 13))) + "月" + zh_int(int(rng.integers(1, 29))) + "日")
    if slot == "kwh":
        return dict(kwh=zh_int(int(rng.integers(280, 990))))
    if slot == "amount2":
        return dict(amount2=zh_int(int(rng.integers(15000, 40000))) + "元")
    raise ValueError(slot)


def fill_slots(rng, T, company, ano):
    sur = T.SURNAMES[rng.integers(len(T.SURNAMES))]
    female = bool(rng.integers(2))
    name = sur + T.GIVEN[rng.integers(len(T.GIVEN))] + (T.GIVEN[rng.integers(len(T.GIVEN))] if rng.random() < 0.5 else "")
    a1, a2 = rng.choice(len(T.ADDR), 2, replace=False)
    slots = dict(company=company, ano=ano, name=name, surname=sur, title=sur + ("女士" if female else "先生"),
                 addr=T.ADDR[a1], addr2=T.ADDR[a2])
    for slot in T.SLOTS:
        slots.update(draw_slot(slot, rng, T))
    return slots


def build_script(plan, rng, n_extra, T):
    agent_no = plan["name"].split("agent-")[1][:4]
    ano = "".join(DIG[int(c)] for c in agent_no)
    slots = fill_slots(rng, T, T.COMPANY[plan["scenario"]], ano)
    turns = [("A", T.GREET[rng.integers(len(T.GREET))])]
    turns.extend(T.SCEN[plan["scenario"]])
    # extra exchanges (pairs) before the closing
    for i in range(n_extra):
        turns.extend(T.EXTRA[2 * (i % 3): 2 * (i % 3) + 2])
    turns.append(("A", T.CLOSE_A1[rng.integers(len(T.CLOSE_A1))]))
    turns.append(("C", T.CLOSE_C1[rng.integers(len(T.CLOSE_C1))]))
    turns.append(("A", T.CLOSE_A2[rng.integers(len(T.CLOSE_A2))]))
    if plan.get("_end_customer"):
        turns.append(("C", T.CLOSE_C2[rng.integers(len(T.CLOSE_C2))]))
    return [(who, t.format(**slots) if t else t) for who, t in turns]


# --------------------------------------------------------------------------
# Tones, music, prompts, hum
# --------------------------------------------------------------------------
# (frequencies, cadence as a list of (on, off) inside one ring cycle)
TONE_PLANS = {
    "China": ([450.0], [(1.0, 4.0)]),
    "NorthAmerica": ([440.0, 480.0], [(2.0, 4.0)]),
    "UK": ([400.0, 450.0], [(0.4, 0.2), (0.4, 2.0)]),
    "CEPT": ([425.0], [(1.0, 4.0)]),
}


def load_music(name, sr):
    # 8 kHz calls use the 8 kHz copies, wider-band calls the original ogg files
    path = os.path.join(MUSIC, name + ("_8k.wav" if sr == 8000 else ".ogg"))
    return load_mono(path, sr)


def trim_audible(x, sr, below_peak_db=40.0):
    fl = max(1, int(sr * 0.01))
    nf = len(x) // fl
    e = 20 * np.log10(np.maximum(np.sqrt(np.mean(x[: nf * fl].reshape(nf, fl) ** 2, axis=1)), 1e-9))
    act = np.nonzero(e >= e.max() - below_peak_db)[0]
    return x[act[0] * fl: (act[-1] + 1) * fl]


def load_prompt(name, sr, band, level):
    p = load_mono(os.path.join(IVR, name), sr)
    if CFG["trim_prompts"]:
        p = trim_audible(p, sr)
    if band:
        p = bandpass(p, sr)
    p = ramp(p, sr, 5)
    return p * 10 ** ((level - p56_active_level(p, sr)) / 20)


def make_hum(n, sr, level, rng):
    t = np.arange(n) / sr
    amps = [1.0, 0.45, 0.7, 0.2, 0.35, 0.12, 0.18]  # 50 .. 350 Hz
    h = np.zeros(n)
    for k, a in enumerate(amps, 1):
        h += a * np.sin(2 * np.pi * 50.0 * k * t + float(rng.uniform(0, 2 * np.pi)))
    return h / rms(h) * 10 ** (level / 20)


# --------------------------------------------------------------------------
# One call
# --------------------------------------------------------------------------


def r2(x):
    return round(float(x) + 0.0, 2)


def generate(idx, plan):
    rng = np.random.default_rng([SEED, idx])
    sr = plan["sr"]
    layout = plan["layout"]
    stereo = layout == "stereo"
    dual = layout == "dualmono"
    band = plan["band"]
    T = CFG["text"]
    plan["_end_customer"] = bool(rng.random() < 0.4)

    # voices
    fem_agent = rng.random() < 0.7
    av = "f%d" % rng.integers(1, 6) if fem_agent else "m%d" % rng.integers(1, 8)
    cv = "m%d" % rng.integers(1, 8) if rng.random() < 0.6 else "f%d" % rng.integers(1, 6)
    if not stereo and cv[0] == av[0]:
        # one mixed channel: keep the two parties of opposite voice gender so they stay separable
        cv = ("m%d" % rng.integers(1, 8)) if av[0] == "f" else ("f%d" % rng.integers(1, 6))
    if cv == av:
        cv = "m7" if av != "m7" else "m2"
    a_speed, c_speed = int(rng.integers(160, 250)), int(rng.integers(150, 260))
    if plan.get("fast"):
        a_speed = int(rng.integers(*plan["fast"]))
    a_pitch, c_pitch = int(rng.integers(40, 71)), int(rng.integers(30, 66))
    lv = plan.get("levels") or CFG["levels"]["stereo" if stereo else "mono"]
    levels = {p: float(rng.uniform(*lv[p])) for p in "AC"}
    sn = plan.get("snr") or dict(A=CFG["snr"], C=CFG["snr"])
    snrs = {p: float(rng.uniform(*sn[p])) for p in "AC"}
    ring = plan.get("ring")
    crbt = bool(ring) and ring[0] == "CRBT"

    # ---- timeline -------------------------------------------------------
    n_extra = 0
    while True:
        trng = np.random.default_rng([SEED, idx, 7, n_extra])
        script = build_script(plan, np.random.default_rng([SEED, idx, 3]), n_extra, T)
        holds_left = [dict(h) for h in plan.get("holds", [])]
        # dead air at the DEAD marker, or (no marker) before the first customer turn of the second half
        dead_auto = bool(plan.get("deadair")) and all(w != "DEAD" for w, _ in script)
        events = []
        t = float(trng.uniform(0.2, 1.0))
        rings, bursts, crbt_span = [], [], None
        if crbt:
            L = float(trng.uniform(*ring[2]))
            crbt_span = (t, t + L)
            t = t + L + float(trng.uniform(0.2, 0.8))
        elif ring:
            freqs, cad = TONE_PLANS[ring[0]]
            for k in range(ring[1]):
                c0 = t
                for on, off in cad:
                    bursts.append((t, t + on))
                    t += on + off
                rings.append((c0, bursts[-1][1]))
            t = rings[-1][1] + float(trng.uniform(0.6, min(3.4, cad[-1][1] - 0.2)))
        else:
            t = float(trng.uniform(0.3, 1.5))
        # agent turns that will interrupt the customer (interrupt calls only)
        chosen = set()
        if plan.get("interrupt"):
            cands = [i for i in range(3, len(script) - 3)
                     if script[i][0] == "A" and script[i - 1][0] == "C" and han_count(script[i - 1][1]) >= 10]
            k = min(len(cands), int(trng.integers(3, 6)))
            chosen = set(int(c) for c in trng.choice(cands, k, replace=False))
        prev_end = t
        prev_party = prev_start = None
        first = True
        deadair = None
        hold_evs = []
        overlaps = []
        n_speech = sum(1 for w, _ in script if w in "AC")
        speech_i = 0
        pending_hold, pending_dead = None, False
        for si, (who, text) in enumerate(script):
            if who == "HOLD":
                pending_hold = holds_left.pop(0) if holds_left else None
                continue
            if who == "DEAD":
                pending_dead = bool(plan.get("deadair"))
                continue
            voice, spd, pit = (av, a_speed, a_pitch) if who == "A" else (cv, c_speed, c_pitch)
            if who == "A" and plan.get("fast"):
                spd = int(np.clip(spd + trng.integers(-8, 9), 260, 330))
            else:
                spd = int(np.clip(spd + trng.integers(-12, 13), 150, 260))
            clip = synth(text, voice, spd, pit, sr, band)
            if first:
                start = t
                first = False
            elif pending_hold is not None:
                h = pending_hold
                hs = prev_end + float(trng.uniform(0.4, 1.2))
                if h["kind"] == "tone":
                    period = float(trng.uniform(2.5, 9.0))
                    bdur = float(trng.uniform(0.2, 0.5))
                    nb = int(np.ceil((h["length"] - bdur) / period)) + 1
                    last_on = hs + (nb - 1) * period
                    he = last_on + bdur + float(trng.uniform(0.3, period - bdur - 0.1))
                    ev = dict(kind="tone", start=hs, end=he, period=period, bdur=bdur, freq=float(h["freq"]), nb=nb)
                else:
                    he = hs + h["length"]
                    ev = dict(kind=h["kind"], start=hs, end=he)
                ev["plan"] = h
                hold_evs.append(ev)
                start = he + float(trng.uniform(0.3, 1.0))
                pending_hold = None
            elif pending_dead or (dead_auto and deadair is None and who == "C" and speech_i >= n_speech // 2):
                deadair = (prev_end, prev_end + plan["deadair"])
                start = deadair[1]
                pending_dead = False
            elif si in chosen and prev_party == "C":
                ov = float(trng.uniform(0.5, 1.5))
                if prev_end - ov > prev_start + 1.0:
                    start = prev_end - ov
                    overlaps.append((start, "agent"))
                else:
                    start = prev_end + float(trng.uniform(0.3, 1.5))
            else:
                overlap = (not plan.get("interrupt") and who == "C" and prev_party == "A" and speech_i > 2
                           and speech_i < n_speech - 3 and trng.random() < CFG["overlap_p"])
                if overlap:
                    ov = float(trng.uniform(0.3, 1.0))
                    if prev_end - ov > prev_start + 1.0:
                        start = prev_end - ov
                        overlaps.append((start, "customer"))
                    else:
                        start = prev_end + float(trng.uniform(0.3, 1.5))
                else:
                    start = prev_end + float(trng.uniform(0.3, 1.5))
            # snap to sample grid
            s0 = int(round(start * sr))
            events.append(dict(party=who, text=text, s0=s0, clip=clip, speed=spd))
            prev_end = max(prev_end, (s0 + len(clip)) / sr)
            prev_start = s0 / sr
            prev_party = who
            speech_i += 1
        tail = float(trng.uniform(0.6, 3.5))
        total = prev_end + tail
        if total < 62.0 and n_extra < 3:
            n_extra += 1
            continue
        break
    if not 60.0 <= total <= 240.0:
        print("WARNING duration", plan["name"], total)
    if plan.get("interrupt") and len(overlaps) < 3:
        print("WARNING only %d interruptions" % len(overlaps), plan["name"])
    N = int(round(total * sr))
    if CFG["snap_interruptions"]:  # interruption times on the sample grid of the events
        overlaps = [(round(a * sr) / sr, b) for a, b in overlaps]

    # ---- party tracks ---------------------------------------------------
    ceil = CFG["ceil"]["stereo" if stereo else "mono"]
    tracks = {"A": np.zeros(N), "C": np.zeros(N)}
    for ev in events:
        tr = tracks[ev["party"]]
        tr[ev["s0"]: ev["s0"] + len(ev["clip"])] += ev["clip"]
    for p in "AC":
        for _ in range(4):  # scale to target, ride peaks, rescale
            lvl = p56_active_level(tracks[p], sr)
            tracks[p] *= 10 ** ((levels[p] - lvl) / 20)
            tracks[p] = limit(tracks[p], sr, ceil)
    meas = {p: p56_active_level(tracks[p], sr) for p in "AC"}

    # ---- hold audio on the agent leg -------------------------------------
    hold_audio = np.zeros(N)
    for ev in hold_evs:
        h = ev.pop("plan")
        hs, he = int(round(ev["start"] * sr)), int(round(ev["end"] * sr))
        ev["start"], ev["end"] = hs / sr, he / sr
        L = he - hs
        if ev["kind"] == "music":
            mus = load_music(h["music"], sr)
            mlev = float(rng.uniform(-30, -20))
            mode = h["prompt_mode"]
            prompts = [load_prompt(pn, sr, band, mlev + 2) for pn in h.get("prompts", [])]
            gap = int(0.5 * sr)
            need = L - sum(len(p) + (gap if mode == "first" else 2 * gap) for p in prompts)
            off = int(rng.integers(0, max(1, len(mus) - need))) if len(mus) > need else 0
            reps = int(np.ceil((need + off) / len(mus))) + 1
            mm = np.tile(mus, reps)[off: off + need]
            if band:
                mm = bandpass(mm, sr)
            mm = mm * 10 ** ((mlev - db(rms(mm))) / 20)
            ev["promptAt"] = []
            if not prompts:
                seg = ramp(mm, sr, 40)
            elif mode == "first":
                seg = np.concatenate([prompts[0], np.zeros(gap), ramp(mm, sr, 40)])
                ev["promptAt"].append([hs / sr, (hs + len(prompts[0])) / sr])
            else:  # prompts inside the music, music split in len(prompts)+1 pieces
                if mode == "middle":  # one prompt, music halved
                    cuts = [need // 2]
                else:
                    k = len(prompts) + 1
                    w = np.ones(k) + rng.uniform(-0.15, 0.15, k)
                    cuts = np.round(np.cumsum(w / w.sum())[:-1] * need).astype(int)
                pieces = np.split(mm, cuts)
                parts, pos = [], hs
                for j, pc in enumerate(pieces):
                    parts.append(ramp(pc, sr, 40))
                    pos += len(pc)
                    if j < len(prompts):
                        parts += [np.zeros(gap), prompts[j], np.zeros(gap)]
                        ev["promptAt"].append([(pos + gap) / sr, (pos + gap + len(prompts[j])) / sr])
                        pos += 2 * gap + len(prompts[j])
                seg = np.concatenate(parts)
            assert len(seg) == L, (len(seg), L)
            hold_audio[hs: hs + L] = seg
            ev["levelDbov"] = mlev
            ev["music"] = h["music"]
            ev["prompts"] = h.get("prompts", [])
        elif ev["kind"] == "tone":
            blev = float(rng.uniform(-24, -16))
            nbs = int(round(ev["bdur"] * sr))
            tt = np.arange(nbs) / sr
            beep = ramp(np.sin(2 * np.pi * ev["freq"] * tt), sr, 5) * np.sqrt(2) * 10 ** (blev / 20)
            for k in range(ev["nb"]):
                b0 = hs + int(round(k * ev["period"] * sr))
                hold_audio[b0: b0 + nbs] += beep
            ev["levelDbov"] = blev
        else:
            ev["floor"] = h.get("floor", "zero") if stereo else "zero"

    # ---- noise ------------------------------------------------------------
    nrng = np.random.default_rng([SEED, idx, 11])
    legs_noise = {}
    if stereo:
        for p in "AC":
            nz = make_noise(plan["noise"], N, nrng, sr)
            if band:
                nz = bandpass(nz, sr)
            legs_noise[p] = nz / rms(nz) * 10 ** ((levels[p] - snrs[p]) / 20)
    else:
        # one mix SNR relative to the quieter party, split equally on both legs
        lo, hi = min(levels.values()), max(levels.values())
        m_lo, m_hi = CFG["mono_snr"]
        s_lo, s_hi = plan.get("mono_snr") or (m_lo, max(m_lo + 0.5, m_hi - (hi - lo)))
        s_min = float(rng.uniform(s_lo, s_hi))
        nl = lo - s_min
        for p in "AC":
            nz = make_noise(plan["noise"], N, nrng, sr)
            if band:
                nz = bandpass(nz, sr)
            legs_noise[p] = nz / rms(nz) * 10 ** ((nl - 3.0103) / 20)
    hum = np.zeros(N)
    if plan.get("hum") is not None:
        hum = make_hum(N, sr, plan["hum"], np.random.default_rng([SEED, idx, 13]))
    # silent hold: mute the agent leg (noise too)
    mute_gain = np.ones(N)
    for ev in hold_evs:
        if ev["kind"] == "silence":
            hs, he = int(round(ev["start"] * sr)), int(round(ev["end"] * sr))
            mute_gain[hs:he] = 0.0 if ev["floor"] == "zero" else 10 ** (-30 / 20)
    agent_leg = tracks["A"] + hold_audio + legs_noise["A"] * mute_gain
    cust_leg = tracks["C"] + legs_noise["C"] + hum

    # ---- ringback (customer/right channel) --------------------------------
    rlev = None
    if crbt_span:
        rlev = float(rng.uniform(-24, -18))
        s0, s1 = int(round(crbt_span[0] * sr)), int(round(crbt_span[1] * sr))
        crbt_span = (s0 / sr, s1 / sr)
        mus = load_music(ring[1], sr)
        off = int(rng.integers(int(5 * sr), len(mus) - (s1 - s0) - 1))
        sig = mus[off: off + s1 - s0]
        if band:
            sig = bandpass(sig, sr)
        sig = sig * 10 ** ((rlev - db(rms(sig))) / 20)
        n_in, n_out = int(0.05 * sr), int(0.02 * sr)
        sig[:n_in] *= np.linspace(0, 1, n_in)
        sig[-n_out:] *= np.linspace(1, 0, n_out)
        cust_leg[s0:s1] += sig
    elif ring:
        rlev = float(rng.uniform(-22, -15))
        freqs = TONE_PLANS[ring[0]][0]
        for (a, b) in bursts:
            s0, s1 = int(round(a * sr)), int(round(b * sr))
            tt = np.arange(s1 - s0) / sr
            sig = sum(np.sin(2 * np.pi * f * tt) for f in freqs)
            sig = ramp(sig, sr, 5)
            sig = sig / rms(sig) * 10 ** (rlev / 20)
            if band:
                sig = bandpass(sig, sr)
            cust_leg[s0:s1] += sig

    if stereo:
        out = np.stack([agent_leg, cust_leg], axis=1)
    elif dual:
        mix = agent_leg + cust_leg
        out = np.stack([mix, mix], axis=1)
    else:
        out = (agent_leg + cust_leg)[:, None]
    peak = float(np.max(np.abs(out)))
    assert peak < 0.98, (plan["name"], peak)

    # ---- write ------------------------------------------------------------
    codec = plan["codec"]
    ext = ".flac" if codec == "flac" else ".wav"
    fname = plan["name"] + ext
    path = os.path.join(OUT, fname)
    if codec == "pcm16":
        sf.write(path, out, sr, subtype="PCM_16")
    elif codec == "ulaw":
        sf.write(path, out, sr, subtype="ULAW")
    elif codec == "alaw":
        sf.write(path, out, sr, subtype="ALAW")
    elif codec == "flac":
        sf.write(path, out, sr, subtype="PCM_16", format="FLAC")
    elif codec == "gsm-pcm16":
        assert sr == 8000
        cols = []
        with tempfile.TemporaryDirectory() as td:
            for c in range(out.shape[1]):  # GSM 06.10 is mono: one round trip per channel
                w0, g0, w1 = (os.path.join(td, "%s%d.wav" % (n, c)) for n in ("a", "g", "b"))
                sf.write(w0, out[:, c], sr, subtype="PCM_16")
                subprocess.run(["sox", w0, "-e", "gsm-full-rate", g0], check=True)
                subprocess.run(["sox", g0, "-e", "signed-integer", "-b", "16", w1], check=True)
                y, _ = sf.read(w1, dtype="float64")
                y = y[:N]
                if len(y) < N:
                    y = np.concatenate([y, np.zeros(N - len(y))])
                cols.append(y)
        sf.write(path, np.stack(cols, axis=1), sr, subtype="PCM_16")
    else:
        raise ValueError(codec)

    # ---- truth ------------------------------------------------------------
    pname = {"A": "agent", "C": "customer"}
    segs = []
    for (a, b) in ([crbt_span] if crbt_span else rings):
        segs.append(dict(kind="ringback", party=None, holdKind=None, startSeconds=r2(a), endSeconds=r2(b)))
    talk = {"A": 0.0, "C": 0.0}
    chars = {"A": 0, "C": 0}
    for ev in events:
        a = ev["s0"] / sr
        b = (ev["s0"] + len(ev["clip"])) / sr
        talk[ev["party"]] += b - a
        chars[ev["party"]] += han_count(ev["text"])
        segs.append(dict(kind="speech", party=pname[ev["party"]], holdKind=None,
                         startSeconds=r2(a), endSeconds=r2(b)))
    for ev in hold_evs:
        segs.append(dict(kind="hold", party=None, holdKind=ev["kind"],
                         startSeconds=r2(ev["start"]), endSeconds=r2(ev["end"])))
    if deadair:
        segs.append(dict(kind="deadAir", party=None, holdKind=None,
                         startSeconds=r2(deadair[0]), endSeconds=r2(deadair[1])))
    segs.sort(key=lambda s: (s["startSeconds"], s["endSeconds"]))

    hum_lev = r2(db(rms(hum))) if plan.get("hum") is not None else None
    if stereo:
        nlev = {"A": db(rms(legs_noise["A"])), "C": db(rms(legs_noise["C"] + hum))}
        party_snr = {p: meas[p] - nlev[p] for p in "AC"}
        noise_snr, leg_snr = None, {"agent": r2(party_snr["A"]), "customer": r2(party_snr["C"])}
        party_hum = {"A": None, "C": hum_lev}
    else:
        ntot = db(rms(legs_noise["A"] + legs_noise["C"] + hum))
        party_snr = {p: meas[p] - ntot for p in "AC"}
        noise_snr = r2(p56_active_level(tracks["A"] + tracks["C"], sr) - ntot)
        leg_snr = None
        party_hum = {"A": hum_lev, "C": hum_lev}

    def party(p):
        return dict(talkSeconds=r2(talk[p]), activeLevelDbov=r2(meas[p]), snrDb=r2(party_snr[p]),
                    clipped=False, speechRateCharsPerMinute=r2(chars[p] / talk[p] * 60.0),
                    characterCount=chars[p], pitchSpreadSemitones=None, humDbov=party_hum[p])

    if crbt_span:
        answer = {"source": "ringback", "rings": None, "answerSeconds": r2(events[0]["s0"] / sr),
                  "tonePlan": "CRBT"}
    elif ring:
        answer = {"source": "ringback", "rings": ring[1], "answerSeconds": r2(events[0]["s0"] / sr),
                  "tonePlan": ring[0]}
    else:
        answer = {"source": None, "rings": None, "answerSeconds": None, "tonePlan": None}
    last = max(events, key=lambda e: e["s0"] + len(e["clip"]))
    last_end = (last["s0"] + len(last["clip"])) / sr
    truth = {
        "file": fname,
        "durationSeconds": r2(N / sr),
        "sampleRateHz": sr,
        "channels": 2 if (stereo or dual) else 1,
        "layout": "stereo" if stereo else "mono",
        "agentChannel": "left" if stereo else None,
        "answer": answer,
        "parties": {"agent": party("A"), "customer": party("C")},
        "segments": segs,
        "interruptions": [{"atSeconds": r2(a), "by": b} for a, b in sorted(overlaps)],
        "ending": {"lastParty": pname[last["party"]], "tailSilenceSeconds": r2(N / sr - last_end)},
        "warnings": [],
        "noise": {"kind": plan["noise"], "snrDb": noise_snr, "legSnrDb": leg_snr, "humDbov": hum_lev,
                  "gainDb": None},
    }
    with open(os.path.join(TRUTH, plan["name"] + ".json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)

    # side info (not part of the truth schema) for the record
    side = dict(codec=codec, layout_plan=layout, band_limited_300_3400=band,
                voices=dict(agent=av, customer=cv),
                speeds=dict(agent=a_speed, customer=c_speed), pitches=dict(agent=a_pitch, customer=c_pitch),
                targetLevels=levels, targetLegSnr=snrs if stereo else None,
                ringLevelDbov=rlev, ringBursts=bursts, crbt=crbt_span,
                holds=hold_evs, deadAir=deadair, humDbov=hum_lev,
                script=[(pname[e["party"]], e["text"], e["speed"]) for e in events], peak=peak)
    with open(os.path.join(HERE, "meta", plan["name"] + ".meta.json"), "w", encoding="utf-8") as f:
        json.dump(side, f, ensure_ascii=False, indent=1, default=float)
    return truth


def main():
    if not os.path.isdir(MUSIC) or not os.path.isdir(IVR):
        print(f"real recordings not found at {REAL} (set --real or CALLQA_REALAUDIO); nothing made")
        return
    os.makedirs(TRUTH, exist_ok=True)
    os.makedirs(os.path.join(HERE, "meta"), exist_ok=True)
    only = None
    if "--only" in sys.argv:
        only = int(sys.argv[sys.argv.index("--only") + 1])
    for i, plan in enumerate(CFG["calls"], 1):
        if only and i != only:
            continue
        t = generate(i, dict(plan))
        h = [s for s in t["segments"] if s["kind"] == "hold"]
        d = [s for s in t["segments"] if s["kind"] == "deadAir"]
        print("%s %6.2fs %s ch=%d %dHz ring=%s/%s hold=%s dead=%s inter=%s agent=%.1fdBov/%.1fdB cust=%.1fdBov/%.1fdB" % (
            t["file"], t["durationSeconds"], t["layout"], t["channels"], t["sampleRateHz"],
            t["answer"]["tonePlan"], t["answer"]["rings"],
            ",".join("%s %.1fs" % (s["holdKind"], s["endSeconds"] - s["startSeconds"]) for s in h) or "-",
            ",".join("%.1fs" % (s["endSeconds"] - s["startSeconds"]) for s in d) or "-",
            "".join(x["by"][0] for x in t["interruptions"]) or "-",
            t["parties"]["agent"]["activeLevelDbov"], t["parties"]["agent"]["snrDb"],
            t["parties"]["customer"]["activeLevelDbov"], t["parties"]["customer"]["snrDb"]), flush=True)


if __name__ == "__main__":
    main()
