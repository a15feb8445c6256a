/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one header through which the pure DSP and line-signalling files see
 * their environment, so that the same files build into linecard.ko and
 * into the user-space unit tests.  No floating point, no libm: the kernel
 * has neither.
 */
#ifndef _LC_COMPAT_H
#define _LC_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/math64.h>
#include <linux/time64.h>
#include <asm/byteorder.h>
#include <asm/unaligned.h>
#else
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>
#include <endian.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __s8 s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define min(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define NSEC_PER_MSEC 1000000ULL

static inline u64 div_u64(u64 a, u32 b) { return a / b; }
/* Index of the lowest set bit; @w must not be 0. */
static inline unsigned long __ffs64(u64 w) { return __builtin_ctzll(w); }
static inline s64 div_s64(s64 a, s32 b) { return a / b; }

/* Byte order of wire fields, as <asm/byteorder.h> and <asm/unaligned.h>. */
static inline u16 be16_to_cpu(__be16 x) { return be16toh(x); }
static inline u32 be32_to_cpu(__be32 x) { return be32toh(x); }
static inline __be16 cpu_to_be16(u16 x) { return htobe16(x); }
static inline __be32 cpu_to_be32(u32 x) { return htobe32(x); }

static inline u16 get_unaligned_be16(const void *p)
{
	__be16 v;

	memcpy(&v, p, sizeof(v));
	return be16_to_cpu(v);
}

static inline u32 get_unaligned_be32(const void *p)
{
	__be32 v;

	memcpy(&v, p, sizeof(v));
	return be32_to_cpu(v);
}

static inline void put_unaligned_be16(u16 val, void *p)
{
	__be16 v = cpu_to_be16(val);

	memcpy(p, &v, sizeof(v));
}

static inline void put_unaligned_be32(u32 val, void *p)
{
	__be32 v = cpu_to_be32(val);

	memcpy(p, &v, sizeof(v));
}
#endif

#include "../uapi/linux/linecard.h"

/* Saturate a 32-bit intermediate to a 16-bit sample. */
static inline s16 lc_sat16(s32 v)
{
	if (v > 32767)
		return 32767;
	if (v < -32768)
		return -32768;
	return (s16)v;
}

#endif /* _LC_COMPAT_H */
