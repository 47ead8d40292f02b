/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * printk() and the console.
 *
 * Every byte printed goes to conring, a ring kept from the first line on,
 * and, once console_init() has run, to the chosen devices. Each output
 * line starts with "(XEN) ". A message may start with a XENLOG_* prefix;
 * messages above the "loglvl=" threshold are dropped.
 *
 * Boot CPU only for now: no lock yet (SMP adds one).
 */
#include <asm/acpi.h>
#include <xen/console.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/serial.h>
#include <xen/string.h>
#include <xen/hypercall.h>
#include <xen/sched.h>
#include <asm/guest_access.h>
#include <public/xen.h>

#define CONRING_SIZE (1U << 16)

/* Everything printed; conring_prod counts bytes ever written. */
static char conring[CONRING_SIZE];
static size_t conring_prod;

/* Devices chosen by "console=": bit n = serial handle n. */
static unsigned int console_serial_mask = 1U << SERHND_COM1;
static bool console_started;

/* At a line start the next byte printed gets the "(XEN) " prefix. */
static bool at_line_start = true;

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

/* Writes text, putting the "(XEN) " prefix at every line start. */
static void console_emit(const char *s, size_t len)
{
    static const char prefix[] = "(XEN) ";

    while ( len )
    {
        const char *nl = memchr(s, '\n', len);
        size_t chunk = nl ? (size_t)(nl - s) + 1 : len;

        if ( at_line_start )
        {
            conring_put(prefix, sizeof(prefix) - 1);
            if ( console_started )
                devices_write(prefix, sizeof(prefix) - 1);
        }
        conring_put(s, chunk);
        if ( console_started )
            devices_write(s, chunk);
        at_line_start = nl != NULL;
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

/*
 * One CPU prints at a time, with interrupts off. A CPU that already
 * holds the lock (an NMI or a fatal trap inside printk) prints without
 * it rather than deadlock on itself: a garbled line beats no report.
 */
static DEFINE_SPINLOCK(console_lock);

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

/*
 * console_io: dom0 writes to the serial line, unprefixed, as Xen does;
 * other domains get nothing (there are none yet). Reading returns no
 * characters: the serial driver has no input path yet.
 */
#define GUEST_WRITE_CHUNK 128

long do_console_io(unsigned long cmd, unsigned long count,
                   unsigned long buffer)
{
    char buf[GUEST_WRITE_CHUNK];
    unsigned long done = 0;

    if ( !current->domain->is_privileged )
        return -EPERM;

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
            flags = local_irq_save();
            spin_lock(&console_lock);
            conring_put(buf, n);
            if ( console_started )
                devices_write(buf, n);
            at_line_start = buf[n - 1] == '\n';
            spin_unlock(&console_lock);
            local_irq_restore(flags);
            done += n;
        }
        return 0;

    case CONSOLEIO_read:
        return 0;

    default:
        return -ENOSYS;
    }
}
