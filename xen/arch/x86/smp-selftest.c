/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the SMP self-tests, which run on every online CPU at once
 * through on_cpus_idle(). A worker that finds a problem records it in
 * its own CPU's slot (the shared selftest_fail() buffer is not for
 * concurrent use); the test then reports the first.
 */
#include <asm/smp.h>
#include <xen/lib.h>
#include <xen/selftest.h>

#include "smp-selftest.h"

static char failure[CONFIG_NR_CPUS][96];

void smp_worker_fail(const char *fmt, ...)
{
    char *why = failure[smp_processor_id()];
    va_list args;

    if ( why[0] )
        return; /* keep the first */
    va_start(args, fmt);
    vsnprintf(why, sizeof(failure[0]), fmt, args);
    va_end(args);
}

void smp_clear_failures(void)
{
    unsigned int cpu;

    for ( cpu = 0; cpu < CONFIG_NR_CPUS; cpu++ )
        failure[cpu][0] = '\0';
}

const char *smp_first_failure(void)
{
    unsigned int cpu;

    for_each_online_cpu ( cpu )
        if ( failure[cpu][0] )
            return selftest_fail("CPU%u: %s", cpu, failure[cpu]);
    return NULL;
}
