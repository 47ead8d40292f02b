/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * printk() and the console.
 *
 * Every byte printed goes to conring, a ring kept from the first line on,
 * and, once console_init() has run, to the chosen devices. Each output
 * line starts with "(XEN) ". A message may start with a XENLOG_* prefix;
 * messages above the "loglvl=" threshold are dropped.
 *
 * Input (the second half of this file): bytes from the UARTs go either
 * to dom0, through a ring that CONSOLEIO_read empties, or to the
 * hypervisor's debug keys, queued for KEYPRESS_SOFTIRQ on CPU0; the
 * switch character typed three times in a row toggles between the two.
 * docs/designs/console.md has the whole path.
 */
#include <asm/acpi.h>
#include <xen/console.h>
#include <xen/event.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/serial.h>
#include <xen/string.h>
#include <xen/hypercall.h>
#include <xen/init.h>
#include <xen/keyhandler.h>
#include <xen/sched.h>
#include <xen/softirq.h>
#include <asm/guest_access.h>
#include <public/xen.h>

#include "console-input.h"

#define CONRING_SIZE (1U << 16)

/* Everything printed; conring_prod counts bytes ever written. */
static char conring[CONRING_SIZE];
static size_t conring_prod;

/* Guest bytes are copied in and out through a buffer of this size. */
#define GUEST_WRITE_CHUNK 128

/* Devices chosen by "console=": bit n = serial handle n. */
static unsigned int console_serial_mask = 1U << SERHND_COM1;
static bool console_started;

/*
 * One CPU prints at a time, with interrupts off. A CPU that already
 * holds the lock (an NMI or a fatal trap inside printk) prints without
 * it rather than deadlock on itself: a garbled line beats no report.
 */
static DEFINE_SPINLOCK(console_lock);

/*
 * Whose line the wire is in the middle of: none at a line start, where
 * the hypervisor's next byte gets the "(XEN) " prefix. A writer that
 * finds another's line open ends it first, so that every line on the
 * wire is one writer's and each of the hypervisor's starts with the
 * prefix, even after a shell prompt that has no newline.
 */
enum line_owner { LINE_NONE, LINE_XEN, LINE_DOM0, LINE_DOMU };
static enum line_owner line_owner = LINE_NONE;

enum { LVL_ERR, LVL_WARNING, LVL_INFO, LVL_DEBUG };

#ifdef CONFIG_DEBUG
static unsigned int loglvl_threshold = LVL_DEBUG;
#else
static unsigned int loglvl_threshold = LVL_INFO;
#endif

static const char *const loglvl_names[] = {
    [LVL_ERR] = "error",
    [LVL_WARNING] = "warning",
    [LVL_INFO] = "info",
    [LVL_DEBUG] = "debug",
};

/*
 * loglvl=<level>[/<level>]: none, error, warning, info, debug or all.
 * Xen's second level applies to rate-limited messages, which Xenon does
 * not have yet; it is accepted and checked, but has no effect.
 */
static int parse_loglvl_word(const char *s, const char *e, int *lvl)
{
    unsigned int i;

    if ( e - s == 4 && !strncmp(s, "none", 4) )
    {
        *lvl = -1;
        return 0;
    }
    if ( e - s == 3 && !strncmp(s, "all", 3) )
    {
        *lvl = LVL_DEBUG;
        return 0;
    }
    for ( i = 0; i < ARRAY_SIZE(loglvl_names); i++ )
        if ( (size_t)(e - s) == strlen(loglvl_names[i]) &&
             !strncmp(s, loglvl_names[i], e - s) )
        {
            *lvl = i;
            return 0;
        }

    return -EINVAL;
}

static bool loglvl_none;

static int parse_loglvl(const char *s)
{
    const char *slash = strchr(s, '/');
    const char *end = slash ? slash : s + strlen(s);
    int lvl, ignored;

    if ( parse_loglvl_word(s, end, &lvl) ||
         (slash && parse_loglvl_word(slash + 1, slash + 1 + strlen(slash + 1),
                                     &ignored)) )
        return -EINVAL;

    loglvl_none = lvl < 0;
    loglvl_threshold = lvl < 0 ? 0 : lvl;
    return 0;
}
custom_param("loglvl", parse_loglvl);

/* console=<dev>[,<dev>...] with dev one of com1, com2, none. */
static int parse_console(const char *s)
{
    unsigned int mask = 0;

    while ( *s )
    {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);

        if ( len == 4 && !strncmp(s, "com1", 4) )
            mask |= 1U << SERHND_COM1;
        else if ( len == 4 && !strncmp(s, "com2", 4) )
            mask |= 1U << SERHND_COM2;
        else if ( !(len == 4 && !strncmp(s, "none", 4)) )
            return -EINVAL;
        s += len + (e != NULL);
    }

    console_serial_mask = mask;
    return 0;
}
custom_param("console", parse_console);

