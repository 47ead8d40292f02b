/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_TYPES_H
#define XEN_TYPES_H

/*
 * Fixed-width and freestanding types. The compiler's freestanding headers
 * are used because they are part of GCC, not of any C library.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef long ssize_t;

/* A machine (host-physical) address. */
typedef uint64_t paddr_t;
#define PRIpaddr "016lx"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* XEN_TYPES_H */
