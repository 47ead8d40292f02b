/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_PARAM_H
#define XEN_PARAM_H

#include <xen/compiler.h>
#include <xen/types.h>

/*
 * Command-line options. Each option is a struct kernel_param placed by
 * one of the *_param() macros in the ".init.setup" section; the linker
 * gathers them between __setup_start and __setup_end, so a subsystem
 * declares its options next to the variables they set and nobody keeps
 * a central list.
 *
 * Syntax: options are separated by spaces. "name=value" sets a value;
 * a bare "name" sets a boolean true; "no-name" sets it false. Booleans
 * accept 1/0, yes/no, on/off, true/false, enable/disable. Integers take
 * an optional 0x/0 prefix; sizes take a K/M/G/T suffix. A malformed value
 * is reported and the variable keeps its default; an unknown option is
 * reported once however often it appears. Also reported as malformed: a
 * number that overflows its variable, a string that does not fit (the old
 * value stays; it is never cut short), "no-X" where X is not a boolean,
 * and "no-X=value". A bare name for a string option stores "". Values for
 * custom parsers are limited to 127 characters.
 */
enum param_type {
    OPT_BOOL,
    OPT_UINT,   /* unsigned integer of len 1, 2, 4 or 8 bytes */
    OPT_SIZE,   /* size in bytes with optional suffix, into a uint64_t */
    OPT_STR,    /* copied into a char array of len bytes, always terminated */
    OPT_CUSTOM, /* func parses the value; returns 0 or -errno */
};

struct kernel_param {
    const char *name;
    enum param_type type;
    unsigned int len;
    union {
        void *var;
        int (*func)(const char *value);
    } par;
};

extern const struct kernel_param __setup_start[], __setup_end[];

/*
 * The explicit alignment matters: without it GCC may align these 24-byte
 * objects to 32 bytes, leaving holes in the section, which is walked as an
 * array.
 */
#define __param_entry(nm, ty, ln, field, target, id)                       \
    static const struct kernel_param __used __section(".init.setup")       \
        __aligned(__alignof__(struct kernel_param))                        \
        __setup_##id = { .name = nm, .type = ty, .len = ln,                \
                         .par.field = (target) }

#define boolean_param(nm, v) __param_entry(nm, OPT_BOOL, sizeof(v), var, &(v), v)
#define integer_param(nm, v) __param_entry(nm, OPT_UINT, sizeof(v), var, &(v), v)
#define size_param(nm, v)    __param_entry(nm, OPT_SIZE, sizeof(v), var, &(v), v)
#define string_param(nm, v)  __param_entry(nm, OPT_STR, sizeof(v), var, (v), v)
#define custom_param(nm, fn) __param_entry(nm, OPT_CUSTOM, 0, func, fn, fn)

/*
 * Parses cmdline against the table [start, end). Returns the number of
 * problems reported (unknown options and malformed values). Pure logic,
 * also built for the host unit tests.
 */
unsigned int parse_params(const char *cmdline,
                          const struct kernel_param *start,
                          const struct kernel_param *end);

/* Parses the hypervisor command line against every registered option. */
void cmdline_parse(const char *cmdline);

/*
 * Parses a boolean word ("yes", "off", ...) starting at s and ending at e
 * (or at the terminating NUL if e is NULL): 1, 0, or -1 if not a boolean.
 */
int parse_bool(const char *s, const char *e);

#endif /* XEN_PARAM_H */
