/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Driver for 16550-compatible UARTs on I/O ports.
 *
 * Output polls the transmitter. Input comes in through the UART's
 * receive interrupt, its ISA IRQ routed by the IO-APIC to CPU0; where
 * that cannot be had (no IO-APIC, no IRQ, "com1=...,0") a timer on CPU0
 * polls the receiver every SERIAL_POLL_MS instead.
 */
#include <asm/io.h>
#include <asm/io_apic.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <xen/errno.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/serial.h>
#include <xen/string.h>
#include <xen/time.h>
#include <xen/timer.h>

#define UART_RBR 0 /* receive buffer (DLAB=0, read) */
#define UART_THR 0 /* transmit holding (DLAB=0, write) */
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_IER 1 /* interrupt enable (DLAB=0) */
#define UART_DLM 1 /* divisor latch high (DLAB=1) */
#define UART_IIR 2 /* interrupt identification (read) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7

#define LCR_DLAB    0x80
#define LSR_DR      0x01       /* a received byte is waiting */
#define LSR_THRE    0x20
#define MCR_DTR_RTS 0x03
#define MCR_OUT2    0x08       /* on PCs, gates the UART's IRQ line */
#define IER_ERDAI   0x01       /* interrupt on received data */
#define FCR_ENABLE_CLEAR 0x07

#define UART_CLOCK_HZ 1843200
#define BAUD_AUTO     0

/* The highest an ISA IRQ goes; 0 means "poll". */
#define MAX_ISA_IRQ   15
#define SERIAL_POLL_MS 10

/*
 * Bytes taken per interrupt or poll at most: a UART that never clears
 * its data-ready bit (or a flood) must not keep CPU0 in here forever.
 */
#define RX_BUDGET     256

struct ns16550 {
    uint16_t io_base;
    unsigned int baud;   /* BAUD_AUTO: keep the firmware's divisor */
    uint8_t lcr;         /* data bits, parity, stop bits */
    unsigned int irq;    /* ISA IRQ; 0: poll */
    bool ready;
    bool polling;        /* input through poll_timer, not the IRQ */
    serial_rx_fn rx;
    struct timer poll_timer;
};

static struct ns16550 uarts[2] = {
    { .io_base = 0x3f8, .baud = 115200, .lcr = 0x03, .irq = 4 },
    { .io_base = 0x2f8, .baud = 115200, .lcr = 0x03, .irq = 3 },
};

/* "8n1" -> LCR bits; -EINVAL if malformed. */
static int parse_dps(const char *s, const char *e, uint8_t *lcr)
{
    static const char parities[] = "noems";
    static const uint8_t parity_bits[] = { 0x00, 0x08, 0x18, 0x28, 0x38 };
    const char *p;

    if ( e - s != 3 || s[0] < '5' || s[0] > '8' || (s[2] != '1' && s[2] != '2') )
        return -EINVAL;
    p = strchr(parities, s[1]);
    if ( !p || !*p )
        return -EINVAL;

    *lcr = (s[0] - '5') | ((s[2] == '2') << 2) | parity_bits[p - parities];
    return 0;
}

/*
 * Parses <baud>[,<DPS>][,<io-base>][,<irq>] into a copy, committed only
 * if valid. Fields are told apart by their form, so any may be left out:
 * a number up to MAX_ISA_IRQ is the IRQ (no UART decodes ports 0-15),
 * a larger one the I/O base.
 */
static int parse_com(struct ns16550 *uart, const char *s)
{
    struct ns16550 new = *uart;
    const char *e;

    if ( !strncmp(s, "auto", 4) )
    {
        new.baud = BAUD_AUTO;
        e = s + 4;
    }
    else
    {
        new.baud = simple_strtoull(s, &e, 10);
        if ( e == s || new.baud < 50 || new.baud > 921600 )
            return -EINVAL;
    }

    while ( *e == ',' )
    {
        s = e + 1;
        e = strchr(s, ',');
        if ( !e )
            e = s + strlen(s);
        if ( e == s )
            continue;
        if ( s[0] >= '5' && s[0] <= '8' && e - s == 3 && s[1] > '9' )
        {
            if ( parse_dps(s, e, &new.lcr) )
                return -EINVAL;
        }
        else
        {
            const char *end;
            unsigned long long n = simple_strtoull(s, &end, 0);

            if ( end != e || n > 0xfff8 )
                return -EINVAL;
            if ( n <= MAX_ISA_IRQ )
                new.irq = n;
            else
                new.io_base = n;
        }
    }
    if ( *e )
        return -EINVAL;

    *uart = new;
    return 0;
}

static int parse_com1(const char *s)
{
    return parse_com(&uarts[SERHND_COM1], s);
}
custom_param("com1", parse_com1);

static int parse_com2(const char *s)
{
    return parse_com(&uarts[SERHND_COM2], s);
}
custom_param("com2", parse_com2);

