/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TSC as the system clock: calibrated once against the HPET where
 * ACPI describes one (its period is stated exactly, in femtoseconds), or
 * else the PIT (whose 1.193182 MHz input is the one fixed frequency every
 * PC has), then converted to nanoseconds with a 32.32 fixed-point scale.
 * "clocksource=pit" forces the PIT.
 */
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/irq-vectors.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/string.h>
#include <xen/softirq.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <xen/vmap.h>

#define PIT_HZ          1193182UL
#define PIT_CH2         0x42
#define PIT_MODE        0x43
#define PIT_GATE        0x61            /* bit 0: ch2 gate, bit 5: ch2 out */
#define CALIBRATE_MS    50

#define HPET_CAPS       0x000       /* bits 63:32: period in fs */
#define HPET_CAPS_64BIT (1UL << 13)
#define HPET_CONFIG     0x010       /* bit 0: counter enabled */
#define HPET_COUNTER    0x0f0
#define FS_PER_MS       1000000000000UL

static char opt_clocksource[8];
string_param("clocksource", opt_clocksource);

unsigned long tsc_khz;
static uint64_t tsc_origin;
static uint64_t ns_per_tick_32;         /* ns per tick, 32.32 */
static uint64_t ticks_per_ns_32;        /* ticks per ns, 32.32 */

/*
 * Counts TSC ticks across CALIBRATE_MS of PIT channel 2 in one-shot
 * mode: the gate starts the count, OUT rises when it reaches zero.
 */
static uint64_t __init pit_calibrate_tsc(void)
{
    unsigned long count = PIT_HZ * CALIBRATE_MS / 1000;
    uint64_t start, end;
    uint8_t gate = inb(PIT_GATE);

    /* Gate low and speaker off while programming. */
    outb(gate & ~0x03, PIT_GATE);
    outb(0xb0, PIT_MODE);               /* ch2, lo/hi byte, mode 0, binary */
    outb(count & 0xff, PIT_CH2);
    outb(count >> 8, PIT_CH2);

    start = rdtsc_ordered();
    outb((gate & ~0x02) | 0x01, PIT_GATE);
    while ( !(inb(PIT_GATE) & 0x20) )
        ;
    end = rdtsc_ordered();
    outb(gate, PIT_GATE);

    return end - start;
}

/* TSC ticks across CALIBRATE_MS of HPET ticks; 0 if it cannot. */
static uint64_t __init hpet_calibrate_tsc(void)
{
    volatile uint64_t *hpet = ioremap(acpi_hpet_address, PAGE_SIZE);
    uint64_t caps, period, need, start, end, c0, mask = ~0UL;

    if ( !hpet )
        return 0;
    caps = hpet[HPET_CAPS / 8];
    period = caps >> 32;
    /* A 32-bit counter wraps every few seconds: compare modulo 2^32. */
    if ( !(caps & HPET_CAPS_64BIT) )
        mask = 0xffffffffUL;
    /* The specification caps the period at 100 ns. */
    if ( !period || period > 100000000UL )
    {
        iounmap((void __iomem *)hpet);
        return 0;
    }
    hpet[HPET_CONFIG / 8] |= 1;
    need = CALIBRATE_MS * FS_PER_MS / period;

    c0 = hpet[HPET_COUNTER / 8];
    start = rdtsc_ordered();
    while ( ((hpet[HPET_COUNTER / 8] - c0) & mask) < need )
        ;
    end = rdtsc_ordered();
    iounmap((void __iomem *)hpet);

    return end - start;
}

void __init early_time_init(void)
{
    const char *source = "the PIT";
    uint64_t ticks = 0;

    if ( opt_clocksource[0] && strcmp(opt_clocksource, "pit") &&
         strcmp(opt_clocksource, "hpet") )
        printk(XENLOG_WARNING "clocksource=%s: unknown (pit, hpet); "
               "using the default\n", opt_clocksource);
    if ( acpi_hpet_address && strcmp(opt_clocksource, "pit") )
    {
        ticks = hpet_calibrate_tsc();
        if ( ticks )
            source = "the HPET";
    }
    if ( !ticks )
        ticks = pit_calibrate_tsc();

    tsc_khz = ticks / CALIBRATE_MS;
    if ( !tsc_khz )
        panic("TSC calibration failed: %lu ticks in %u ms", ticks,
              CALIBRATE_MS);
    ns_per_tick_32 = (1000000ULL << 32) / tsc_khz;
    ticks_per_ns_32 = ((uint64_t)tsc_khz << 32) / 1000000;
    tsc_origin = rdtsc_ordered();
    printk("TSC: %lu.%03lu MHz (calibrated against %s)\n",
           tsc_khz / 1000, tsc_khz % 1000, source);
}

