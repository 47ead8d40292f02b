/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_LIB_H
#define XEN_LIB_H

#include <xen/compiler.h>
#include <xen/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Log levels. A message starts with one of these prefixes; printk() drops
 * it when its level is above the threshold set by "loglvl=". A message
 * without a prefix is XENLOG_INFO.
 */
#define XENLOG_ERR     "<0>"
#define XENLOG_WARNING "<1>"
#define XENLOG_INFO    "<2>"
#define XENLOG_DEBUG   "<3>"

/* Prints to every console; each output line starts with "(XEN) ". */
void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list args);

/*
 * C99 semantics: returns the length the full output would have had; the
 * buffer is always terminated when size > 0. Beyond the standard
 * conversions: %pS / %ps print a code address as symbol+0xoff/0xsize
 * (or just the symbol), falling back to the raw address. An unknown
 * conversion is printed as written; %n is refused (printed literally).
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* Like vsnprintf but returns the number of characters actually stored. */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list args);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * Number parsing; *end (if given) points past the last digit used. No
 * leading whitespace is skipped; a value too large saturates at the
 * type's maximum rather than wrapping.
 */
unsigned long long simple_strtoull(const char *s, const char **end,
                                   unsigned int base);
long long simple_strtoll(const char *s, const char **end, unsigned int base);

/*
 * A size with an optional K/M/G/T suffix (either case), in bytes. *end
 * points past what was parsed.
 */
unsigned long long parse_size_and_unit(const char *s, const char **end);

void __noreturn panic(const char *fmt, ...) __printf(1, 2);

void __noreturn __bug(const char *file, unsigned int line);
void __warn(const char *file, unsigned int line);
void __noreturn __assert_failed(const char *expr, const char *file,
                                unsigned int line);

#define BUG() __bug(__FILE__, __LINE__)
#define BUG_ON(cond)                                                       \
    do {                                                                   \
        if ( unlikely(cond) )                                              \
            BUG();                                                         \
    } while ( 0 )
#define WARN_ON(cond)                                                      \
    ({                                                                     \
        bool warn_on_ = !!(cond);                                          \
        if ( unlikely(warn_on_) )                                          \
            __warn(__FILE__, __LINE__);                                    \
        unlikely(warn_on_);                                                \
    })

#ifdef CONFIG_DEBUG
#define ASSERT(p)                                                          \
    do {                                                                   \
        if ( unlikely(!(p)) )                                              \
            __assert_failed(#p, __FILE__, __LINE__);                       \
    } while ( 0 )
#else
#define ASSERT(p) do { if ( 0 && (p) ) {} } while ( 0 )
#endif

#define min(a, b) ({ typeof(a) a_ = (a); typeof(b) b_ = (b); a_ < b_ ? a_ : b_; })
#define max(a, b) ({ typeof(a) a_ = (a); typeof(b) b_ = (b); a_ > b_ ? a_ : b_; })
#define ROUNDUP(x, a)   (((x) + (a) - 1) & ~((typeof(x))(a) - 1))
#define ROUNDDOWN(x, a) ((x) & ~((typeof(x))(a) - 1))
/* Set bits in a word, without relying on the POPCNT instruction. */
static inline unsigned int hweight32(uint32_t w)
{
    w = w - ((w >> 1) & 0x55555555U);
    w = (w & 0x33333333U) + ((w >> 2) & 0x33333333U);
    w = (w + (w >> 4)) & 0x0f0f0f0fU;
    return (w * 0x01010101U) >> 24;
}

static inline unsigned int hweight64(uint64_t w)
{
    return hweight32(w) + hweight32(w >> 32);
}

#define KB(x) ((unsigned long long)(x) << 10)
#define MB(x) ((unsigned long long)(x) << 20)
#define GB(x) ((unsigned long long)(x) << 30)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define IS_ALIGNED(x, a) (((x) & ((typeof(x))(a) - 1)) == 0)

#endif /* XEN_LIB_H */
