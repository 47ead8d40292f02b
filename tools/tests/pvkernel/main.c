/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry from the hypervisor and the check runner. Command-line options
 * (start_info.cmd_line, space-separated):
 *   only=PREFIX   run only the checks whose name starts with PREFIX
 *   crash         after the checks, fault with no handler installed, the
 *                 way a dead dom0 looks to the hypervisor
 *   loop          after the checks, stay idle (blocked) instead of powering
 *                 off
 *   grant_hold    after the checks, leave two of its own grants mapped
 *                 (for the hypervisor's page audit)
 *   peer=ID       the other domain of a dom0/domU pair (default: 1 as
 *                 dom0, 0 as a domU)
 *   bench         instead of the checks, time PV operations (bench.c)
 * As a domU (no SIF_INITDOMAIN) the same checks run, expecting a domU's
 * answers where privilege matters, plus the domU-only ones.
 *   fuzz=N        before the checks, N random hypercalls (fuzz.c); after
 *                 them, one summary line
 *   fuzz_seed=S   the fuzzer's seed (decimal or 0x hex; default 1)
 *   fuzz_log=K    print each fuzz call from the K-th on, before it is made
 *   console_flood=BYTES
 *                 a domU's check console_share_of_the_line writes BYTES
 *                 through its console ring, then through console_io
 *                 (check-console.c); without it that check is skipped
 */
#include <stdarg.h>

#include "pvkernel.h"

start_info_t *start_info;
shared_info_t *shared;
vcpu_info_t *vcpu_info_of[2];
unsigned long *p2m;
unsigned long *m2p;
unsigned long m2p_start, m2p_end;
domid_t peer_domid;
domid_t my_domid;

/*
 * A PV guest is not told its domain id (Linux reads it from xenstore).
 * An unbound port allocated for DOMID_SELF names the caller by id in
 * its status: that is how the test kernel learns it.
 */
static domid_t find_my_domid(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
                                      .remote_dom = DOMID_SELF };
    struct evtchn_status st = { .dom = DOMID_SELF };
    struct evtchn_close c;

    if ( HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a) )
        crash("cannot allocate an event channel to learn the domain id");
    st.port = c.port = a.port;
    if ( HYPERVISOR_event_channel_op(EVTCHNOP_status, &st) ||
         st.status != EVTCHNSTAT_unbound )
        crash("cannot read the status of a new event channel");
    HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
    return st.u.unbound.dom;
}

struct pv_jmp_buf *check_jmp;
char unexpected_trap[160];

extern const struct pvtest __start_pvtests[], __stop_pvtests[];
int vsnprintf_pv(char *buf, size_t size, const char *fmt, va_list ap);

static struct pv_jmp_buf check_recovery;
static unsigned int failures_in_check;
static char first_failure[256];
static char skip_reason[128];

static char cmdline[MAX_GUEST_CMDLINE];

bool on_xenon(void)
{
    static xen_extraversion_t extra;

    if ( !extra[0] )
        HYPERVISOR_xen_version(XENVER_extraversion, extra);
    return strstr(extra, "xenon") != NULL;
}

void poweroff(unsigned int reason)
{
    struct sched_shutdown sd = { .reason = reason };

    for ( ;; )
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
}

void crash(const char *why)
{
    printk("pvtest: fatal: %s\n", why);
    poweroff(SHUTDOWN_crash);
}

long hypercall_any(unsigned int nr, unsigned long a1, unsigned long a2,
                   unsigned long a3)
{
    register unsigned long rdi asm("rdi") = a1;
    register unsigned long rsi asm("rsi") = a2;
    register unsigned long rdx asm("rdx") = a3;
    long ret;

    asm volatile ( "call *%[target]"
                   : "=a" (ret), "+r" (rdi), "+r" (rsi), "+r" (rdx)
                   : [target] "r" (hypercall_page + nr * 32)
                   : "memory", "rcx", "r11", "r8", "r9", "r10" );
    return ret;
}

void fail(const char *fmt, ...)
{
    va_list ap;

    if ( failures_in_check++ )
        return;
    va_start(ap, fmt);
    vsnprintf_pv(first_failure, sizeof(first_failure), fmt, ap);
    va_end(ap);
}

