/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_CPUMASK_H
#define XEN_CPUMASK_H

/*
 * Sets of CPUs: one bit per CPU number, CONFIG_NR_CPUS bits.
 *
 * CPU numbers are the hypervisor's own (0 is the boot CPU; APs are
 * numbered in the order the MADT lists them), not APIC IDs.
 *   cpu_present_map  CPUs found in the MADT and accepted (NR_CPUS, maxcpus=)
 *   cpu_online_map   CPUs running and taking IPIs
 * cpu_online_map only changes during bring-up, with the changing CPU's
 * bit set last, after everything it needs is in place.
 */

#include <xen/bitops.h>
#include <xen/lib.h>

typedef struct cpumask {
    unsigned long bits[BITS_TO_LONGS(CONFIG_NR_CPUS)];
} cpumask_t;

extern cpumask_t cpu_present_map;
extern cpumask_t cpu_online_map;

static inline void cpumask_set_cpu(unsigned int cpu, cpumask_t *m)
{
    set_bit(cpu, m->bits);
}

static inline void cpumask_clear_cpu(unsigned int cpu, cpumask_t *m)
{
    clear_bit(cpu, m->bits);
}

static inline bool cpumask_test_cpu(unsigned int cpu, const cpumask_t *m)
{
    return test_bit(cpu, m->bits);
}

static inline bool cpumask_test_and_clear_cpu(unsigned int cpu, cpumask_t *m)
{
    return test_and_clear_bit(cpu, m->bits);
}

static inline void cpumask_clear(cpumask_t *m)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(m->bits); i++ )
        m->bits[i] = 0;
}

static inline void cpumask_copy(cpumask_t *d, const cpumask_t *s)
{
    *d = *s;
}

static inline void cpumask_and(cpumask_t *d, const cpumask_t *a,
                               const cpumask_t *b)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(d->bits); i++ )
        d->bits[i] = a->bits[i] & b->bits[i];
}

static inline void cpumask_or(cpumask_t *d, const cpumask_t *a,
                              const cpumask_t *b)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(d->bits); i++ )
        d->bits[i] = a->bits[i] | b->bits[i];
}

static inline void cpumask_andnot(cpumask_t *d, const cpumask_t *a,
                                  const cpumask_t *b)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(d->bits); i++ )
        d->bits[i] = a->bits[i] & ~b->bits[i];
}

static inline bool cpumask_empty(const cpumask_t *m)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(m->bits); i++ )
        if ( m->bits[i] )
            return false;
    return true;
}

static inline unsigned int cpumask_weight(const cpumask_t *m)
{
    unsigned int i, n = 0;

    for ( i = 0; i < ARRAY_SIZE(m->bits); i++ )
        n += hweight64(m->bits[i]);
    return n;
}

static inline unsigned int cpumask_next(int cpu, const cpumask_t *m)
{
    return find_next_bit(m->bits, CONFIG_NR_CPUS, cpu + 1);
}

static inline unsigned int cpumask_first(const cpumask_t *m)
{
    return cpumask_next(-1, m);
}

#define for_each_cpu(cpu, mask)                                      \
    for ( (cpu) = cpumask_first(mask); (cpu) < CONFIG_NR_CPUS;       \
          (cpu) = cpumask_next(cpu, mask) )

#define for_each_online_cpu(cpu)  for_each_cpu(cpu, &cpu_online_map)
#define for_each_present_cpu(cpu) for_each_cpu(cpu, &cpu_present_map)

#define num_online_cpus()  cpumask_weight(&cpu_online_map)
#define cpu_online(cpu)    cpumask_test_cpu(cpu, &cpu_online_map)

#endif /* XEN_CPUMASK_H */
