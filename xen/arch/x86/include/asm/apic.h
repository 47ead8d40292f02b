/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_APIC_H
#define ASM_X86_APIC_H

/*
 * The local APIC (xen/arch/x86/apic.c), in xAPIC (MMIO) or x2APIC (MSR)
 * mode. One mode for the whole machine, chosen on the boot CPU: x2APIC
 * whenever the CPU offers it (or firmware already enabled it), which is
 * also the only way to reach APIC IDs above 255. Registers are named by
 * their xAPIC MMIO offset; in x2APIC mode the same register is MSR
 * 0x800 + offset / 16.
 */

#include <xen/cpumask.h>
#include <xen/types.h>

#define APIC_ID       0x020
#define APIC_LVR      0x030
#define APIC_TASKPRI  0x080
#define APIC_EOI      0x0b0
#define APIC_LDR      0x0d0
#define APIC_DFR      0x0e0
#define APIC_SPIV     0x0f0
#define  APIC_SPIV_ENABLE      (1U << 8)
#define APIC_ESR      0x280
#define APIC_ICR      0x300
#define  APIC_DM_FIXED         0x000
#define  APIC_DM_NMI           0x400
#define  APIC_DM_INIT          0x500
#define  APIC_DM_STARTUP       0x600
#define  APIC_ICR_BUSY         (1U << 12)   /* xAPIC only */
#define  APIC_INT_ASSERT       (1U << 14)
#define  APIC_INT_LEVELTRIG    (1U << 15)
#define  APIC_DEST_SELF        (1U << 18)
#define  APIC_DEST_ALLBUT      (3U << 18)
#define APIC_ICR2     0x310                 /* xAPIC only */
#define APIC_LVTT     0x320
#define  APIC_LVT_MASKED       (1U << 16)
#define  APIC_TIMER_ONESHOT    (0U << 17)
#define  APIC_TIMER_PERIODIC   (1U << 17)
#define  APIC_TIMER_TSC_DEADLINE (2U << 17)
#define APIC_LVTTHMR  0x330
#define APIC_LVTPC    0x340
#define APIC_LVT0     0x350
#define APIC_LVT1     0x360
#define  APIC_LVT_DM_EXTINT    0x700
#define  APIC_LVT_DM_NMI       0x400
#define APIC_LVTERR   0x370
#define APIC_TMICT    0x380
#define APIC_TMCCT    0x390
#define APIC_TDCR     0x3e0
#define  APIC_TDR_DIV_1        0xb

#define MSR_APIC_BASE         0x0000001bU
#define  APIC_BASE_BSP         (1UL << 8)
#define  APIC_BASE_EXTD        (1UL << 10)  /* x2APIC mode */
#define  APIC_BASE_ENABLE      (1UL << 11)
#define  APIC_BASE_ADDR_MASK   0x000ffffffffff000UL
#define MSR_X2APIC_FIRST      0x00000800U
#define MSR_TSC_DEADLINE      0x000006e0U

/* CPUID leaf 1 ECX */
#define CPUID1_ECX_X2APIC       (1U << 21)
#define CPUID1_ECX_TSC_DEADLINE (1U << 24)

/*
 * The local APICs' MMIO page (the MADT's or the MSR's), mapped or not:
 * the hypervisor's, never a guest's. Set by apic_init_bsp().
 */
extern paddr_t apic_phys_base;

/* Set by apic_init_bsp(): the machine runs its APICs in x2APIC mode. */
extern bool x2apic_enabled;

uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t val);

static inline void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

/* This CPU's APIC ID (all 32 bits in x2APIC mode, 8 in xAPIC mode). */
uint32_t get_apic_id(void);

/*
 * Boot CPU, once, after the heap and vmap are up: chooses the mode, maps
 * the xAPIC page if needed, and sets up this CPU (as apic_setup_cpu()).
 * madt_lapic_addr is the MADT's local APIC address (0: use the MSR's).
 */
void apic_init_bsp(paddr_t madt_lapic_addr);

/*
 * Each AP as it starts: the BSP's mode, software-enabled with the
 * spurious vector, error interrupt on, LINT0/LINT1 masked, priority 0.
 */
void apic_setup_cpu(void);

/*
 * Sends an IPI. icr is the low ICR word (vector, delivery mode, level,
 * shorthand); dest an APIC ID (ignored with a shorthand). Safe with
 * interrupts on or off; returns once the local APIC has taken it.
 */
void apic_send_icr(uint32_t dest, uint32_t icr);

/* Fixed-vector IPI to each CPU in mask (this CPU included if set). */
void send_IPI_mask(const cpumask_t *mask, unsigned int vector);
void send_IPI_self(unsigned int vector);

#endif /* ASM_X86_APIC_H */
