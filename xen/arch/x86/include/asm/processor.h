/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_PROCESSOR_H
#define ASM_X86_PROCESSOR_H

#include <xen/types.h>

#define MSR_EFER      0xc0000080U
#define EFER_SCE      (1UL << 0)
#define EFER_NXE      (1UL << 11)
#define MSR_STAR           0xc0000081U
#define MSR_LSTAR          0xc0000082U
#define MSR_CSTAR          0xc0000083U
#define MSR_SYSCALL_MASK   0xc0000084U
#define MSR_FS_BASE        0xc0000100U
#define MSR_GS_BASE        0xc0000101U
#define MSR_SHADOW_GS_BASE 0xc0000102U
#define MSR_PAT            0x00000277U
#define MSR_UCODE_REV      0x0000008bU

/* RFLAGS bits. */
#define X86_EFLAGS_CF   0x00000001UL
#define X86_EFLAGS_MBS  0x00000002UL /* must be set */
#define X86_EFLAGS_TF   0x00000100UL
#define X86_EFLAGS_IF   0x00000200UL
#define X86_EFLAGS_DF   0x00000400UL
#define X86_EFLAGS_IOPL 0x00003000UL
#define X86_EFLAGS_NT   0x00004000UL
#define X86_EFLAGS_RF   0x00010000UL
#define X86_EFLAGS_VM   0x00020000UL
#define X86_EFLAGS_AC   0x00040000UL

/* Control register bits. */
#define X86_CR0_TS      (1UL << 3)
#define X86_CR4_PGE     (1UL << 7)
#define X86_CR4_OSFXSR  (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_CR4_OSXSAVE (1UL << 18)

/* CPUID leaf 0x80000001, EDX */
#define CPUID_EXT_NX  (1U << 20)
#define CPUID_EXT_PAGE1GB (1U << 26)

/* The CPU's physical address width, in bits (xen/arch/x86/paddr-bits.c). */
unsigned int paddr_bits(void);

static inline void cpuid(uint32_t leaf, uint32_t *eax, uint32_t *ebx,
                         uint32_t *ecx, uint32_t *edx)
{
    __asm__ __volatile__ ( "cpuid"
                           : "=a" (*eax), "=b" (*ebx), "=c" (*ecx), "=d" (*edx)
                           : "a" (leaf), "c" (0) );
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *eax,
                               uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
    __asm__ __volatile__ ( "cpuid"
                           : "=a" (*eax), "=b" (*ebx), "=c" (*ecx), "=d" (*edx)
                           : "a" (leaf), "c" (sub) );
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

static inline void write_cr0(unsigned long v)
{
    __asm__ __volatile__ ( "mov %0, %%cr0" :: "r" (v) : "memory" );
}

static inline void write_cr4(unsigned long v)
{
    __asm__ __volatile__ ( "mov %0, %%cr4" :: "r" (v) : "memory" );
}

static inline void clts(void)
{
    __asm__ __volatile__ ( "clts" ::: "memory" );
}

static inline void xsetbv(uint32_t idx, uint64_t v)
{
    __asm__ __volatile__ ( "xsetbv" :: "c" (idx), "a" ((uint32_t)v),
                                       "d" ((uint32_t)(v >> 32)) );
}

static inline uint64_t xgetbv(uint32_t idx)
{
    uint32_t lo, hi;

    __asm__ __volatile__ ( "xgetbv" : "=a" (lo), "=d" (hi) : "c" (idx) );
    return lo | ((uint64_t)hi << 32);
}

#endif /* ASM_X86_PROCESSOR_H */