void expect_eq(long long got, long long want, const char *what, int line)
{
    char name[48];
    size_t n = strlen(what);

    if ( got == want )
        return;
    /* A hypercall macro expands to a statement expression: name the line. */
    if ( n >= sizeof(name) || strstr(what, "asm") )
        snprintf(name, sizeof(name), "line %d", line);
    else
        snprintf(name, sizeof(name), "%s (line %d)", what, line);
    fail("%s: expected %lld (%#llx), got %lld (%#llx)", name, want,
         (unsigned long long)want, got, (unsigned long long)got);
}

void check_abort(void)
{
    pv_longjmp(&check_recovery, 1);
}

void check_skip(const char *why)
{
    snprintf(skip_reason, sizeof(skip_reason), "%s", why);
    pv_longjmp(&check_recovery, 1);
}

/* The value of option name=... on the command line, or NULL. */
static const char *option(const char *name, char *val, size_t size)
{
    size_t n = strlen(name);

    for ( const char *p = cmdline; *p; )
    {
        while ( *p == ' ' )
            p++;
        if ( !strncmp(p, name, n) && (p[n] == '=' || p[n] == ' ' || !p[n]) )
        {
            size_t i = 0;

            p += n;
            if ( *p == '=' )
                p++;
            while ( *p && *p != ' ' && i + 1 < size )
                val[i++] = *p++;
            val[i] = '\0';
            return val;
        }
        while ( *p && *p != ' ' )
            p++;
    }
    return NULL;
}

bool option_set(const char *name)
{
    char val[8];

    return option(name, val, sizeof(val)) != NULL;
}