bool ns16550_init(unsigned int handle)
{
    struct ns16550 *uart = &uarts[handle];
    uint16_t base = uart->io_base;

    /* A UART keeps what is written to its scratch register. */
    outb(0x5a, base + UART_SCR);
    if ( inb(base + UART_SCR) != 0x5a )
        return false;

    outb(0, base + UART_IER);
    if ( uart->baud != BAUD_AUTO )
    {
        unsigned int divisor = UART_CLOCK_HZ / 16 / uart->baud;

        outb(LCR_DLAB, base + UART_LCR);
        outb(divisor & 0xff, base + UART_DLL);
        outb(divisor >> 8, base + UART_DLM);
    }
    outb(uart->lcr, base + UART_LCR);
    outb(FCR_ENABLE_CLEAR, base + UART_FCR);
    outb(MCR_DTR_RTS, base + UART_MCR);
    uart->ready = true;

    return true;
}

static void ns16550_putc(const struct ns16550 *uart, char c)
{
    unsigned int spins = 0;

    /* Bounded: a dead UART must not hang the hypervisor. */
    while ( !(inb(uart->io_base + UART_LSR) & LSR_THRE) && ++spins < 1000000 )
        __asm__ __volatile__ ( "pause" );
    outb(c, uart->io_base + UART_THR);
}

void ns16550_write(unsigned int handle, const char *s, size_t len)
{
    const struct ns16550 *uart = &uarts[handle];

    if ( !uart->ready )
        return;
    for ( ; len; len--, s++ )
    {
        if ( *s == '\n' )
            ns16550_putc(uart, '\r');
        ns16550_putc(uart, *s);
    }
}

/* Hands every waiting byte (up to the budget) to the console. */
static void ns16550_receive(struct ns16550 *uart)
{
    unsigned int n;

    for ( n = 0; n < RX_BUDGET; n++ )
    {
        char c;

        if ( !(inb(uart->io_base + UART_LSR) & LSR_DR) )
            break;
        c = inb(uart->io_base + UART_RBR);
        if ( uart->rx )
            uart->rx(c);
    }
}

static void ns16550_poll(void *data)
{
    struct ns16550 *uart = data;

    ns16550_receive(uart);
    set_timer(&uart->poll_timer, NOW() + MILLISECS(SERIAL_POLL_MS));
}

/*
 * Edge-triggered: the UART raises its line again only once the receive
 * condition has been cleared, so take everything waiting before the EOI.
 */
static void ns16550_interrupt(struct ns16550 *uart)
{
    ns16550_receive(uart);
    (void)inb(uart->io_base + UART_IIR);
    apic_eoi();
}

static void com1_interrupt(struct cpu_user_regs *regs)
{
    ns16550_interrupt(&uarts[SERHND_COM1]);
}

static void com2_interrupt(struct cpu_user_regs *regs)
{
    ns16550_interrupt(&uarts[SERHND_COM2]);
}

static void __init start_polling(struct ns16550 *uart, unsigned int handle,
                                 const char *why)
{
    uart->polling = true;
    init_timer(&uart->poll_timer, ns16550_poll, uart, 0);
    set_timer(&uart->poll_timer, NOW() + MILLISECS(SERIAL_POLL_MS));
    printk("COM%u: input polled every %u ms (%s)\n", handle + 1,
           SERIAL_POLL_MS, why);
}

void __init ns16550_init_postirq(unsigned int handle, serial_rx_fn rx)
{
    static const uint8_t vectors[] = {
        [SERHND_COM1] = SERIAL_COM1_VECTOR,
        [SERHND_COM2] = SERIAL_COM2_VECTOR,
    };
    static const intr_handler_t handlers[] = {
        [SERHND_COM1] = com1_interrupt,
        [SERHND_COM2] = com2_interrupt,
    };
    struct ns16550 *uart = &uarts[handle];
    uint16_t base = uart->io_base;
    int gsi;

    if ( !uart->ready )
        return;
    uart->rx = rx;

    /* Whatever arrived before now is stale: typed at the boot loader. */
    while ( inb(base + UART_LSR) & LSR_DR )
        (void)inb(base + UART_RBR);

    if ( !uart->irq )
    {
        start_polling(uart, handle, "IRQ 0 asked for");
        return;
    }

    set_intr_handler(vectors[handle], handlers[handle]);
    gsi = io_apic_route_isa_irq(uart->irq, vectors[handle],
                                x86_cpu_to_apicid[0]);
    if ( gsi < 0 )
    {
        start_polling(uart, handle, gsi == -ERANGE
                      ? "CPU0's APIC ID does not fit an IO-APIC entry"
                      : "no IO-APIC pin for its IRQ");
        return;
    }

    outb(MCR_DTR_RTS | MCR_OUT2, base + UART_MCR);
    outb(IER_ERDAI, base + UART_IER);
    printk("COM%u: input through IRQ %u (GSI %d, vector %#x) on CPU0\n",
           handle + 1, uart->irq, gsi, vectors[handle]);
}
