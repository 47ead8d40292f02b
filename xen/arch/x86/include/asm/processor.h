/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_PROCESSOR_H
#define ASM_X86_PROCESSOR_H

#include <xen/types.h>

#define MSR_EFER      0xc0000080U
#define EFER_NXE      (1UL << 11)

/* CPUID leaf 0x80000001, EDX */
#define CPUID_EXT_NX  (1U << 20)
#define CPUID_EXT_PAGE1GB (1U << 26)

static inline void cpuid(uint32_t leaf, uint32_t *eax, uint32_t *ebx,
                         uint32_t *ecx, uint32_t *edx)
{
    __asm__ __volatile__ ( "cpuid"
                           : "=a" (*eax), "=b" (*ebx), "=c" (*ecx), "=d" (*edx)
                           : "a" (leaf), "c" (0) );
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__ ( "rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr) );
    return lo | ((uint64_t)hi << 32);
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
    __asm__ __volatile__ ( "wrmsr"
                           :: "c" (msr), "a" ((uint32_t)val),
                              "d" ((uint32_t)(val >> 32)) );
}

#endif /* ASM_X86_PROCESSOR_H */
