#include <sndfile.h>
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
/* The floor for what `callqa analyze` does (issue 14): stream the file with libsndfile in 16k-frame
 * blocks and take one 256-point FFTW r2c transform per 10 ms hop per channel. Nothing CallQA
 * measures can be cheaper than reading the audio and looking at its spectrum once; `make bench`
 * times this beside `callqa analyze` on the same file and prints the ratio.
 * Build: cc -O2 scripts/bench_floor.c $(pkg-config --cflags --libs sndfile fftw3f) -lm */
int main(int argc, char **argv) {
    SF_INFO info = {0}; SNDFILE *f = sf_open(argv[1], SFM_READ, &info);
    if (!f) { fprintf(stderr, "%s: %s\n", argv[1], sf_strerror(NULL)); return 1; }
    int ch = info.channels, hop = info.samplerate / 100, n = 256;
    float *in = fftwf_alloc_real(n); fftwf_complex *out = fftwf_alloc_complex(n / 2 + 1);
    fftwf_plan plan = fftwf_plan_dft_r2c_1d(n, in, out, FFTW_MEASURE);
    float *block = malloc(sizeof(float) * 16384 * ch), *ring = calloc((size_t)n * ch, sizeof(float));
    long pos = 0; double acc = 0; sf_count_t got;
    while ((got = sf_readf_float(f, block, 16384)) > 0) {
        for (sf_count_t i = 0; i < got; i++, pos++) {
            for (int c = 0; c < ch; c++) ring[c * n + pos % n] = block[i * ch + c];
            if (pos % hop == 0) for (int c = 0; c < ch; c++) {
                for (int k = 0; k < n; k++) in[k] = ring[c * n + (pos + 1 + k) % n];
                fftwf_execute(plan); acc += out[1][0];
            }
        }
    }
    printf("%g\n", acc); sf_close(f); return 0;
}
