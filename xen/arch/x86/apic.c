/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Local APIC: mode choice, per-CPU set-up, register access and IPIs.
 *
 * Every CPU's xAPIC registers live at the same physical address (each CPU
 * sees its own), so one uncached vmap mapping serves all CPUs. In x2APIC
 * mode the registers are MSRs and nothing is mapped.
 */
#include <asm/apic.h>
#include <asm/atomic.h>
#include <asm/irq-vectors.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/system.h>
#include <asm/traps.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/vmap.h>

bool x2apic_enabled;
static volatile uint32_t *xapic_regs;

/*
 * "x2apic=0" keeps the APIC in xAPIC mode when the CPU offers x2APIC:
 * some emulators and debug set-ups handle the MMIO registers better than
 * the MSRs (QEMU's -icount, for one, cannot read the x2APIC timer).
 */
static bool __initdata opt_x2apic = true;
boolean_param("x2apic", opt_x2apic);

uint32_t apic_read(unsigned int reg)
{
    if ( x2apic_enabled )
        return rdmsr(MSR_X2APIC_FIRST + (reg >> 4));
    return xapic_regs[reg / 4];
}

void apic_write(unsigned int reg, uint32_t val)
{
    if ( x2apic_enabled )
        wrmsr(MSR_X2APIC_FIRST + (reg >> 4), val);
    else
        xapic_regs[reg / 4] = val;
}

uint32_t get_apic_id(void)
{
    uint32_t id = apic_read(APIC_ID);

    return x2apic_enabled ? id : id >> 24;
}

void apic_send_icr(uint32_t dest, uint32_t icr)
{
    unsigned long flags;

    if ( x2apic_enabled )
    {
        /*
         * A WRMSR to the x2APIC ICR is not serialising: without the
         * fence the IPI can overtake this CPU's earlier stores, and the
         * target would read stale call data.
         */
        __asm__ __volatile__ ( "mfence; lfence" ::: "memory" );
        wrmsr(MSR_X2APIC_FIRST + (APIC_ICR >> 4),
              ((uint64_t)dest << 32) | icr);
        return;
    }

    /* ICR2 then ICR: an interrupt in between must not send its own IPI. */
    flags = local_irq_save();
    while ( xapic_regs[APIC_ICR / 4] & APIC_ICR_BUSY )
        cpu_relax();
    xapic_regs[APIC_ICR2 / 4] = dest << 24;
    xapic_regs[APIC_ICR / 4] = icr;
    while ( xapic_regs[APIC_ICR / 4] & APIC_ICR_BUSY )
        cpu_relax();
    local_irq_restore(flags);
}

void send_IPI_mask(const cpumask_t *mask, unsigned int vector)
{
    unsigned int cpu;

    for_each_cpu ( cpu, mask )
        apic_send_icr(x86_cpu_to_apicid[cpu], APIC_DM_FIXED | vector);
}

void send_IPI_self(unsigned int vector)
{
    apic_send_icr(0, APIC_DEST_SELF | APIC_DM_FIXED | vector);
}

static void spurious_interrupt(struct cpu_user_regs *regs)
{
    /* Not a real interrupt: it must not be acknowledged. */
}

static void error_interrupt(struct cpu_user_regs *regs)
{
    uint32_t esr;

    /* The ESR latches on write; reading it alone gives stale bits. */
    apic_write(APIC_ESR, 0);
    esr = apic_read(APIC_ESR);
    apic_eoi();
    printk(XENLOG_WARNING "CPU%u: local APIC error, ESR %#x\n",
           smp_processor_id(), esr);
}

void apic_setup_cpu(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    if ( x2apic_enabled )
    {
        /* Firmware may hand over in either mode; xAPIC -> x2APIC is legal. */
        if ( !(base & APIC_BASE_EXTD) )
            wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_EXTD);
    }
    else if ( !(base & APIC_BASE_ENABLE) )
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);

    apic_write(APIC_TASKPRI, 0);
    apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_APIC_VECTOR);

    /*
     * The 8259s are disabled, so ExtINT on LINT0 is masked everywhere;
     * LINT1 is the NMI pin on the boot CPU, which only matters there.
     */
    apic_write(APIC_LVT0, APIC_LVT_MASKED | APIC_LVT_DM_EXTINT);
    apic_write(APIC_LVT1, smp_processor_id() ? APIC_LVT_MASKED
                                             : APIC_LVT_DM_NMI);
    apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
    apic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_ESR, 0);
    /* Whatever firmware left in service is finished now. */
    apic_eoi();
}

paddr_t apic_phys_base;

void __init apic_init_bsp(paddr_t madt_lapic_addr)
{
    uint32_t eax, ebx, ecx, edx;
    uint64_t base = rdmsr(MSR_APIC_BASE);
    paddr_t pa;

    cpuid(1, &eax, &ebx, &ecx, &edx);
    if ( base & APIC_BASE_EXTD )
    {
        /*
         * x2APIC -> xAPIC is only possible through a disabled APIC, which
         * loses its state, and firmware that chose x2APIC may have done so
         * for APIC IDs that xAPIC cannot address: stay.
         */
        x2apic_enabled = true;
        if ( !opt_x2apic )
            printk(XENLOG_WARNING "Local APIC: firmware left x2APIC mode "
                   "enabled; x2apic=0 ignored\n");
    }
    else if ( ecx & CPUID1_ECX_X2APIC )
    {
        x2apic_enabled = opt_x2apic;
        if ( !opt_x2apic )
            printk("Local APIC: x2APIC offered, not used (x2apic=0)\n");
    }
    else
        x2apic_enabled = false;

    pa = madt_lapic_addr ? madt_lapic_addr : base & APIC_BASE_ADDR_MASK;
    apic_phys_base = pa;
    if ( !x2apic_enabled )
    {
        xapic_regs = ioremap(pa, PAGE_SIZE);
        if ( !xapic_regs )
            panic("Cannot map the local APIC at %#lx", pa);
    }

    set_intr_handler(SPURIOUS_APIC_VECTOR, spurious_interrupt);
    set_intr_handler(ERROR_APIC_VECTOR, error_interrupt);
    apic_setup_cpu();

    get_cpu_info()->apic_id = get_apic_id();
    x86_cpu_to_apicid[0] = get_cpu_info()->apic_id;
    printk("Local APIC: %s mode, boot CPU APIC ID %u, version %#x\n",
           x2apic_enabled ? "x2APIC" : "xAPIC", x86_cpu_to_apicid[0],
           apic_read(APIC_LVR) & 0xff);
}
