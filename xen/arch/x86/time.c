/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TSC as the system clock: calibrated once against the PIT (whose
 * input clock, 1.193182 MHz, is the one fixed frequency every PC has),
 * then converted to nanoseconds with a 32.32 fixed-point scale.
 */
#include <asm/io.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/time.h>

#define PIT_HZ          1193182UL
#define PIT_CH2         0x42
#define PIT_MODE        0x43
#define PIT_GATE        0x61            /* bit 0: ch2 gate, bit 5: ch2 out */
#define CALIBRATE_MS    50

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

void __init early_time_init(void)
{
    uint64_t ticks = pit_calibrate_tsc();

    tsc_khz = ticks / CALIBRATE_MS;
    if ( !tsc_khz )
        panic("TSC calibration failed: %lu ticks in %u ms", ticks,
              CALIBRATE_MS);
    ns_per_tick_32 = (1000000ULL << 32) / tsc_khz;
    ticks_per_ns_32 = ((uint64_t)tsc_khz << 32) / 1000000;
    tsc_origin = rdtsc_ordered();
    printk("TSC: %lu.%03lu MHz (calibrated against the PIT)\n",
           tsc_khz / 1000, tsc_khz % 1000);
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