/* A decimal or 0x-prefixed hexadecimal number; 0 if there is none. */
static unsigned long long parse_number(const char *s)
{
    unsigned long long v = 0;
    unsigned int base = 10;

    if ( s[0] == '0' && (s[1] == 'x' || s[1] == 'X') )
    {
        base = 16;
        s += 2;
    }
    for ( ; *s; s++ )
    {
        unsigned int d;

        if ( *s >= '0' && *s <= '9' )
            d = *s - '0';
        else if ( base == 16 && (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f' )
            d = (*s | 0x20) - 'a' + 10;
        else
            break;
        v = v * base + d;
    }
    return v;
}

unsigned long option_number(const char *name)
{
    char num[24];

    return option(name, num, sizeof(num)) ? parse_number(num) : 0;
}

/* The setjmp lives here, away from the runner's loop variables. */
static void run_one(const struct pvtest *t)
{
    if ( !pv_setjmp(&check_recovery) )
    {
        check_jmp = &check_recovery;
        t->fn();
    }
    else if ( !failures_in_check && !skip_reason[0] && unexpected_trap[0] )
        fail("%s", unexpected_trap);
    check_jmp = NULL;
}

enum outcome { PASSED, FAILED, SKIPPED };

/* Runs one check from a clean state and prints its line. */
static enum outcome run_and_report(const struct pvtest *t)
{
    failures_in_check = 0;
    first_failure[0] = '\0';
    skip_reason[0] = '\0';
    /* Every check starts from the same trap table and masked events. */
    install_trap_table();
    vcpu_info_of[0]->evtchn_upcall_mask = 1;
    memset(events_seen, 0, sizeof(events_seen));
    run_one(t);
    unexpected_trap[0] = '\0';
    trap_catch_end();
    trap_hook = NULL;
    event_hook = NULL;
    scratch_reset();
    if ( skip_reason[0] && !failures_in_check )
    {
        printk("pvtest: skip %s: %s\n", t->name, skip_reason);
        return SKIPPED;
    }
    if ( failures_in_check )
    {
        if ( failures_in_check > 1 )
            printk("pvtest: FAIL %s: %s (and %u more)\n", t->name,
                   first_failure, failures_in_check - 1);
        else
            printk("pvtest: FAIL %s: %s\n", t->name, first_failure);
        return FAILED;
    }
    printk("pvtest: ok %s\n", t->name);
    return PASSED;
}

static void run_checks(const char *only)
{
    unsigned int count[3] = { 0 };

    for ( const struct pvtest *t = __start_pvtests; t < __stop_pvtests; t++ )
        if ( !only || !strncmp(t->name, only, strlen(only)) )
            count[run_and_report(t)]++;
    if ( count[SKIPPED] )
        printk("pvtest: %u passed, %u failed, %u skipped\n", count[PASSED],
               count[FAILED], count[SKIPPED]);
    else
        printk("pvtest: %u passed, %u failed\n", count[PASSED],
               count[FAILED]);
}

void pvkernel_main(start_info_t *si);
void pvkernel_main(start_info_t *si)
{
    struct xen_machphys_mapping mm = { 0 };
    char only[64], flag[8], num[24];
    const char *only_p;

    start_info = si;
    p2m = (unsigned long *)si->mfn_list;
    memcpy(cmdline, si->cmd_line, sizeof(cmdline) - 1);
    printk("pvtest: Xenon PV test kernel, VIRT_BASE %#lx, cmdline \"%s\"\n",
           KERNEL_VIRT_BASE, cmdline);

    if ( HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mm) == 0 )
    {
        m2p_start = mm.v_start;
        m2p_end = mm.v_end;
    }
    else
    {
        m2p_start = MACH2PHYS_VIRT_START;
        m2p_end = MACH2PHYS_VIRT_END;
    }
    m2p = (unsigned long *)m2p_start;

    /*
     * The page at VIRT_BASE holds nothing of ours: unmap it, so that in
     * the VIRT_BASE 0 build a null pointer faults as it does elsewhere.
     */
    if ( HYPERVISOR_update_va_mapping(KERNEL_VIRT_BASE, 0, UVMF_INVLPG) )
        crash("cannot unmap the page at VIRT_BASE");

    /* shared_info is given as a machine address: map it at a free page. */
    shared = (shared_info_t *)scratch_page();
    if ( HYPERVISOR_update_va_mapping((unsigned long)shared,
                                      si->shared_info | _PAGE_PRESENT |
                                      _PAGE_RW | _PAGE_USER, UVMF_INVLPG) )
        crash("cannot map shared_info");
    vcpu_info_of[0] = &shared->vcpu_info[0];
    vcpu_info_of[1] = &shared->vcpu_info[1];
    traps_init();

    peer_domid = is_dom0() ? 1 : 0;
    if ( option("peer", only, sizeof(only)) )
    {
        peer_domid = 0;
        for ( const char *p = only; *p >= '0' && *p <= '9'; p++ )
            peer_domid = peer_domid * 10 + (*p - '0');
    }
    my_domid = find_my_domid();
    printk("pvtest: running as %s, peer domain %u\n",
           is_dom0() ? "dom0" : "a domU", peer_domid);
    printk("pvtest: info: domain id %u\n", my_domid);
    if ( option("fuzz", num, sizeof(num)) )
    {
        unsigned long n = parse_number(num);
        uint64_t seed = 1;
        unsigned long log_from = 0;

        if ( option("fuzz_seed", num, sizeof(num)) )
            seed = parse_number(num);
        if ( option("fuzz_log", num, sizeof(num)) )
            log_from = parse_number(num);
        fuzz_run(n, seed, log_from);
    }

    if ( option("bench", flag, sizeof(flag)) )
    {
        /*
         * Instead of the checks: they would leave ports, grants and
         * tables behind that change what the operations cost.
         */
        static const struct pvtest bench = { "bench", pv_bench };

        run_and_report(&bench);
    }
    else
    {
        only_p = option("only", only, sizeof(only));
        run_checks(only_p);
    }
    fuzz_report();

    if ( option("crash", flag, sizeof(flag)) )
    {
        printk("pvtest: crashing on purpose\n");
        /* No handler survives: a fault on a bad address, like a panic. */
        HYPERVISOR_set_trap_table(NULL);     /* NULL clears the table */
        *(volatile unsigned long *)0xdead000000000000UL = 1;
    }
    if ( option("grant_hold", flag, sizeof(flag)) )
        grant_hold_for_audit();
    if ( option("loop", flag, sizeof(flag)) )
    {
        printk("pvtest: idle (loop)\n");
        /* Blocked, not yielding: a peer domain gets the CPUs. */
        for ( ;; )
            HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    }
    poweroff(SHUTDOWN_poweroff);
}
