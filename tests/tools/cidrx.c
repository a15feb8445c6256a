// SPDX-License-Identifier: GPL-2.0
/*
 * cidrx: decode caller ID from earpiece audio with spandsp's ADSI
 * receiver, a decoder that shares no code with linecard's modulator.
 *
 *   cidrx [-s bell202|v23] [FILE|-]
 *
 * Reads raw S16 native-endian 8 kHz audio (what "vphone N listen" writes)
 * and prints one line per message with a valid checksum, e.g.
 *   type=0x80 datetime=11241305 number=1000 name=Kitchen
 * MDMF parameters: datetime (0x01), number (0x02), dialed (0x03),
 * number-absent (0x04, "O" unavailable / "P" private), redirect (0x05),
 * name (0x07), name-absent (0x08); others as param-0xNN=HEX.  SDMF (0x04):
 * datetime and number.  Exit status 0 when a message was decoded, 1 when
 * none was, 2 on a usage or read error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spandsp.h>

static adsi_rx_state_t *rx;
static int messages;

static const struct {
	uint8_t type;
	const char *name;
} params[] = {
	{ 0x01, "datetime" },
	{ 0x02, "number" },
	{ 0x03, "dialed" },
	{ 0x04, "number-absent" },
	{ 0x05, "redirect" },
	{ 0x07, "name" },
	{ 0x08, "name-absent" },
};

/* A field's text; bytes that are not printable as hex escapes. */
static void put_text(const uint8_t *p, int len)
{
	int i;

	for (i = 0; i < len; i++) {
		if (p[i] > ' ' && p[i] < 0x7f && p[i] != '\\')
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	}
}

static void put_field(uint8_t type, const uint8_t *body, int len)
{
	size_t i;
	int j;

	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		if (params[i].type == type) {
			printf(" %s=", params[i].name);
			put_text(body, len);
			return;
		}
	}
	printf(" param-0x%02x=", type);
	for (j = 0; j < len; j++)
		printf("%02x", body[j]);
}

static void put_msg(void *user_data, const uint8_t *msg, int len)
{
	const uint8_t *body;
	uint8_t type;
	int pos = -1, flen;

	(void)user_data;
	if (len < 2)
		return;
	printf("type=0x%02x", msg[0]);
	for (;;) {
		pos = adsi_next_field(rx, msg, len, pos, &type, &body, &flen);
		if (pos == -1)		/* no more fields */
			break;
		if (pos < 0) {
			printf(" corrupt");
			break;
		}
		if (!body)		/* the message type, already printed */
			continue;
		if (msg[0] & 0x80) {
			put_field(type, body, flen);
		} else if (flen >= 8) {
			/* SDMF: MMDDHHMM then the number */
			put_field(0x01, body, 8);
			put_field(0x02, body + 8, flen - 8);
		} else {
			put_field(0x02, body, flen);
		}
	}
	putchar('\n');
	fflush(stdout);
	messages++;
}

static void usage(void)
{
	fputs("usage: cidrx [-s bell202|v23] [FILE|-]\n"
	      "  decode caller ID from raw S16 8 kHz audio with spandsp\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	int standard = ADSI_STANDARD_CLASS;
	const char *file = "-";
	int16_t buf[800];
	FILE *in;
	size_t n;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			i++;
			if (!strcmp(argv[i], "bell202"))
				standard = ADSI_STANDARD_CLASS;
			else if (!strcmp(argv[i], "v23"))
				standard = ADSI_STANDARD_CLIP;
			else
				usage();
		} else if (argv[i][0] == '-' && argv[i][1]) {
			usage();
		} else {
			file = argv[i];
		}
	}
	in = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	if (!in) {
		fprintf(stderr, "cidrx: %s: %s\n", file, strerror(errno));
		return 2;
	}
	rx = adsi_rx_init(NULL, standard, put_msg, NULL);
	if (!rx) {
		fprintf(stderr, "cidrx: adsi_rx_init failed\n");
		return 2;
	}
	while ((n = fread(buf, sizeof(buf[0]), sizeof(buf) / sizeof(buf[0]), in)) > 0)
		adsi_rx(rx, buf, n);
	if (ferror(in)) {
		fprintf(stderr, "cidrx: %s: read error\n", file);
		return 2;
	}
	/* Flush the receiver with a little silence after the last sample. */
	memset(buf, 0, sizeof(buf));
	for (i = 0; i < 10; i++)
		adsi_rx(rx, buf, sizeof(buf) / sizeof(buf[0]));
	adsi_rx_free(rx);
	if (!messages) {
		fprintf(stderr, "cidrx: no caller ID message\n");
		return 1;
	}
	return 0;
}
