/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Privileged instructions the hypervisor emulates for a PV kernel (which
 * runs in ring 3, so each one faults into the hypervisor first):
 * forced-emulation CPUID and the PV CPUID policy, rdmsr/wrmsr, mov from
 * CR0/CR4, clts, and port I/O once physdev_op set_iopl allows it.
 */
#include "pvkernel.h"

#define MSR_IA32_TSC            0x00000010
#define MSR_APIC_BASE           0x0000001b
#define MSR_IA32_SYSENTER_CS    0x00000174
#define MSR_IA32_MISC_ENABLE    0x000001a0
#define MSR_PAT                 0x00000277
#define MSR_EFER                0xc0000080
#define MSR_FS_BASE             0xc0000100
#define MSR_GS_BASE             0xc0000101
#define MSR_SHADOW_GS_BASE      0xc0000102
#define MSR_UNKNOWN             0x4b564d99  /* nobody's */

#define X86_CR0_PE  (1UL << 0)
#define X86_CR0_TS  (1UL << 3)
#define X86_CR0_PG  (1UL << 31)
#define X86_CR4_PAE (1UL << 5)
#define X86_CR4_VMXE (1UL << 13)

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile ( "rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr) );
    return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile ( "wrmsr" :: "c" (msr), "a" ((uint32_t)v),
                   "d" ((uint32_t)(v >> 32)) : "memory" );
}

PVTEST(cpuid_forced_xen_leaves)
{
    uint32_t r[4];
    char sig[13];
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);

    xen_cpuid(0x40000000, 0, r);
    memcpy(sig, &r[1], 4);
    memcpy(sig + 4, &r[2], 4);
    memcpy(sig + 8, &r[3], 4);
    sig[12] = '\0';
    expect(!strcmp(sig, "XenVMMXenVMM"), "leaf 0x40000000 signature \"%s\"",
           sig);
    expect(r[0] >= 0x40000002 && r[0] < 0x40000100,
           "leaf 0x40000000 max leaf %#x", r[0]);
    xen_cpuid(0x40000001, 0, r);
    EXPECT_EQ(r[0], v);
    /* Hypercall pages: one, set up through MSR 0x40000000. */
    xen_cpuid(0x40000002, 0, r);
    expect(r[0] >= 1, "leaf 0x40000002: %u hypercall pages", r[0]);
    EXPECT_EQ(r[1], 0x40000000);
}

/*
 * What a PV guest must not see, and the one bit it must. (MTRR is not
 * here: Xen 4.17 shows it to the PV dom0.)
 */
PVTEST(cpuid_pv_policy)
{
    static const struct {
        uint32_t leaf, sub;
        unsigned int reg, bit;          /* reg: 0 eax .. 3 edx */
        const char *name;
    } hidden[] = {
        { 1, 0, 3, 1, "VME" }, { 1, 0, 3, 3, "PSE" },
        { 1, 0, 3, 13, "PGE" },
        { 1, 0, 2, 5, "VMX" }, { 1, 0, 2, 17, "PCID" },
        { 1, 0, 2, 21, "X2APIC" }, { 1, 0, 2, 24, "TSC_DEADLINE" },
        { 7, 0, 1, 7, "SMEP" }, { 7, 0, 1, 10, "INVPCID" },
        { 7, 0, 1, 20, "SMAP" }, { 7, 0, 2, 2, "UMIP" },
        { 7, 0, 2, 3, "PKU" }, { 7, 0, 2, 16, "LA57" },
        { 0x80000001, 0, 2, 2, "SVM" }, { 0x80000001, 0, 3, 26, "1GB pages" },
    };
    uint32_t r[4];

    for ( unsigned int i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++ )
    {
        xen_cpuid(hidden[i].leaf, hidden[i].sub, r);
        expect(!(r[hidden[i].reg] & (1u << hidden[i].bit)),
               "%s visible (leaf %#x reg %u bit %u)", hidden[i].name,
               hidden[i].leaf, hidden[i].reg, hidden[i].bit);
    }
    xen_cpuid(1, 0, r);
    expect(r[2] & (1u << 31), "HYPERVISOR bit clear: leaf 1 ecx %#x", r[2]);
}

PVTEST(rdmsr_refused_gp)
{
    static const uint32_t refused[] = { MSR_UNKNOWN, MSR_IA32_SYSENTER_CS };

    for ( unsigned int i = 0; i < sizeof(refused) / sizeof(refused[0]); i++ )
    {
        if ( !pv_setjmp(trap_catch()) )
        {
            uint64_t v = rdmsr(refused[i]);

            trap_catch_end();
            fail("rdmsr %#x gave %#lx, expected #GP", refused[i],
                 (unsigned long)v);
            continue;
        }
        EXPECT_EQ(caught.vector, 13);
        EXPECT_EQ(caught.error_code, 0);
    }
}

