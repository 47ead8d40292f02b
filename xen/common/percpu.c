/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU areas (xen/percpu.h): copies of the image's .data.percpu
 * template, one per CPU, found through struct cpu_info's offset.
 */
#include <xen/errno.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/percpu.h>
#include <xen/string.h>

extern char __per_cpu_start[], __per_cpu_end[], __per_cpu0_area[];

unsigned long __per_cpu_offset[CONFIG_NR_CPUS];

static size_t percpu_size(void)
{
    return __per_cpu_end - __per_cpu_start;
}

void __init percpu_init(void)
{
    unsigned long off = __per_cpu0_area - __per_cpu_start;

    memcpy(__per_cpu0_area, __per_cpu_start, percpu_size());
    __per_cpu_offset[0] = off;
    get_cpu_info()->per_cpu_offset = off;
}

int percpu_alloc(unsigned int cpu)
{
    unsigned int order = get_order_from_bytes(percpu_size());
    char *area;

    ASSERT(cpu < CONFIG_NR_CPUS);
    if ( __per_cpu_offset[cpu] )
        return 0;

    area = alloc_xenheap_pages(order, 0);
    if ( !area )
        return -ENOMEM;
    memcpy(area, __per_cpu_start, percpu_size());
    __per_cpu_offset[cpu] = area - __per_cpu_start;

    return 0;
}
