/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What hypervisor sources built for the host get in place of the rest of
 * the hypervisor (shim.c): a printk() that records into a buffer the
 * tests read, and a small made-up symbol table for symbols_lookup().
 */
#ifndef UNIT_SHIM_H
#define UNIT_SHIM_H

#include <stddef.h>

/*
 * glibc's <sys/cdefs.h> and xen/compiler.h both define __always_inline.
 * Host headers come first; let the hypervisor's definition replace it.
 */
#undef __always_inline

/*
 * Everything printk() printed since the last printk_clear(), exactly as
 * formatted: level prefixes such as "<1>" are kept, so tests can check
 * them. Output beyond the capture size is counted but not kept.
 */
#define PRINTK_CAPTURE_SIZE 65536
const char *printk_output(void);
void printk_clear(void);
/* Number of printk() calls since the last printk_clear(). */
unsigned int printk_calls(void);
/* Non-overlapping occurrences of needle in the captured output. */
unsigned int printk_count(const char *needle);

/* The fake symbol table: each symbol covers [addr, addr + size). */
struct fake_symbol {
    const char *name;
    unsigned long addr;
    unsigned long size;
};

#define FAKE_TEXT_BASE 0xffff82d040200000UL

extern const struct fake_symbol fake_symbols[];
extern const unsigned int nr_fake_symbols;
/* Calls of symbols_lookup() so far. */
extern unsigned int symbols_lookup_calls;

#endif /* UNIT_SHIM_H */
