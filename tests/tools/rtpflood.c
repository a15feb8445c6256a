// SPDX-License-Identifier: GPL-2.0
/*
 * rtpflood: play a real RTP stream (a G.711 mu-law sine, 20 ms packets, in
 * real time) at a stream's local address and, interleaved with it, a
 * number of hostile packets of every kind a stream must refuse: random
 * bytes, truncated headers, wrong versions, CSRC counts and extensions
 * and padding that run past the end, payload types not negotiated, stale
 * sequence numbers, spoofed SSRCs and oversized payloads.
 *
 *   rtpflood DEST_IP:PORT LOCAL_PORT SECONDS HOSTILE [TONE_HZ]
 *
 * Prints "valid=N hostile=N" when done.  The mu-law encoder here is the
 * textbook one (independent of the module's).
 */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint8_t ulaw(int pcm)
{
	int sign = 0, exp, mant;

	if (pcm < 0) {
		pcm = -pcm;
		sign = 0x80;
	}
	if (pcm > 32635)
		pcm = 32635;
	pcm += 0x84;
	for (exp = 7; exp > 0 && !(pcm & (0x4000 >> (7 - exp))); exp--)
		;
	mant = (pcm >> (exp + 3)) & 0x0f;
	return ~(sign | (exp << 4) | mant);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void hdr(uint8_t *p, int pt, int marker, uint16_t seq, uint32_t ts, uint32_t ssrc)
{
	p[0] = 0x80;
	p[1] = (marker ? 0x80 : 0) | pt;
	p[2] = seq >> 8;
	p[3] = seq;
	p[4] = ts >> 24;
	p[5] = ts >> 16;
	p[6] = ts >> 8;
	p[7] = ts;
	p[8] = ssrc >> 24;
	p[9] = ssrc >> 16;
	p[10] = ssrc >> 8;
	p[11] = ssrc;
}

/* One hostile packet of kind @k; returns its length. */
static size_t hostile(uint8_t *p, unsigned int k, uint16_t seq, uint32_t ts, uint32_t ssrc)
{
	size_t i, len;

	switch (k % 10) {
	case 0:		/* random bytes, random length */
		len = rand() % 200;
		for (i = 0; i < len; i++)
			p[i] = rand();
		p[0] = (p[0] & 0x3f) | (rand() % 3) << 6;	/* never version 2 */
		return len;
	case 1:		/* truncated header */
		hdr(p, 0, 0, seq, ts, ssrc);
		return rand() % 12;
	case 2:		/* version 1 */
		hdr(p, 0, 0, seq, ts, ssrc);
		p[0] = 0x40;
		memset(p + 12, 0xff, 160);
		return 172;
	case 3:		/* 15 CSRCs in a 40-byte packet */
		hdr(p, 0, 0, seq, ts, ssrc);
		p[0] |= 0x0f;
		return 40;
	case 4:		/* extension longer than the packet */
		hdr(p, 0, 0, seq, ts, ssrc);
		p[0] |= 0x10;
		p[12] = 0xbe;
		p[13] = 0xde;
		p[14] = 0x10;
		p[15] = 0x00;
		return 60;
	case 5:		/* padding count larger than the payload */
		hdr(p, 0, 0, seq, ts, ssrc);
		p[0] |= 0x20;
		memset(p + 12, 0xff, 20);
		p[31] = 200;
		return 32;
	case 6:		/* payload type that was not negotiated */
		hdr(p, 96, 0, seq, ts, ssrc);
		memset(p + 12, 0xff, 160);
		return 172;
	case 7:		/* stale sequence number */
		hdr(p, 0, 0, seq - 10000 - rand() % 20000, ts - 160000, ssrc);
		memset(p + 12, 0xff, 160);
		return 172;
	case 8:		/* spoofed SSRC */
		hdr(p, 0, 0, seq, ts, ssrc ^ (1 + (uint32_t)rand()));
		memset(p + 12, 0x00, 160);	/* full-scale noise if played */
		return 172;
	default:	/* payload longer than 60 ms */
		hdr(p, 0, 0, seq, ts, ssrc);
		memset(p + 12, 0x00, 1000);
		return 1012;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET }, me = { .sin_family = AF_INET };
	double secs, tone, start, next;
	unsigned long nhostile, sent_h = 0, sent_v = 0, pkts, per;
	uint32_t ssrc = 0x1badcafe, ts = 1000;
	uint16_t seq = 4242;
	uint8_t pkt[1100];
	char *colon;
	int fd, n;

	if (argc < 5) {
		fputs("usage: rtpflood DEST_IP:PORT LOCAL_PORT SECONDS HOSTILE [TONE_HZ]\n", stderr);
		return 2;
	}
	colon = strrchr(argv[1], ':');
	if (!colon)
		return 2;
	*colon = '\0';
	inet_pton(AF_INET, argv[1], &dst.sin_addr);
	dst.sin_port = htons(atoi(colon + 1));
	me.sin_port = htons(atoi(argv[2]));
	inet_pton(AF_INET, "127.0.0.1", &me.sin_addr);
	secs = atof(argv[3]);
	nhostile = strtoul(argv[4], NULL, 0);
	tone = argc > 5 ? atof(argv[5]) : 1000;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		perror("rtpflood: socket");
		return 2;
	}
	srand(1);
	pkts = (unsigned long)(secs * 50);
	per = pkts ? (nhostile + pkts - 1) / pkts : nhostile;
	start = now_s();
	next = start;
	while (sent_v < pkts) {
		unsigned long h;

		hdr(pkt, 0, sent_v == 0, seq, ts, ssrc);
		for (n = 0; n < 160; n++)
			pkt[12 + n] = ulaw((int)(0.3 * 32767 *
						 sin(2 * M_PI * tone * (ts + n) / 8000.0)));
		if (sendto(fd, pkt, 172, 0, (struct sockaddr *)&dst, sizeof(dst)) == 172)
			sent_v++;
		for (h = 0; h < per && sent_h < nhostile; h++) {
			size_t len = hostile(pkt, sent_h, seq, ts, ssrc);

			if (sendto(fd, pkt, len, 0, (struct sockaddr *)&dst, sizeof(dst)) ==
			    (ssize_t)len)
				sent_h++;
		}
		seq++;
		ts += 160;
		next += 0.02;
		while (now_s() < next)
			usleep(1000);
	}
	printf("valid=%lu hostile=%lu\n", sent_v, sent_h);
	close(fd);
	return sent_h == nhostile ? 0 : 1;
}