PVTEST(msr_segment_bases)
{
    unsigned long fsp = scratch_page(), gsp = scratch_page();
    unsigned long v;

    *(unsigned long *)fsp = 0x46534653UL;
    *(unsigned long *)gsp = 0x47534753UL;
    wrmsr(MSR_FS_BASE, fsp);
    wrmsr(MSR_GS_BASE, gsp);
    wrmsr(MSR_SHADOW_GS_BASE, 0x123456789000UL);
    EXPECT_EQ(rdmsr(MSR_FS_BASE), fsp);
    EXPECT_EQ(rdmsr(MSR_GS_BASE), gsp);
    EXPECT_EQ(rdmsr(MSR_SHADOW_GS_BASE), 0x123456789000UL);
    /* The bases are in effect. */
    asm volatile ( "mov %%fs:0, %0" : "=r" (v) );
    EXPECT_EQ(v, 0x46534653UL);
    asm volatile ( "mov %%gs:0, %0" : "=r" (v) );
    EXPECT_EQ(v, 0x47534753UL);
    /* A non-canonical base is refused with #GP. */
    if ( !pv_setjmp(trap_catch()) )
    {
        wrmsr(MSR_FS_BASE, 0x8000000000000000UL);
        trap_catch_end();
        fail("non-canonical FS base accepted");
    }
    else
        EXPECT_EQ(caught.vector, 13);
    wrmsr(MSR_FS_BASE, 0);
    wrmsr(MSR_GS_BASE, 0);
    wrmsr(MSR_SHADOW_GS_BASE, 0);
}

PVTEST(rdmsr_emulated_values)
{
    uint64_t efer = rdmsr(MSR_EFER), misc, pat, tsc;

    /* SCE, LME, LMA, NXE; never SVME. */
    EXPECT_EQ(efer & 0x501, 0x501);
    EXPECT_EQ(efer & (1UL << 12), 0);
    pat = rdmsr(MSR_PAT);
    /* Xen's own PAT (XEN_MSR_PAT), which PV guests see and cannot change. */
    EXPECT_EQ(pat, 0x0000050100070406UL);
    misc = rdmsr(MSR_IA32_MISC_ENABLE);
    /* BTS and PEBS reported unavailable. */
    EXPECT_EQ(misc & ((1UL << 11) | (1UL << 12)), (1UL << 11) | (1UL << 12));
    tsc = rdmsr(MSR_IA32_TSC);
    expect(tsc != 0, "TSC MSR reads 0");
    printk("pvtest: info: EFER %#lx PAT %#lx MISC_ENABLE %#lx\n",
           (unsigned long)efer, (unsigned long)pat, (unsigned long)misc);
}

PVTEST(rdmsr_apic_base)
{
    uint64_t v;

    if ( !pv_setjmp(trap_catch()) )
    {
        v = rdmsr(MSR_APIC_BASE);
        trap_catch_end();
        printk("pvtest: info: APIC_BASE %#lx\n", (unsigned long)v);
        /* The BSP bit and the global enable as the hardware has them. */
        EXPECT_EQ(v & 0x900, 0x900);
        return;
    }
    fail("rdmsr APIC_BASE: trap %#lx", caught.vector);
}

PVTEST(cr_reads_and_clts)
{
    unsigned long cr0, cr4;

    asm volatile ( "mov %%cr0, %0" : "=r" (cr0) );
    EXPECT_EQ(cr0 & (X86_CR0_PE | X86_CR0_PG), X86_CR0_PE | X86_CR0_PG);
    asm volatile ( "mov %%cr4, %0" : "=r" (cr4) );
    EXPECT_EQ(cr4 & (X86_CR4_PAE | X86_CR4_VMXE), X86_CR4_PAE);
    /* fpu_taskswitch(1) sets the guest's CR0.TS; clts clears it. */
    EXPECT_OK(HYPERVISOR_fpu_taskswitch(1));
    asm volatile ( "mov %%cr0, %0" : "=r" (cr0) );
    EXPECT_EQ(cr0 & X86_CR0_TS, X86_CR0_TS);
    asm volatile ( "clts" );
    asm volatile ( "mov %%cr0, %0" : "=r" (cr0) );
    EXPECT_EQ(cr0 & X86_CR0_TS, 0);
}

PVTEST(port_io_set_iopl)
{
    struct physdev_set_iopl io = { .iopl = 0 };
    uint8_t v;

    EXPECT_OK(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io));
    if ( !pv_setjmp(trap_catch()) )
    {
        v = inb(0x71);
        trap_catch_end();
        fail("inb with IOPL 0 gave %#x, expected #GP", v);
    }
    else
        EXPECT_EQ(caught.vector, 13);

    /* The PV kernel's ring counts as 1 for IOPL (as Linux sets it). */
    io.iopl = 1;
    EXPECT_OK(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io));
    if ( !is_dom0() )
    {
        /*
         * A domU has no ports: with the IOPL the instruction completes,
         * as in Xen, but reads all ones (check-domu.c has the rest).
         */
        if ( !pv_setjmp(trap_catch()) )
        {
            v = inb(0x71);
            trap_catch_end();
            EXPECT_EQ(v, 0xff);
        }
        else
            fail("a domU's inb with IOPL 1: trap %lu",
                 (unsigned long)caught.vector);
        io.iopl = 0;
        EXPECT_OK(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io));
        return;
    }
    outb(0x70, 0x0a);
    v = inb(0x71);
    /* CMOS status register A: 32.768 kHz time base, 1024 Hz rate. */
    EXPECT_EQ(v & 0x7f, 0x26);
    /* COM1's LSR: Xen keeps its console UART; reads give all ones. */
    EXPECT_EQ(inb(0x3f8 + 5), 0xff);
    io.iopl = 0;
    EXPECT_OK(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io));
}
