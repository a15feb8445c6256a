/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ITU-T G.711 µ-law and A-law, bit-exact with the ITU-T G.191 STL
 * reference (g711.c: ulaw_compress/ulaw_expand, alaw_compress/alaw_expand)
 * for every 16-bit linear input and every 8-bit code.
 *
 * Linear samples are 16-bit two's complement.  Negative inputs are folded
 * with the one's complement (~x), as in the reference, so -1 quantises like
 * 0 and the characteristic is symmetric about -1/2.  µ-law uses the 14 most
 * significant bits, A-law the 13 most significant bits.  Codes are on the
 * wire form: µ-law fully inverted, A-law with the even bits inverted (0x55).
 *
 * Pure logic: builds into the module and into the unit tests.
 */
#ifndef _LC_G711_H
#define _LC_G711_H

#include "lc_compat.h"

u8 lc_ulaw_encode(s16 pcm);
s16 lc_ulaw_decode(u8 code);
u8 lc_alaw_encode(s16 pcm);
s16 lc_alaw_decode(u8 code);

/* Convert @n samples from @src to @dst; the buffers must not overlap. */
void lc_ulaw_encode_buf(u8 *dst, const s16 *src, unsigned int n);
void lc_ulaw_decode_buf(s16 *dst, const u8 *src, unsigned int n);
void lc_alaw_encode_buf(u8 *dst, const s16 *src, unsigned int n);
void lc_alaw_decode_buf(s16 *dst, const u8 *src, unsigned int n);

#endif /* _LC_G711_H */