static void devices_write(const char *s, size_t len)
{
    unsigned int h;

    for ( h = 0; h < 2; h++ )
        if ( console_serial_mask & (1U << h) )
            ns16550_write(h, s, len);
}

static void conring_put(const char *s, size_t len)
{
    for ( ; len; len--, s++ )
        conring[conring_prod++ % CONRING_SIZE] = *s;
}

static void emit_raw(const char *s, size_t len)
{
    conring_put(s, len);
    if ( console_started )
        devices_write(s, len);
}

/* console_lock held: owner is about to write; end anyone else's line. */
static void claim_line(enum line_owner owner)
{
    /* Also for a nested printk, which runs without taking it again. */
    ASSERT(spin_is_locked_by_me(&console_lock));
    if ( line_owner != LINE_NONE && line_owner != owner )
    {
        emit_raw("\n", 1);
        line_owner = LINE_NONE;
    }
}

/* Writes text, putting the "(XEN) " prefix at every line start. */
static void console_emit(const char *s, size_t len)
{
    static const char prefix[] = "(XEN) ";

    if ( len )
        claim_line(LINE_XEN);
    while ( len )
    {
        const char *nl = memchr(s, '\n', len);
        size_t chunk = nl ? (size_t)(nl - s) + 1 : len;

        if ( line_owner == LINE_NONE )
            emit_raw(prefix, sizeof(prefix) - 1);
        emit_raw(s, chunk);
        line_owner = nl ? LINE_NONE : LINE_XEN;
        s += chunk;
        len -= chunk;
    }
}

/* Strips a "<n>" level prefix; returns the level (INFO if none). */
static unsigned int take_level(const char **fmt)
{
    const char *f = *fmt;

    if ( f[0] == '<' && f[1] >= '0' && f[1] <= '3' && f[2] == '>' )
    {
        *fmt = f + 3;
        return f[1] - '0';
    }

    return LVL_INFO;
}

void vprintk(const char *fmt, va_list args)
{
    static char buf[1024];
    unsigned int lvl = take_level(&fmt);
    unsigned long flags;
    bool nested;
    int len;

    if ( loglvl_none || lvl > loglvl_threshold )
        return;

    flags = local_irq_save();
    nested = spin_is_locked_by_me(&console_lock);
    if ( !nested )
        spin_lock(&console_lock);
    len = vscnprintf(buf, sizeof(buf), fmt, args);
    console_emit(buf, len);
    if ( !nested )
        spin_unlock(&console_lock);
    local_irq_restore(flags);
}

void printk(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vprintk(fmt, args);
    va_end(args);
}

void console_init(void)
{
    unsigned int h;
    size_t start;

    for ( h = 0; h < 2; h++ )
        if ( (console_serial_mask & (1U << h)) && !ns16550_init(h) )
            console_serial_mask &= ~(1U << h);

    /* Replay what was printed before the devices existed. */
    start = conring_prod > CONRING_SIZE ? conring_prod - CONRING_SIZE : 0;
    for ( ; start < conring_prod; start++ )
        devices_write(&conring[start % CONRING_SIZE], 1);
    console_started = true;
}

size_t console_bytes_written(void)
{
    return conring_prod;
}

void panic(const char *fmt, ...)
{
    static char buf[256];
    static bool panicking;
    va_list args;

    __asm__ __volatile__ ( "cli" );
    /* A second CPU panicking at the same time waits to be stopped. */
    if ( xchg(&panicking, true) )
        for ( ;; )
            __asm__ __volatile__ ( "hlt" );
    /* Another CPU may have been stopped while printing. */
    if ( !spin_is_locked_by_me(&console_lock) )
        spin_lock_init(&console_lock);
    va_start(args, fmt);
    vscnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);

    /* A panic is never filtered: lift the threshold. */
    loglvl_none = false;
    loglvl_threshold = LVL_DEBUG;
    if ( !console_started )
        console_init();

    printk(XENLOG_ERR "\n****************************************\n");
    printk(XENLOG_ERR "Panic on CPU %u:\n%s\n", smp_processor_id(), buf);
    printk(XENLOG_ERR "****************************************\n\n");
    smp_send_stop();

    if ( opt_noreboot )
    {
        printk(XENLOG_ERR "Manual reset required ('noreboot' specified)\n");
        machine_halt();
    }
    /* machine_restart() says "Rebooting"; 'noreboot' would halt instead. */
    machine_restart();
}

