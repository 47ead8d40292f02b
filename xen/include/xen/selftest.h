/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_SELFTEST_H
#define XEN_SELFTEST_H

#include <xen/compiler.h>
#include <xen/types.h>

/*
 * Built-in self-tests. A test is a function returning NULL when it passes
 * or a reason when it fails (selftest_fail() formats one). Tests register
 * with REGISTER_SELFTEST(); "selftest" on the command line runs them all,
 * "selftest=a,b" runs the named ones, in registration order. Each prints
 * "selftest <name>: PASS" or "selftest <name>: FAIL: <reason>", then a
 * summary "selftest: N passed, M failed", and the machine powers off.
 *
 * A test marked manual runs only when named: it is for tests that end the
 * boot on purpose (fatal-trap). A test marked late runs after all the
 * others: it is for audits of what the others left behind (mm-audit).
 */
typedef const char *(*selftest_fn_t)(void);

struct selftest {
    const char *name;
    selftest_fn_t fn;
    bool manual;
    bool late;
};

extern const struct selftest __selftest_start[], __selftest_end[];

#define __REGISTER_SELFTEST(nm, f, man, lt)                                \
    /* Explicitly aligned: the section is walked as an array (param.h). */ \
    static const struct selftest __used __section(".data.selftest")        \
        __aligned(__alignof__(struct selftest))                            \
        __selftest_##f = { .name = nm, .fn = f, .manual = man, .late = lt }
#define REGISTER_SELFTEST(nm, f)        __REGISTER_SELFTEST(nm, f, false, false)
#define REGISTER_MANUAL_SELFTEST(nm, f) __REGISTER_SELFTEST(nm, f, true, false)
#define REGISTER_LATE_SELFTEST(nm, f)   __REGISTER_SELFTEST(nm, f, false, true)

/*
 * A deterministic pseudo-random number below bound (xorshift64), so that
 * a failing self-test fails the same way on every boot. *state must be
 * seeded non-zero.
 */
static inline unsigned int selftest_random(uint64_t *state, unsigned int bound)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state % bound;
}

/* Formats a failure reason into a static buffer and returns it. */
const char *selftest_fail(const char *fmt, ...) __printf(1, 2);

/* Runs what "selftest=" asked for; returns true if any test was run. */
bool selftest_run(void);

#endif /* XEN_SELFTEST_H */
