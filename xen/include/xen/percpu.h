/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_PERCPU_H
#define XEN_PERCPU_H

/*
 * Per-CPU variables.
 *
 * DEFINE_PER_CPU(type, name) places a template of the variable in the
 * image's .data.percpu section (mapped read-only once the image is
 * remapped, so that a stray access through the template faults). Every
 * CPU gets its own copy of the whole section: the boot CPU in the image's
 * BSS (copied from the template first thing in __start_xen()), each AP in
 * a xenheap allocation made before it is started. A CPU's copy starts as
 * the template's initial contents and lives for good.
 *
 *   this_cpu(name)      this CPU's copy (offset read from struct cpu_info)
 *   per_cpu(name, cpu)  another CPU's copy; that CPU must have an area
 *
 * Context: anywhere, interrupts and NMIs included, once percpu_init()
 * has run.
 */

#include <asm/current.h>
#include <xen/compiler.h>

#define __percpu_section __section(".data.percpu")

#define DECLARE_PER_CPU(type, name) extern __typeof__(type) per_cpu__##name
#define DEFINE_PER_CPU(type, name) \
    __percpu_section __typeof__(type) per_cpu__##name

/* Offsets of each CPU's area from the template; 0 = no area yet. */
extern unsigned long __per_cpu_offset[CONFIG_NR_CPUS];

/* Hides the pointer arithmetic from the optimiser's object-size reasoning. */
#define RELOC_HIDE(ptr, off) ({                                          \
    unsigned long p__;                                                   \
    __asm__ ( "" : "=r" (p__) : "0" (ptr) );                             \
    (__typeof__(ptr))(p__ + (off));                                      \
})

#define per_cpu(name, cpu) \
    (*RELOC_HIDE(&per_cpu__##name, __per_cpu_offset[cpu]))
#define this_cpu(name) \
    (*RELOC_HIDE(&per_cpu__##name, get_cpu_info()->per_cpu_offset))

/* Boot CPU, first thing: copies the template into CPU 0's area. */
void percpu_init(void);
/* Gives cpu an area (xenheap), a copy of the template; 0 or -ENOMEM. */
int percpu_alloc(unsigned int cpu);

#endif /* XEN_PERCPU_H */