/* ---- input ------------------------------------------------------------ */

/*
 * conswitch=<letter>[x]: Ctrl-<letter> three times switches input; a
 * trailing x keeps input with the hypervisor at the end of boot rather
 * than handing it to dom0.
 */
static char conswitch_letter = 'a';
static bool conswitch_keep_xen;

static int parse_conswitch(const char *s)
{
    if ( s[0] < 'a' || s[0] > 'z' || (s[1] && strcmp(s + 1, "x")) )
        return -EINVAL;
    conswitch_letter = s[0];
    conswitch_keep_xen = s[1] == 'x';
    return 0;
}
custom_param("conswitch", parse_conswitch);

/*
 * Everything below rx_lock is touched from CPU0's UART interrupt, the
 * poll timers, KEYPRESS_SOFTIRQ and CONSOLEIO_read on any CPU: take it
 * with interrupts off, and keep it short. It nests outside console_lock
 * (a switch prints a line), never inside it.
 */
static DEFINE_SPINLOCK(rx_lock);
static bool input_to_dom0;               /* else to the debug keys */
static struct conswitch conswitch;       /* code set by console_init_postirq() */
static struct input_ring dom0_ring;      /* for CONSOLEIO_read */
static struct input_ring key_ring;       /* for KEYPRESS_SOFTIRQ */

/* Serialises readers, so a byte is copied out exactly once. */
static DEFINE_SPINLOCK(console_read_lock);

static void print_input_target(void)
{
    printk("*** Serial input to %s (type 'CTRL-%c' three times to switch "
           "input)\n", input_to_dom0 ? "DOM0" : "Xen", conswitch_letter);
}

/* rx_lock held. Without a dom0 there is only the hypervisor to go to. */
static void switch_input(void)
{
    input_to_dom0 = !input_to_dom0 && hardware_domain;
    print_input_target();
}

void console_input_notify(void)
{
    /*
     * Linux's hvc_xen has no poll timer once it has this VIRQ bound: the
     * event is its only cue to come and read.
     */
    send_global_virq(hardware_domain, VIRQ_CONSOLE);
}

static void console_rx_char(char c)
{
    char out[CONSWITCH_RUN];
    bool toggle, to_dom0 = false, to_keys = false;
    unsigned long flags;
    unsigned int i, n;

    spin_lock_irqsave(&rx_lock, flags);
    n = conswitch_feed(&conswitch, c, out, &toggle);
    if ( toggle )
        switch_input();
    /* dom0 may be gone since the switch: the keys take over. */
    if ( input_to_dom0 && !hardware_domain )
        input_to_dom0 = false;
    for ( i = 0; i < n; i++ )
    {
        if ( input_to_dom0 )
            to_dom0 |= input_ring_put(&dom0_ring, out[i]);
        else
            to_keys |= input_ring_put(&key_ring, out[i]);
    }
    spin_unlock_irqrestore(&rx_lock, flags);

    if ( to_dom0 )
        console_input_notify();
    /* Never in the interrupt itself: a key may print for a long time. */
    if ( to_keys )
        cpu_raise_softirq(0, KEYPRESS_SOFTIRQ);
}

static void keypress_softirq(void)
{
    unsigned long flags;
    bool got;
    char c;

    for ( ;; )
    {
        spin_lock_irqsave(&rx_lock, flags);
        got = input_ring_get(&key_ring, &c);
        spin_unlock_irqrestore(&rx_lock, flags);
        if ( !got )
            break;
        handle_keypress(c);
    }
}

void __init console_init_postirq(void)
{
    unsigned int h;

    conswitch.code = conswitch_letter - 'a' + 1;
    open_softirq(KEYPRESS_SOFTIRQ, keypress_softirq);
    for ( h = 0; h < 2; h++ )
        if ( console_serial_mask & (1U << h) )
            ns16550_init_postirq(h, console_rx_char);
}

void __init console_endboot(void)
{
    unsigned long flags;

    spin_lock_irqsave(&rx_lock, flags);
    input_to_dom0 = hardware_domain && !conswitch_keep_xen;
    print_input_target();
    spin_unlock_irqrestore(&rx_lock, flags);
}

