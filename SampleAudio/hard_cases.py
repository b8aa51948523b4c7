"""Unseen calls for the cases SampleAudio's plans do not cover (`generate.py --unseen` writes them
beside the ten re-voiced plans): two voices of one sex on a mono line, silent holds on mono where
each leg brings its own line noise, VoIP silence suppression (both legs digitally silent on hold),
mains hum apart from the broadband noise, recordings that start at ringing with the far leg
silent until the answer, answers during a ring burst, the customer's hello over the greeting,
short overlaps that are not interruptions, and gain changes written with dither.

Voices are espeak variants used nowhere else (not in SampleAudio, not in the music model's
training corpus), so these calls stay held out.
"""

F1 = ("cmn-latn-pinyin+Linda", 118)
F2 = ("cmn-latn-pinyin+Steph", 100)
F3 = ("cmn-latn-pinyin+Belinda", 132)
M1 = ("cmn-latn-pinyin+Andy", 112)
M2 = ("cmn-latn-pinyin+Edward", 138)
M3 = ("cmn-latn-pinyin+Gene", 95)


def hard_specs(A, C):
    greet = [("agent", A[0], 0.7)]
    middle = [("customer", C[0], 0.6), ("agent", A[1], 0.5), ("customer", C[1], 0.8), ("agent", A[2], 0.5)]
    hello = [("hello", "customer", "喂，你好", 0.25)]  # over the greeting: not an interruption
    closing = [("agent", A[3], 0.4), ("agent", A[4], 0.8), ("customer", C[3], 0.6), ("agent", A[5], 0.7),
               ("customer", C[4], 0.5), ("agent", A[6], 0.0)]
    # Overtalk: two real interruptions, a backchannel and a turn started 0.3 s early (not one).
    overtalk = [("agent", A[1], 0.5), ("backchannel", "customer", "嗯", 1.0), ("customer", C[5], 0.6),
                ("interrupt", "agent", A[8], 1.1, 0.6), ("customer", C[7], 0.5),
                ("overlap", "agent", A[9], 0.3, 0.6), ("interrupt", "customer", C[3], 0.9, 0.6),
                ("agent", A[7], 0.5), ("customer", C[6], 0.5)]
    return [
        # Mono, two women, a 55 s silent hold, agent leg noisier than the customer's, gain + dither.
        dict(name="20261124-090500_agent-2001_hard-011.wav", enc="pcm16", seed=211, layout="mono",
             ringback=("china", 2, -24.0), voices={"agent": F1, "customer": F2},
             levels={"agent": -24.0, "customer": -27.0}, legSnrDb={"agent": 28, "customer": 40},
             gainDb=-1.4, script=greet + middle + [("hold", "silence", 55.0, None, 0.6), ("agent", A[7], 0.5)] + closing),
        # Mono, two men, answered during a burst, hello over the greeting.
        dict(name="20261124-091200_agent-2002_hard-012.wav", enc="alaw", seed=212, layout="mono",
             ringback=("cept", 3, -26.0), pickupAfterSeconds=-0.4, greetingDelaySeconds=0.3,
             voices={"agent": M1, "customer": M2}, levels={"agent": -23.0, "customer": -25.0},
             legSnrDb={"agent": 30, "customer": 34}, script=greet + hello + middle + closing),
        # Stereo, VoIP silence suppression through a 70 s hold, mains hum on a 25 dB line.
        dict(name="20261124-093000_agent-2003_hard-013.wav", enc="ulaw", seed=213,
             ringback=("china", 2, -25.0), voices={"agent": F3, "customer": M3},
             levels={"agent": -25.0, "customer": -28.0}, snrDb=25, noiseKind="white", humDbov=-48.0,
             script=greet + middle + [("hold", "voip", 70.0, None, 0.6), ("agent", A[7], 0.5)] + closing),
        # Stereo, recording starts at ringing with the far leg silent, answered in a burst, hello
        # over the greeting, overtalk; a 22 dB pink line.
        dict(name="20261124-094500_agent-2004_hard-014.flac", enc="flac", seed=214,
             ringback=("china", 3, -22.0), pickupAfterSeconds=-0.5, greetingDelaySeconds=0.3,
             farLegSilentUntilAnswer=True, voices={"agent": M1, "customer": F2},
             levels={"agent": -24.0, "customer": -29.0}, snrDb=22, noiseKind="pink",
             script=greet + hello + overtalk + closing),
        # Stereo, a 15 s silent hold after a gain change with dither (μ-law), 36 dB line with 60 Hz hum.
        dict(name="20261124-100000_agent-2005_hard-015.wav", enc="ulaw", seed=215,
             ringback=("northAmerica", 2, -26.0), voices={"agent": F2, "customer": M1},
             levels={"agent": -22.0, "customer": -26.0}, snrDb=36, noiseKind="white", humDbov=-52.0, mainsHz=60,
             gainDb=-1.4, script=greet + middle + [("hold", "silence", 15.0, None, 0.6), ("agent", A[7], 0.5)] + closing),
        # Mono GSM, two women, a 15 s silent hold after a gain change with dither.
        dict(name="20261124-101500_agent-2006_hard-016.wav", enc="gsm", seed=216, layout="mono",
             voices={"agent": F3, "customer": F1}, levels={"agent": -23.0, "customer": -26.0},
             legSnrDb={"agent": 26, "customer": 38}, gainDb=-1.4, greetingDelaySeconds=0.8,
             script=greet + middle + [("hold", "silence", 15.0, None, 0.6), ("agent", A[7], 0.5)] + closing),
        # Stereo, far leg silent until the answer, a 30 dB line with 50 Hz hum, hello, overtalk.
        dict(name="20261124-103000_agent-2007_hard-017.wav", enc="alaw", seed=217,
             ringback=("cept", 2, -28.0), farLegSilentUntilAnswer=True, voices={"agent": M3, "customer": F1},
             levels={"agent": -26.0, "customer": -24.0}, snrDb=30, noiseKind="white", humDbov=-45.0,
             script=greet + hello + overtalk + closing),
        # Mono, two men, roles with the lower voice as customer, music hold, 20 dB shared line.
        dict(name="20261124-104500_agent-2008_hard-018.wav", enc="ulaw", seed=218, layout="mono",
             ringback=("northAmerica", 2, -25.0), voices={"agent": M2, "customer": M3},
             levels={"agent": -25.0, "customer": -24.0}, legSnrDb={"agent": 24, "customer": 30},
             script=greet + middle + [("hold", "music", 20.0, -27.0, 0.6), ("agent", A[7], 0.5)] + closing),
    ]
