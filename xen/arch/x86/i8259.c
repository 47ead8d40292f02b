/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The legacy 8259A pair. Firmware leaves the master on vectors 8-15,
 * where an interrupt would pass for a double fault or a page fault, so
 * both are reinitialised onto vectors of their own and masked; local
 * APIC and IO-APIC take over. Masking does not stop an 8259 from raising
 * a spurious IRQ 7 (or 15 on the slave) when a line drops before the CPU
 * acknowledges it, which is why the vectors still get handlers.
 */
#include <asm/acpi.h>
#include <asm/i8259.h>
#include <asm/io.h>
#include <asm/traps.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/selftest.h>

#define ICW1_INIT        0x10
#define ICW1_NEED_ICW4   0x01   /* edge triggered, cascaded */
#define ICW4_8086        0x01   /* no auto-EOI, not buffered */
#define OCW2_EOI         0x20   /* non-specific end of interrupt */
#define OCW3_READ_ISR    0x0b
#define SPURIOUS_LINE    7      /* what each chip raises for a lost line */
#define PIC_LINES        16

/* The ports of an ISA-era chip want a moment between writes. */
#define POST_PORT        0x80

unsigned long pic_spurious[2];
static uint16_t reported;   /* lines already reported as unexpected */

static void pic_outb(uint8_t v, uint16_t port)
{
    outb(v, port);
    outb(0, POST_PORT);
}

static bool in_service(uint16_t cmd, unsigned int line)
{
    outb(OCW3_READ_ISR, cmd);
    return inb(cmd) & (1U << line);
}

static void pic_interrupt(struct cpu_user_regs *regs)
{
    unsigned int irq = regs->vector - PIC_VECTOR_BASE;

    /* A spurious interrupt sets no in-service bit, so it is owed no EOI. */
    if ( irq == SPURIOUS_LINE && !in_service(PIC_MASTER_CMD, SPURIOUS_LINE) )
    {
        pic_spurious[0]++;
        return;
    }
    /* ... but the slave's went through the master's cascade line. */
    if ( irq == 8 + SPURIOUS_LINE &&
         !in_service(PIC_SLAVE_CMD, SPURIOUS_LINE) )
    {
        pic_spurious[1]++;
        outb(OCW2_EOI, PIC_MASTER_CMD);
        return;
    }

    if ( !(reported & (1U << irq)) )
    {
        reported |= 1U << irq;
        printk(XENLOG_WARNING "8259: unexpected IRQ %u (vector %#x) while "
               "masked; not reported again\n", irq, irq + PIC_VECTOR_BASE);
    }
    if ( irq >= 8 )
        outb(OCW2_EOI, PIC_SLAVE_CMD);
    outb(OCW2_EOI, PIC_MASTER_CMD);
}

void __init pic_disable(void)
{
    unsigned int i;

    if ( !acpi_madt.pcat_compat )
    {
        printk("8259: the MADT says there are none; left alone\n");
        return;
    }

    for ( i = 0; i < PIC_LINES; i++ )
        set_intr_handler(PIC_VECTOR_BASE + i, pic_interrupt);

    /* ICW1 starts the sequence; ICW2-4 follow on the data port. */
    pic_outb(ICW1_INIT | ICW1_NEED_ICW4, PIC_MASTER_CMD);
    pic_outb(ICW1_INIT | ICW1_NEED_ICW4, PIC_SLAVE_CMD);
    pic_outb(PIC_VECTOR_BASE, PIC_MASTER_DATA);
    pic_outb(PIC_VECTOR_BASE + 8, PIC_SLAVE_DATA);
    pic_outb(1U << PIC_CASCADE_IRQ, PIC_MASTER_DATA);
    pic_outb(PIC_CASCADE_IRQ, PIC_SLAVE_DATA);
    pic_outb(ICW4_8086, PIC_MASTER_DATA);
    pic_outb(ICW4_8086, PIC_SLAVE_DATA);

    /* Initialisation cleared the masks: set them all now. */
    pic_outb(0xff, PIC_MASTER_DATA);
    pic_outb(0xff, PIC_SLAVE_DATA);

    printk("8259: moved to vectors %#x-%#x, all %u lines masked\n",
           PIC_VECTOR_BASE, PIC_VECTOR_BASE + PIC_LINES - 1, PIC_LINES);
}

/* ---- self-test ---------------------------------------------------------- */

static const char *selftest_i8259(void)
{
    unsigned long before[2] = { pic_spurious[0], pic_spurious[1] };
    uint8_t master, slave;

    if ( !acpi_madt.pcat_compat )
        return NULL;

    master = inb(PIC_MASTER_DATA);
    slave = inb(PIC_SLAVE_DATA);
    if ( master != 0xff || slave != 0xff )
        return selftest_fail("masks %#x/%#x, not all set", master, slave);

    /*
     * INT n looks exactly like a spurious interrupt to the handler: no
     * line in service. Each must be counted, on its own chip's counter
     * (a real spurious one may add to it meanwhile: interrupts are on).
     */
    __asm__ __volatile__ ( "int %0" :: "i" (PIC_VECTOR_BASE + 7) : "memory" );
    if ( pic_spurious[0] == before[0] || pic_spurious[1] != before[1] )
        return selftest_fail("INT %#x: spurious IRQ 7/15 counted %lu/%lu "
                             "times, not 1/0", PIC_VECTOR_BASE + 7,
                             pic_spurious[0] - before[0],
                             pic_spurious[1] - before[1]);
    before[0] = pic_spurious[0];
    __asm__ __volatile__ ( "int %0" :: "i" (PIC_VECTOR_BASE + 15)
                           : "memory" );
    if ( pic_spurious[1] == before[1] || pic_spurious[0] != before[0] )
        return selftest_fail("INT %#x: spurious IRQ 7/15 counted %lu/%lu "
                             "times, not 0/1", PIC_VECTOR_BASE + 15,
                             pic_spurious[0] - before[0],
                             pic_spurious[1] - before[1]);

    return NULL;
}
REGISTER_SELFTEST("i8259", selftest_i8259);
