/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Polling driver for 16550-compatible UARTs on I/O ports.
 */
#include <asm/io.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/serial.h>
#include <xen/string.h>

#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_IER 1 /* interrupt enable (DLAB=0) */
#define UART_DLM 1 /* divisor latch high (DLAB=1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7

#define LCR_DLAB    0x80
#define LSR_THRE    0x20
#define MCR_DTR_RTS 0x03
#define FCR_ENABLE_CLEAR 0x07

#define UART_CLOCK_HZ 1843200
#define BAUD_AUTO     0

struct ns16550 {
    uint16_t io_base;
    unsigned int baud;   /* BAUD_AUTO: keep the firmware's divisor */
    uint8_t lcr;         /* data bits, parity, stop bits */
    bool ready;
};

static struct ns16550 uarts[2] = {
    { .io_base = 0x3f8, .baud = 115200, .lcr = 0x03 },
    { .io_base = 0x2f8, .baud = 115200, .lcr = 0x03 },
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

/* Parses <baud>[,<DPS>][,<io-base>] into a copy, committed only if valid. */
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
            unsigned long long base = simple_strtoull(s, &end, 0);

            if ( end != e || !base || base > 0xfff8 )
                return -EINVAL;
            new.io_base = base;
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
