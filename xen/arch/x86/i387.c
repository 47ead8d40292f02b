/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest FPU, SSE and AVX state: switched eagerly at every context
 * switch, with XSAVE where the CPU offers it (every component the
 * hypervisor enables in XCR0: x87, SSE, AVX), FXSAVE otherwise.
 *
 * The hypervisor itself never touches these registers (it is built
 * with -mno-sse -msoft-float), so a vCPU's state stays in the registers
 * for as long as it runs, across hypercalls and interrupts alike.
 */
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <asm/i387.h>
#include <asm/processor.h>
#include <asm/traps.h>

#define CPUID1_ECX_XSAVE (1U << 26)
#define XSTATE_X87 (1ULL << 0)
#define XSTATE_SSE (1ULL << 1)
#define XSTATE_YMM (1ULL << 2)

/* The legacy (FXSAVE) region: x87 control word and MXCSR at reset. */
#define FCW_DEFAULT   0x037f
#define MXCSR_DEFAULT 0x1f80

static bool use_xsave;
uint64_t xcr0_host;              /* what every CPU runs with */
static unsigned int fpu_area_size = 512;

/* Boot CPU: decides XSAVE or not and the area size, then sets itself up. */
void __init fpu_init(void)
{
    uint32_t eax, ebx, ecx, edx;

    cpuid(1, &eax, &ebx, &ecx, &edx);
    use_xsave = ecx & CPUID1_ECX_XSAVE;
    if ( use_xsave )
    {
        cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
        xcr0_host = eax & (XSTATE_X87 | XSTATE_SSE | XSTATE_YMM);
    }
    fpu_init_cpu();
    if ( use_xsave )
    {
        /* EBX: the size the components enabled in XCR0 need. */
        cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
        fpu_area_size = ebx;
    }
    printk("FPU: %s, %u-byte state per vCPU, XCR0 %#lx\n",
           use_xsave ? "XSAVE" : "FXSAVE", fpu_area_size, xcr0_host);
}

/* Every CPU: SSE enabled for guests, XSAVE with the boot CPU's XCR0. */
void fpu_init_cpu(void)
{
    unsigned long cr4 = read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

    if ( use_xsave )
        cr4 |= X86_CR4_OSXSAVE;
    write_cr4(cr4);
    if ( use_xsave )
        xsetbv(0, xcr0_host);
    clts();
}

int vcpu_fpu_init(struct vcpu *v)
{
    uint8_t *area = _xzalloc(fpu_area_size, 64);

    if ( !area )
        return -1;
    /* A guest starts with the state a reset leaves. */
    *(uint16_t *)(area + 0) = FCW_DEFAULT;
    *(uint32_t *)(area + 24) = MXCSR_DEFAULT;
    if ( use_xsave )
        /* XSTATE_BV: x87 and SSE come from the legacy region. */
        *(uint64_t *)(area + 512) = XSTATE_X87 | XSTATE_SSE;
    v->arch.xsave_area = area;

    return 0;
}

void vcpu_fpu_destroy(struct vcpu *v)
{
    xfree(v->arch.xsave_area);
    v->arch.xsave_area = NULL;
}

void fpu_save(struct vcpu *v)
{
    clts(); /* a guest's TS must not make the save fault */
    if ( use_xsave )
        __asm__ __volatile__ ( "xsave64 %0"
                               : "=m" (*(char *)v->arch.xsave_area)
                               : "a" (~0U), "d" (~0U) : "memory" );
    else
        __asm__ __volatile__ ( "fxsave64 %0"
                               : "=m" (*(char *)v->arch.xsave_area)
                               :: "memory" );
}

void fpu_restore(struct vcpu *v)
{
    clts();
    if ( use_xsave )
        __asm__ __volatile__ ( "xrstor64 %0"
                               :: "m" (*(char *)v->arch.xsave_area),
                                  "a" (~0U), "d" (~0U) : "memory" );
    else
        __asm__ __volatile__ ( "fxrstor64 %0"
                               :: "m" (*(char *)v->arch.xsave_area)
                               : "memory" );
    if ( v->arch.fpu_ts )
        write_cr0(read_cr0() | X86_CR0_TS);
}