s_time_t tsc_to_ns(uint64_t ticks)
{
    return ((unsigned __int128)ticks * ns_per_tick_32) >> 32;
}

uint64_t ns_to_tsc(s_time_t ns)
{
    return ((unsigned __int128)ns * ticks_per_ns_32) >> 32;
}

s_time_t NOW(void)
{
    return tsc_to_ns(rdtsc_ordered() - tsc_origin);
}

s_time_t tsc_stamp_to_now(uint64_t tsc)
{
    return tsc_to_ns(tsc - tsc_origin);
}

void udelay(unsigned long us)
{
    uint64_t end = rdtsc_ordered() + us * tsc_khz / 1000;

    while ( rdtsc_ordered() < end )
        __asm__ __volatile__ ( "pause" );
}

void mdelay(unsigned long ms)
{
    while ( ms-- )
        udelay(1000);
}

/* ------------------------------------------------------------------------
 * The local APIC timer: one-shot, in TSC-deadline mode where offered.
 */

static bool tsc_deadline;
static unsigned long apic_timer_khz;    /* one-shot mode, divide by 1 */

static void apic_timer_interrupt(struct cpu_user_regs *regs)
{
    apic_eoi();
    raise_softirq(TIMER_SOFTIRQ);
}

/* Counts the APIC timer's ticks across 10 ms of TSC time. */
static void __init calibrate_apic_timer(void)
{
    uint32_t left;

    apic_write(APIC_TDCR, APIC_TDR_DIV_1);
    apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
    apic_write(APIC_TMICT, 0xffffffffU);
    udelay(10000);
    left = apic_read(APIC_TMCCT);
    apic_write(APIC_TMICT, 0);
    apic_timer_khz = (0xffffffffU - left) / 10;
    if ( !apic_timer_khz )
        panic("local APIC timer does not count");
}

void apic_timer_init_cpu(void)
{
    if ( !smp_processor_id() )
    {
        uint32_t eax, ebx, ecx, edx;

        cpuid(1, &eax, &ebx, &ecx, &edx);
        tsc_deadline = ecx & CPUID1_ECX_TSC_DEADLINE;
        if ( !tsc_deadline )
            calibrate_apic_timer();
        set_intr_handler(LOCAL_TIMER_VECTOR, apic_timer_interrupt);
        if ( tsc_deadline )
            printk("Local APIC timer: TSC-deadline mode\n");
        else
            printk("Local APIC timer: one-shot mode, %lu.%03lu MHz\n",
                   apic_timer_khz / 1000, apic_timer_khz % 1000);
    }

    apic_write(APIC_TDCR, APIC_TDR_DIV_1);
    apic_write(APIC_LVTT, LOCAL_TIMER_VECTOR |
                          (tsc_deadline ? APIC_TIMER_TSC_DEADLINE
                                        : APIC_TIMER_ONESHOT));
}

void reprogram_timer(s_time_t deadline)
{
    s_time_t delta;
    uint64_t count;

    if ( tsc_deadline )
    {
        /* 0 disarms; a TSC value already past fires at once. */
        wrmsr(MSR_TSC_DEADLINE,
              deadline ? tsc_origin + ns_to_tsc(deadline) : 0);
        return;
    }

    if ( !deadline )
    {
        apic_write(APIC_TMICT, 0);
        return;
    }
    /* Far deadlines fire early (after a second) and are re-armed. */
    delta = min(deadline - NOW(), SECONDS(1));
    count = delta <= 0 ? 1 : (uint64_t)delta * apic_timer_khz / 1000000;
    if ( count > 0xffffffffU )
        count = 0xffffffffU;
    apic_write(APIC_TMICT, count ? count : 1);
}
