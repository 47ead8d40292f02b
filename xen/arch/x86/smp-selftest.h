/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef X86_SMP_SELFTEST_H
#define X86_SMP_SELFTEST_H

/*
 * Failure reporting for self-tests whose workers run on every online CPU
 * at once: each CPU keeps the first failure it saw.
 */
#include <xen/compiler.h>

void __printf(1, 2) smp_worker_fail(const char *fmt, ...);
void smp_clear_failures(void);
/* The first CPU's failure as a selftest_fail() reason, or NULL. */
const char *smp_first_failure(void);

#endif /* X86_SMP_SELFTEST_H */
