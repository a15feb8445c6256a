// SPDX-License-Identifier: GPL-2.0
/*
 * audiostat: measure a tone in raw S16 8 kHz mono audio, independently of
 * the module's DSP code: its frequency (DFT peak, refined), level, and the
 * signal-to-noise ratio after a least-squares sine fit.
 *
 *   audiostat FILE [SKIP_MS [LEN_MS]]
 *   prints: freq=HZ rms=RMS snr=DB
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define RATE 8000.0

/* |DFT of x at f|^2, by Goertzel's recurrence (one multiply-add a sample). */
static double power_at(const double *x, size_t n, double f)
{
	double w = 2 * M_PI * f / RATE, k = 2 * cos(w), s1 = 0, s2 = 0, s0;
	size_t i;

	for (i = 0; i < n; i++) {
		s0 = x[i] + k * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	return s1 * s1 + s2 * s2 - k * s1 * s2;
}

/* Residual power after fitting a*sin + b*cos + c at @f; *sig = fit power. */
static double fit_residual(const double *x, size_t n, double f, double *sig)
{
	double w = 2 * M_PI * f / RATE;
	double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0, mean = 0, res = 0, fit = 0;
	double a, b, det;
	size_t i;

	for (i = 0; i < n; i++)
		mean += x[i];
	mean /= n;
	for (i = 0; i < n; i++) {
		double s = sin(w * i), c = cos(w * i), v = x[i] - mean;

		ss += s * s;
		cc += c * c;
		sc += s * c;
		xs += v * s;
		xc += v * c;
	}
	det = ss * cc - sc * sc;
	a = (xs * cc - xc * sc) / det;
	b = (xc * ss - xs * sc) / det;
	for (i = 0; i < n; i++) {
		double y = a * sin(w * i) + b * cos(w * i);
		double e = x[i] - mean - y;

		fit += y * y;
		res += e * e;
	}
	*sig = fit / n;
	return res / n;
}

int main(int argc, char **argv)
{
	double skip_ms = argc > 2 ? atof(argv[2]) : 0;
	double len_ms = argc > 3 ? atof(argv[3]) : 0;
	double *x, best = 0, bestf = 0, sum2 = 0, sig, res, f, step, coarse;
	short buf[4096];
	size_t n = 0, cap = 1 << 16, skip, i, got;
	FILE *in;

	if (argc < 2) {
		fputs("usage: audiostat FILE [SKIP_MS [LEN_MS]]\n", stderr);
		return 2;
	}
	in = fopen(argv[1], "rb");
	if (!in) {
		perror(argv[1]);
		return 2;
	}
	x = malloc(cap * sizeof(*x));
	skip = (size_t)(skip_ms * RATE / 1000);
	while ((got = fread(buf, sizeof(short), 4096, in)) > 0) {
		for (i = 0; i < got; i++) {
			if (skip) {
				skip--;
				continue;
			}
			if (n == cap) {
				cap *= 2;
				x = realloc(x, cap * sizeof(*x));
			}
			x[n++] = buf[i] / 32768.0;
		}
	}
	fclose(in);
	if (len_ms > 0 && n > (size_t)(len_ms * RATE / 1000))
		n = (size_t)(len_ms * RATE / 1000);
	if (n < 400) {
		fprintf(stderr, "audiostat: only %zu samples\n", n);
		return 2;
	}
	for (i = 0; i < n; i++)
		sum2 += x[i] * x[i];

	/*
	 * Coarse search at half the DFT's bin width (at most 2 Hz): with a
	 * whole number of seconds a tone between two 2 Hz steps sits in the
	 * window's nulls at both; then hill-climb down to 0.001 Hz.
	 */
	coarse = RATE / n / 2;
	if (coarse > 2)
		coarse = 2;
	for (f = 50; f < 3950; f += coarse) {
		double p = power_at(x, n, f);

		if (p > best) {
			best = p;
			bestf = f;
		}
	}
	for (step = 1; step >= 0.001; step /= 4) {
		for (;;) {
			double plo = power_at(x, n, bestf - step);
			double phi = power_at(x, n, bestf + step);

			if (plo > best && plo >= phi) {
				best = plo;
				bestf -= step;
			} else if (phi > best) {
				best = phi;
				bestf += step;
			} else {
				break;
			}
		}
	}
	res = fit_residual(x, n, bestf, &sig);
	printf("freq=%.2f rms=%.5f snr=%.1f\n", bestf, sqrt(sum2 / n),
	       res > 0 ? 10 * log10(sig / res) : 200.0);
	free(x);
	return 0;
}
