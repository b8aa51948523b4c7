# CallQA: the two commands of the README's quick start are `make run` and `make test`.
SHELL := /bin/bash
APT_PACKAGES := libsndfile1-dev libfftw3-dev libsqlite3-dev pkg-config espeak-ng sox
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
CALLQA := .build/release/callqa
comma := ,
space := $(subst ,, )

.PHONY: setup build run analyze test browser-check bench bench-batch samples evaluate evaluate-unseen evaluate-codecs evaluate-real evaluate-mono

# Installs the system libraries once; a no-op when they are present.
setup:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v swift >/dev/null || { echo "swift not found: install the Swift 6 toolchain (swift.org) and put it on PATH"; exit 2; }

build: setup
	swift build -c release --product callqa

# The main job on the bundled sample calls: score them into callqa.sqlite, then the agents' scorecards.
run: build
	$(CALLQA) score SampleAudio --db callqa.sqlite
	$(CALLQA) report agents --db callqa.sqlite --month 2026-11

# Every sample call's measurements and timeline.
analyze: build
	$(CALLQA) analyze SampleAudio/*.wav SampleAudio/*.flac

# The batch tests run the callqa binary (to kill it mid-run), so it is built first. The store
# suite runs on SQLite, and on PostgreSQL too when one is reachable: CALLQA_TEST_POSTGRES, else a
# throwaway server started when PostgreSQL is installed (scripts/test_postgres.sh; CI installs it).
test: setup
	swift build --product callqa
	@if [ -n "$${CALLQA_TEST_POSTGRES:-}" ]; then echo "store suite: SQLite and PostgreSQL at $$CALLQA_TEST_POSTGRES"; \
	elif url=$$(bash scripts/test_postgres.sh); then echo "store suite: SQLite and PostgreSQL at $$url (throwaway server)"; \
	  export CALLQA_TEST_POSTGRES=$$url CALLQA_TEST_POSTGRES_PASSWORD=callqa-test; \
	else echo "store suite: SQLite only; the PostgreSQL suite is SKIPPED (apt-get install postgresql to run it; CI does)"; fi; \
	swift test

# The web UI rendered by headless Chromium (installs Debian's chromium when missing).
browser-check: setup
	swift build --product callqa
	bash scripts/browser_check.sh

# Speed on an hour of 8 kHz stereo μ-law call audio: `callqa analyze` beside the floor (a C program:
# libsndfile decode plus one FFTW transform per 10 ms hop per channel), in turns; prints both
# times, the ratio and peak memory; then an hour of each other kind of content beside it.
# (The other hours and bench-batch's day are written by python3 with numpy and scipy, as `samples`.)
bench: build
	@mkdir -p bench
	@# An hour of the two stereo 8 kHz sample calls repeated, re-encoded as μ-law.
	@[ -f bench/hour-ulaw.wav ] || sox -D $$(for i in $$(seq 1 20); do echo SampleAudio/*call-000002.wav SampleAudio/*call-000007.wav; done) \
	  -e u-law bench/hour-ulaw.wav trim 0 3600
	@command -v /usr/bin/time >/dev/null || $(SUDO) apt-get install -y -qq time
	@command -v cc >/dev/null || $(SUDO) apt-get install -y -qq gcc
	@cc -O2 -o .build/bench-floor scripts/bench_floor.c $$(pkg-config --cflags --libs sndfile fftw3f) -lm
	@# Hours of hold music, beeps, ring-back and digital silence: the cost should not depend on content.
	python3 scripts/make_bench_hours.py bench
	@# Ten hours of the same (576 MB), for peak memory on a long recording.
	@[ -f bench/ten-hours-ulaw.wav ] || sox $$(for i in $$(seq 1 10); do echo bench/hour-ulaw.wav; done) -e u-law bench/ten-hours-ulaw.wav
	python3 scripts/bench.py $(CALLQA) .build/bench-floor bench/hour-ulaw.wav 5 --long bench/ten-hours-ulaw.wav \
	  bench/hour-music-hold.wav bench/hour-beep-hold.wav bench/hour-ringing.wav bench/hour-silent.wav

# Batch throughput on a realistic day (scripts/make_bench_day.py): 600 distinct calls (the sample
# calls at 60 gains, each in its own format: μ-law, A-law, GSM, PCM, FLAC, mono and stereo), 30 calls
# with 4–18 minute holds and one hour-long call, scored on all cores into a fresh database; prints
# hours of audio per minute and peak memory.
bench-batch: build
	python3 scripts/make_bench_hours.py bench
	python3 scripts/make_bench_day.py bench/day
	@rm -f bench/day.sqlite*
	/usr/bin/time -f "wall %e s, peak RSS %M KB" $(CALLQA) score bench/day --db bench/day.sqlite

# Regenerate SampleAudio (needs python3 with numpy and scipy).
samples:
	python3 SampleAudio/generate.py

# Accuracy against SampleAudio's truth.
evaluate: build
	python3 scripts/evaluate.py --callqa $(CALLQA)

# Accuracy on calls with voices, music and noise that neither SampleAudio nor the music model's
# training saw (written to .build-eval, not committed).
evaluate-unseen: build
	@[ -f .build-eval/truth/20261124-104500_agent-2008_hard-018.json ] || python3 SampleAudio/generate.py --unseen .build-eval
	python3 scripts/evaluate.py --callqa $(CALLQA) .build-eval

# The same calls as MP3, Ogg Vorbis and Opus files (libsndfile's default bitrates): SampleAudio's
# (what the codec handling was tuned on) and the unseen set's (held out), in .build-codec.
evaluate-codecs: build
	@[ -f .build-eval/truth/20261124-104500_agent-2008_hard-018.json ] || python3 SampleAudio/generate.py --unseen .build-eval
	@python3 -c "import soundfile" 2>/dev/null || pip install -q soundfile
	python3 scripts/make_codec_copies.py SampleAudio .build-codec/sample
	python3 scripts/make_codec_copies.py .build-eval .build-codec/unseen
	@for d in sample/mp3 sample/vorbis sample/opus unseen/mp3 unseen/vorbis unseen/opus; do \
	  echo "== $$d"; python3 scripts/evaluate.py --callqa $(CALLQA) .build-codec/$$d | grep -E "^(hold|rings|interruptions|overall F1|SNR error .no)"; done

# Mono attribution on calls built from real voices (tune and held-out speakers) and on two real
# two-party mono recordings; needs the developer collection (skipped when absent).
evaluate-mono: build
	python3 scripts/evaluate_mono.py --callqa $(CALLQA)

# Accuracy on real recordings (a developer collection kept outside the repository, at
# ../shared/realaudio or $$CALLQA_REALAUDIO; skipped when absent): per collection, speech found,
# speech called music/hold/ringback, music called speech and syllable error, for the tuning and
# held-out splits, beside de Jong & Wempe in Silero VAD's segments.
PEER_MODULES := soundfile scipy onnxruntime silero_vad parselmouth webrtcvad
evaluate-real: build
	@python3 -c "import $(subst $(space),$(comma),$(PEER_MODULES))" 2>/dev/null || \
	  pip install -q soundfile scipy onnxruntime silero-vad praat-parselmouth webrtcvad 'setuptools<70'
	python3 scripts/evaluate_real.py --callqa $(CALLQA)