/* Copies up to count waiting bytes to the guest; nothing waiting is 0. */
static long console_read(unsigned long buffer, unsigned long count)
{
    char buf[GUEST_WRITE_CHUNK];
    unsigned long done = 0, flags;
    long rc = 0;

    spin_lock(&console_read_lock);
    while ( done < count )
    {
        unsigned int n;

        spin_lock_irqsave(&rx_lock, flags);
        n = input_ring_peek(&dom0_ring, buf, count - done < sizeof(buf)
                                             ? count - done : sizeof(buf));
        spin_unlock_irqrestore(&rx_lock, flags);
        if ( !n )
            break;
        /* Bytes leave the ring only once the guest has them. */
        if ( copy_to_guest_va(buffer + done, buf, n) )
        {
            rc = -EFAULT;
            break;
        }
        spin_lock_irqsave(&rx_lock, flags);
        input_ring_drop(&dom0_ring, n);
        spin_unlock_irqrestore(&rx_lock, flags);
        done += n;
    }
    spin_unlock(&console_read_lock);

    /* What was copied before a fault is reported, not lost. */
    return done ? (long)done : rc;
}

/*
 * A domU's line, complete or not, with the "(d<id>) " prefix Xen gives
 * guest output, in one piece: the lines of different domains never mix,
 * whatever the interleaving of their calls. Under the console lock,
 * which also guards the domain's line buffer.
 */
static void domain_line_emit(struct domain *d)
{
    char prefix[16];
    int n;

    if ( !d->console_len )
        return;
    claim_line(LINE_DOMU);
    n = snprintf(prefix, sizeof(prefix), "(d%u) ", d->domain_id);
    emit_raw(prefix, n);
    emit_raw(d->console_line, d->console_len);
    emit_raw("\n", 1);
    line_owner = LINE_NONE;
    d->console_len = 0;
}

/* Buffers a domU's bytes, printing each line once it ends (or fills). */
void console_domain_write(struct domain *d, const char *s, size_t n)
{
    unsigned long flags = local_irq_save();

    spin_lock(&console_lock);
    for ( ; n; n--, s++ )
    {
        if ( *s == '\n' )
        {
            domain_line_emit(d);
            continue;
        }
        /* A tty's "\r\n": the line is printed whole, the return is moot. */
        if ( *s == '\r' )
            continue;
        /* Nothing that could steer the terminal: printable, or a tab. */
        d->console_line[d->console_len++] =
            (*s >= ' ' && *s < 0x7f) || *s == '\t' ? *s : '?';
        if ( d->console_len == sizeof(d->console_line) )
            domain_line_emit(d);
    }
    spin_unlock(&console_lock);
    local_irq_restore(flags);
}

void console_domain_gone(struct domain *d)
{
    unsigned long flags;

    /* dom0's input ring and VIRQ go with it: the keys take over now. */
    if ( d == hardware_domain )
    {
        spin_lock_irqsave(&rx_lock, flags);
        if ( input_to_dom0 )
            switch_input();
        spin_unlock_irqrestore(&rx_lock, flags);
    }

    flags = local_irq_save();
    spin_lock(&console_lock);
    domain_line_emit(d);
    spin_unlock(&console_lock);
    local_irq_restore(flags);
    console_budget_report(d);
}

/*
 * console_io: dom0 writes to the serial line, unprefixed, as Xen does;
 * a domU's writes are printed a line at a time with its "(d<id>) "
 * prefix (Xen gives domUs this only in debug builds; Xenon has no other
 * console for them). Reading takes what serial input is waiting for
 * dom0, and is dom0's only (-EPERM for others, as Xen's XSM default).
 * Two vCPUs of one domU writing at once may interleave their bytes
 * within its line, never with other domains' lines.
 */

long do_console_io(unsigned long cmd, unsigned long count,
                   unsigned long buffer)
{
    char buf[GUEST_WRITE_CHUNK];
    unsigned long done = 0;
    struct domain *d = current->domain;

    switch ( cmd )
    {
    case CONSOLEIO_write:
        while ( done < count )
        {
            unsigned long n = count - done < sizeof(buf) ? count - done
                                                          : sizeof(buf);
            unsigned long flags;

            if ( copy_from_guest_va(buf, buffer + done, n) )
                return -EFAULT;
            if ( !d->is_privileged )
            {
                /* Over its share: dropped whole, and counted (as Xen's
                 * guest printk drops lines over its rate limit). */
                if ( console_budget_take_all(d, n) )
                    console_domain_write(d, buf, n);
                done += n;
                continue;
            }
            flags = local_irq_save();
            spin_lock(&console_lock);
            claim_line(LINE_DOM0);
            emit_raw(buf, n);
            line_owner = buf[n - 1] == '\n' ? LINE_NONE : LINE_DOM0;
            spin_unlock(&console_lock);
            local_irq_restore(flags);
            done += n;
        }
        return 0;

    case CONSOLEIO_read:
        if ( !d->is_privileged )
            return -EPERM;
        return console_read(buffer, count);

    default:
        return -ENOSYS;
    }
}
