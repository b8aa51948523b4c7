#!/usr/bin/env python3
"""Independent generator of synthetic Mandarin call-centre recordings + truth JSON: 12 calls
written (2026-12-03) by someone who never read SampleAudio/generate.py or the detectors, so that
they test CallQA on calls it was not developed on. Hold music and IVR prompts come from the real
recordings (`--real`, default ../shared/realaudio or $CALLQA_REALAUDIO; without them it says so
and exits, status 0). Score with `python3 scripts/evaluate.py --callqa BIN .build-indep`.

Deterministic: every random choice comes from numpy Generators seeded from SEED
and the call index.  Run:  python3 scripts/make_independent_calls.py [--out DIR] [--only N]

Conventions used for the truth values
  * dBov: 0 dBov = RMS of a full-scale square wave (float RMS 1.0), so a
    full-scale sine is -3.01 dBov.
  * activeLevelDbov: ITU-T P.56 (method B style) active speech level of the
    party's clean speech track as placed in the file (before noise/codec).
  * snrDb (party): party active level minus the RMS level of the noise on the
    party's channel (stereo) or of the total noise in the mix (mono).
  * noise.snrDb (mono only): P.56 level of the combined clean speech minus total
    noise level; stereo calls give legSnrDb instead.
  * answerSeconds: onset of the agent's first utterance (the answer itself is not
    audible; the greeting follows it immediately).
  * speech segments: espeak output trimmed at -50 dBFS (5 ms frames, raw
    espeak scale) so start/end are the audible speech edges.
  * tone hold: starts at the first beep onset, ends when the agent takes the
    call back (some time in the silence after the last beep).
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

SEED = 20261201
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


OUT = os.path.abspath(_option("--out", os.path.join(ROOT, ".build-indep")))
TRUTH = os.path.join(OUT, "truth")
HERE = OUT  # side files (meta/) go beside the calls
REAL = _option("--real", os.environ.get("CALLQA_REALAUDIO", os.path.join(ROOT, "..", "shared", "realaudio")))
MUSIC = os.path.join(REAL, "music")
IVR = os.path.join(REAL, "ivr_prompts")

# --------------------------------------------------------------------------
# Call plans (one dict per call; remaining details drawn from the seeded RNG)
# --------------------------------------------------------------------------
CALLS = [
    dict(name="20261201-083512_agent-4003_call-400001", sr=8000, layout="stereo", codec="pcm16",
         ring=("China", 2), hold=None, noise="white", band=True, scenario="bank"),
    dict(name="20261201-091047_agent-4001_call-400002", sr=8000, layout="stereo", codec="ulaw",
         ring=("NorthAmerica", 3), hold=None, noise="pink", band=False, scenario="broadband"),
    dict(name="20261201-093320_agent-4005_call-400003", sr=8000, layout="mono", codec="pcm16",
         ring=("China", 1), hold=dict(kind="silence", length=26.0), noise="white", band=True,
         scenario="electric"),
    dict(name="20261201-100905_agent-4002_call-400004", sr=8000, layout="stereo", codec="alaw",
         ring=None, hold=dict(kind="tone", length=32.0, freq=520.0), noise="pink", band=True, scenario="flight"),
    dict(name="20261201-104418_agent-4004_call-400005", sr=16000, layout="stereo", codec="pcm16",
         ring=("NorthAmerica", 2), hold=None, noise="white", band=False, scenario="refund",
         deadair=12.0),
    dict(name="20261201-111236_agent-4001_call-400006", sr=8000, layout="mono", codec="ulaw",
         ring=("China", 4), hold=dict(kind="music", length=58.0, prompt=None,
                                        music="librosa_Karissa_Hobbs_-_Lets_Go_Fishin_8k.wav"),
         noise="pink", band=True, scenario="gas"),
    dict(name="20261201-134502_agent-4006_call-400007", sr=8000, layout="stereo", codec="flac",
         ring=None, hold=dict(kind="silence", length=36.0, floor="zero"), noise="white", band=False,
         scenario="express"),
    dict(name="20261201-141720_agent-4003_call-400008", sr=8000, layout="stereo", codec="pcm16",
         ring=("China", 3), hold=None, noise="pink", band=True, scenario="mobile"),
    dict(name="20261201-145033_agent-4002_call-400009", sr=8000, layout="mono", codec="gsm-pcm16",
         ring=("NorthAmerica", 1), hold=dict(kind="tone", length=22.0, freq=950.0), noise="white", band=True,
         scenario="broadband"),
    dict(name="20261201-152248_agent-4005_call-400010", sr=8000, layout="stereo", codec="pcm16",
         ring=None, hold=dict(kind="music", length=82.0, prompt="queue-periodic-announce.wav",
                              music="librosa_Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy_8k.wav"),
         noise="pink", band=False, scenario="bank"),
    dict(name="20261201-160615_agent-4004_call-400011", sr=8000, layout="stereo", codec="pcm16",
         ring=("China", 2), hold=dict(kind="silence", length=23.0, floor="low"), noise="white",
         band=True, scenario="electric"),
    dict(name="20261201-163940_agent-4006_call-400012", sr=16000, layout="mono", codec="flac",
         ring=None, hold=None, noise="pink", band=False, scenario="refund_short"),
]

# --------------------------------------------------------------------------
# Text material (written for this generator)
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
    m = maximum_filter1d(q, size=size, origin=size // 2)
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


def fill_slots(rng, company, ano):
    sur = SURNAMES[rng.integers(len(SURNAMES))]
    female = bool(rng.integers(2))
    name = sur + GIVEN[rng.integers(len(GIVEN))] + (GIVEN[rng.integers(len(GIVEN))] if rng.random() < 0.5 else "")
    a1, a2 = rng.choice(len(ADDR), 2, replace=False)
    amt = int(rng.integers(35, 3999))
    jiao = int(rng.integers(0, 10))
    amount = zh_int(amt) + "元" + (DIG[jiao] + "角" if jiao else "")
    return dict(
        company=company, ano=ano, name=name, surname=sur,
        title=sur + ("女士" if female else "先生"),
        phone=digits(rng, 11, phone=True, first=[1, int(rng.choice([3, 5, 8])), int(rng.integers(0, 10))]),
        last4=digits(rng, 4), acct=digits(rng, 10), order=digits(rng, 12),
        addr=ADDR[a1], addr2=ADDR[a2], city=CITY[rng.integers(len(CITY))],
        date=zh_int(int(rng.integers(1, 13))) + "月" + zh_int(int(rng.integers(1, 29))) + "日",
        amount=amount, kwh=zh_int(int(rng.integers(280, 990))),
    )


def build_script(plan, rng, n_extra):
    agent_no = plan["name"].split("agent-")[1][:4]
    ano = "".join(DIG[int(c)] for c in agent_no)
    slots = fill_slots(rng, COMPANY[plan["scenario"]], ano)
    turns = [("A", GREET[rng.integers(len(GREET))])]
    body = SCEN[plan["scenario"]]
    for who, t in body:
        turns.append((who, t))
    # extra exchanges (pairs) before the closing
    for i in range(n_extra):
        turns.extend(EXTRA[2 * (i % 3): 2 * (i % 3) + 2])
    turns.append(("A", CLOSE_A1[rng.integers(len(CLOSE_A1))]))
    turns.append(("C", CLOSE_C1[rng.integers(len(CLOSE_C1))]))
    turns.append(("A", CLOSE_A2[rng.integers(len(CLOSE_A2))]))
    if plan.get("_end_customer"):
        turns.append(("C", CLOSE_C2[rng.integers(len(CLOSE_C2))]))
    out = []
    for who, t in turns:
        out.append((who, t.format(**slots) if t else t))
    return out


# --------------------------------------------------------------------------
# One call
# --------------------------------------------------------------------------


def r2(x):
    return round(float(x) + 0.0, 2)


def generate(idx, plan):
    rng = np.random.default_rng([SEED, idx])
    sr = plan["sr"]
    stereo = plan["layout"] == "stereo"
    band = plan["band"]
    plan["_end_customer"] = bool(rng.random() < 0.4)

    # voices
    fem_agent = rng.random() < 0.7
    av = "f%d" % rng.integers(1, 6) if fem_agent else "m%d" % rng.integers(1, 8)
    cv = "m%d" % rng.integers(1, 8) if rng.random() < 0.6 else "f%d" % rng.integers(1, 6)
    if not stereo and cv[0] == av[0]:
        # mono: keep the two parties of opposite voice gender so they stay separable
        cv = ("m%d" % rng.integers(1, 8)) if av[0] == "f" else ("f%d" % rng.integers(1, 6))
    if cv == av:
        cv = "m7" if av != "m7" else "m2"
    a_speed, c_speed = int(rng.integers(160, 250)), int(rng.integers(150, 260))
    a_pitch, c_pitch = int(rng.integers(40, 71)), int(rng.integers(30, 66))
    levels = {"A": float(rng.uniform(-30, -18)), "C": float(rng.uniform(-32, -19))}
    snrs = {"A": float(rng.uniform(15, 35)), "C": float(rng.uniform(15, 35))}

    hold = plan.get("hold")
    hold_len = hold["length"] if hold else 0.0
    ring = plan.get("ring")

    # ---- timeline -------------------------------------------------------
    n_extra = 0
    while True:
        trng = np.random.default_rng([SEED, idx, 7, n_extra])
        script = build_script(plan, np.random.default_rng([SEED, idx, 3]), n_extra)
        events = []  # dicts
        t = float(trng.uniform(0.2, 1.0))
        rings = []
        if ring:
            plan_name, nr = ring
            on, off = (1.0, 4.0) if plan_name == "China" else (2.0, 4.0)
            for k in range(nr):
                rings.append((t, t + on))
                t += on + off
            t = rings[-1][1] + float(trng.uniform(0.6, 3.4))
        else:
            t = float(trng.uniform(0.3, 1.5))
        prev_end = t
        prev_party = None
        prev_start = None
        first = True
        deadair = None
        hold_ev = None
        n_speech = sum(1 for w, _ in script if w in "AC")
        speech_i = 0
        overlaps = []
        pending_hold = False
        for who, text in script:
            if who == "HOLD":
                pending_hold = bool(hold)
                continue
            voice, spd, pit = (av, a_speed, a_pitch) if who == "A" else (cv, c_speed, c_pitch)
            spd = int(np.clip(spd + trng.integers(-12, 13), 150, 260))
            clip = synth(text, voice, spd, pit, sr, band)
            dur = len(clip) / sr
            if first:
                start = t
                first = False
            elif pending_hold:
                hs = prev_end + float(trng.uniform(0.4, 1.2))
                if hold["kind"] == "tone":
                    period = float(trng.uniform(2.5, 9.0))
                    bdur = float(trng.uniform(0.2, 0.5))
                    freq = float(hold["freq"])
                    nb = int(np.ceil((hold_len - bdur) / period)) + 1
                    last_on = hs + (nb - 1) * period
                    he = last_on + bdur + float(trng.uniform(0.3, period - bdur - 0.1))
                    hold_ev = dict(kind="tone", start=hs, end=he, period=period, bdur=bdur, freq=freq, nb=nb)
                else:
                    he = hs + hold_len
                    hold_ev = dict(kind=hold["kind"], start=hs, end=he)
                start = he + float(trng.uniform(0.3, 1.0))
                pending_hold = False
            elif (plan.get("deadair") and deadair is None and who == "C"
                  and speech_i >= n_speech // 2):
                deadair = (prev_end, prev_end + plan["deadair"])
                start = deadair[1]
            else:
                overlap = (who == "C" and prev_party == "A" and speech_i > 2
                           and speech_i < n_speech - 3 and trng.random() < 0.22)
                if overlap:
                    ov = float(trng.uniform(0.3, 1.0))
                    if prev_end - ov > prev_start + 1.0:
                        start = prev_end - ov
                        overlaps.append(start)
                    else:
                        start = prev_end + float(trng.uniform(0.3, 1.5))
                else:
                    start = prev_end + float(trng.uniform(0.3, 1.5))
            # snap to sample grid
            s0 = int(round(start * sr))
            events.append(dict(party=who, text=text, s0=s0, clip=clip))
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
    if not 60.0 <= total <= 200.0:
        print("WARNING duration", plan["name"], total)
    N = int(round(total * sr))

    # ---- party tracks ---------------------------------------------------
    tracks = {"A": np.zeros(N), "C": np.zeros(N)}
    for ev in events:
        tr = tracks[ev["party"]]
        tr[ev["s0"]: ev["s0"] + len(ev["clip"])] += ev["clip"]
    for p in "AC":
        for _ in range(4):  # scale to target, ride peaks, rescale
            lvl = p56_active_level(tracks[p], sr)
            tracks[p] *= 10 ** ((levels[p] - lvl) / 20)
            tracks[p] = limit(tracks[p], sr, 0.4)
    meas = {p: p56_active_level(tracks[p], sr) for p in "AC"}

    # ---- hold audio on the agent leg -------------------------------------
    hold_audio = np.zeros(N)
    hold_info = None
    if hold_ev:
        hs, he = int(round(hold_ev["start"] * sr)), int(round(hold_ev["end"] * sr))
        hold_ev["start"], hold_ev["end"] = hs / sr, he / sr
        L = he - hs
        if hold_ev["kind"] == "music":
            mus = load_mono(os.path.join(MUSIC, hold["music"]), sr)
            mlev = float(rng.uniform(-30, -20))
            prompt = None
            if hold.get("prompt"):
                prompt = load_mono(os.path.join(IVR, hold["prompt"]), sr)
                if band:
                    prompt = bandpass(prompt, sr)
                prompt = ramp(prompt, sr) * 10 ** ((mlev + 2 - p56_active_level(prompt, sr)) / 20)
            need = L - (len(prompt) + int(1.0 * sr) if prompt is not None else 0)
            off = int(rng.integers(0, max(1, len(mus) - need))) if len(mus) > need else 0
            reps = int(np.ceil((need + off) / len(mus))) + 1
            mm = np.tile(mus, reps)[off: off + need]
            if band:
                mm = bandpass(mm, sr)
            mm = mm * 10 ** ((mlev - db(rms(mm))) / 20)
            if prompt is None:
                seg = ramp(mm, sr, 40)
            else:
                half = need // 2
                gap = int(0.5 * sr)
                seg = np.concatenate([ramp(mm[:half], sr, 40), np.zeros(gap), prompt,
                                      np.zeros(gap), ramp(mm[half:], sr, 40)])
                hold_ev["promptAt"] = (hs + half + gap) / sr
                hold_ev["promptFile"] = hold["prompt"]
            seg = seg[:L]
            hold_audio[hs: hs + len(seg)] = seg
            hold_ev["levelDbov"] = mlev
            hold_ev["music"] = hold["music"]
        elif hold_ev["kind"] == "tone":
            blev = float(rng.uniform(-24, -16))
            nbs = int(round(hold_ev["bdur"] * sr))
            tt = np.arange(nbs) / sr
            beep = ramp(np.sin(2 * np.pi * hold_ev["freq"] * tt), sr, 5) * np.sqrt(2) * 10 ** (blev / 20)
            for k in range(hold_ev["nb"]):
                b0 = hs + int(round(k * hold_ev["period"] * sr))
                hold_audio[b0: b0 + nbs] += beep
            hold_ev["levelDbov"] = blev
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
        # one mix SNR relative to the mean party level, split equally on both legs
        # noise level chosen so that both parties end up 15..35 dB above it
        lo, hi = min(levels.values()), max(levels.values())
        s_min = float(rng.uniform(16, max(16.5, 34 - (hi - lo))))
        nl = lo - s_min
        for p in "AC":
            nz = make_noise(plan["noise"], N, nrng, sr)
            if band:
                nz = bandpass(nz, sr)
            legs_noise[p] = nz / rms(nz) * 10 ** ((nl - 3.0103) / 20)
    # silent hold: mute the agent leg (noise too)
    mute_gain = np.ones(N)
    if hold_ev and hold_ev["kind"] == "silence":
        hs, he = int(round(hold_ev["start"] * sr)), int(round(hold_ev["end"] * sr))
        floor = hold.get("floor", "zero") if stereo else "zero"
        g = 0.0 if floor == "zero" else 10 ** (-30 / 20)
        mute_gain[hs:he] = g
        hold_ev["floor"] = floor
    agent_leg = tracks["A"] + hold_audio + legs_noise["A"] * mute_gain
    cust_leg = tracks["C"] + legs_noise["C"]

    # ---- ringback (customer/right channel) --------------------------------
    ring_audio = np.zeros(N)
    rlev = None
    if ring:
        rlev = float(rng.uniform(-22, -15))
        for (a, b) in rings:
            s0, s1 = int(round(a * sr)), int(round(b * sr))
            tt = np.arange(s1 - s0) / sr
            if ring[0] == "China":
                sig = np.sin(2 * np.pi * 450 * tt)
            else:
                sig = np.sin(2 * np.pi * 440 * tt) + np.sin(2 * np.pi * 480 * tt)
            sig = ramp(sig, sr, 5)
            sig = sig / rms(sig) * 10 ** (rlev / 20)
            if band:
                sig = bandpass(sig, sr)
            ring_audio[s0:s1] += sig
        cust_leg = cust_leg + ring_audio

    if stereo:
        out = np.stack([agent_leg, cust_leg], axis=1)
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
        with tempfile.TemporaryDirectory() as td:
            w0, g0, w1 = (os.path.join(td, n) for n in ("a.wav", "a.gsm", "b.wav"))
            sf.write(w0, out, sr, subtype="PCM_16")
            subprocess.run(["sox", w0, "-r", "8000", "-c", "1", g0], check=True)
            subprocess.run(["sox", g0, "-e", "signed-integer", "-b", "16", w1], check=True)
            y, _ = sf.read(w1, dtype="float64", always_2d=True)
            y = y[:N]
            if len(y) < N:
                y = np.vstack([y, np.zeros((N - len(y), 1))])
        sf.write(path, y, sr, subtype="PCM_16")
    else:
        raise ValueError(codec)

    # ---- truth ------------------------------------------------------------
    pname = {"A": "agent", "C": "customer"}
    segs = []
    for (a, b) in rings:
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
    if hold_ev:
        segs.append(dict(kind="hold", party=None, holdKind=hold_ev["kind"],
                         startSeconds=r2(hold_ev["start"]), endSeconds=r2(hold_ev["end"])))
    if deadair:
        segs.append(dict(kind="deadAir", party=None, holdKind=None,
                         startSeconds=r2(deadair[0]), endSeconds=r2(deadair[1])))
    segs.sort(key=lambda s: (s["startSeconds"], s["endSeconds"]))

    if stereo:
        nlev = {p: db(rms(legs_noise[p])) for p in "AC"}
        party_snr = {p: meas[p] - nlev[p] for p in "AC"}
        noise_snr, leg_snr = None, {"agent": r2(party_snr["A"]), "customer": r2(party_snr["C"])}
    else:
        ntot = db(rms(legs_noise["A"] + legs_noise["C"]))
        party_snr = {p: meas[p] - ntot for p in "AC"}
        noise_snr = r2(p56_active_level(tracks["A"] + tracks["C"], sr) - ntot)
        leg_snr = None

    def party(p):
        return dict(talkSeconds=r2(talk[p]), activeLevelDbov=r2(meas[p]), snrDb=r2(party_snr[p]),
                    clipped=False, speechRateCharsPerMinute=r2(chars[p] / talk[p] * 60.0),
                    characterCount=chars[p], pitchSpreadSemitones=None, humDbov=None)

    last = max(events, key=lambda e: e["s0"] + len(e["clip"]))
    last_end = (last["s0"] + len(last["clip"])) / sr
    truth = {
        "file": fname,
        "durationSeconds": r2(N / sr),
        "sampleRateHz": sr,
        "channels": 2 if stereo else 1,
        "layout": plan["layout"],
        "agentChannel": "left" if stereo else None,
        "answer": ({"source": "ringback", "rings": ring[1], "answerSeconds": r2(events[0]["s0"] / sr),
                    "tonePlan": ring[0]} if ring else
                   {"source": None, "rings": None, "answerSeconds": None, "tonePlan": None}),
        "parties": {"agent": party("A"), "customer": party("C")},
        "segments": segs,
        "interruptions": [{"atSeconds": r2(t), "by": "customer"} for t in overlaps],
        "ending": {"lastParty": pname[last["party"]], "tailSilenceSeconds": r2(N / sr - last_end)},
        "warnings": [],
        "noise": {"kind": plan["noise"], "snrDb": noise_snr, "legSnrDb": leg_snr, "humDbov": None,
                  "gainDb": None},
    }
    with open(os.path.join(TRUTH, plan["name"] + ".json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)

    # side info (not part of the truth schema) for the record
    side = dict(codec=codec, band_limited_300_3400=band, voices=dict(agent=av, customer=cv),
                speeds=dict(agent=a_speed, customer=c_speed), pitches=dict(agent=a_pitch, customer=c_pitch),
                ringLevelDbov=(rlev if ring else None), hold={k: v for k, v in (hold_ev or {}).items()},
                script=[(pname[e["party"]], e["text"]) for e in events], peak=peak)
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
    for i, plan in enumerate(CALLS, 1):
        if only and i != only:
            continue
        t = generate(i, dict(plan))
        h = [s for s in t["segments"] if s["kind"] == "hold"]
        print("%s %6.2fs %s ch=%d rings=%s hold=%s inter=%d agent=%.1fdBov/%.1fdB cust=%.1fdBov/%.1fdB" % (
            t["file"], t["durationSeconds"], t["layout"], t["channels"], t["answer"]["rings"],
            ("%s %.1fs" % (h[0]["holdKind"], h[0]["endSeconds"] - h[0]["startSeconds"])) if h else "-",
            len(t["interruptions"]), t["parties"]["agent"]["activeLevelDbov"], t["parties"]["agent"]["snrDb"],
            t["parties"]["customer"]["activeLevelDbov"], t["parties"]["customer"]["snrDb"]), flush=True)


if __name__ == "__main__":
    main()
