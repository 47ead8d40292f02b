/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_SYMBOLS_H
#define XEN_SYMBOLS_H

/* Longest symbol name symbols_lookup() writes, terminator included. */
#define KSYM_NAME_LEN 128

/*
 * Names a code address of the image from the embedded symbol table
 * (xen/common/symbols.c). On success the name is copied into namebuf
 * (KSYM_NAME_LEN bytes), *symsize and *offset are set and namebuf is
 * returned; addresses outside the image's text give NULL.
 */
const char *symbols_lookup(unsigned long addr, unsigned long *symsize,
                           unsigned long *offset, char *namebuf);

#endif /* XEN_SYMBOLS_H */
