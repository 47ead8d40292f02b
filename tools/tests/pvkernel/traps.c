/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The trap table, the callbacks and do_trap(), which every exception
 * bounce and callback reaches through head.S. A trap is either caught
 * (trap_catch()/trap_resume() armed by a check), an event upcall, a
 * syscall from user mode, or unexpected: then the running check fails
 * and the runner goes on with the next one.
 */
#include "pvkernel.h"

struct caught_trap caught;
bool (*trap_hook)(struct trap_frame *f);
unsigned long events_seen[64];
void (*event_hook)(const struct trap_frame *f);
extern unsigned long iret_flags;

static struct pv_jmp_buf catch_jmp;
static enum { CATCH_NONE, CATCH_LONGJMP, CATCH_RESUME } catch_mode;
static unsigned int catch_skip;
static unsigned int upcalls;

/* Set by main.c: where an unexpected trap ends the running check. */
extern struct pv_jmp_buf *check_jmp;
extern char unexpected_trap[160];

#define T(v) extern char trap_##v[];
T(0) T(1) T(2) T(3) T(4) T(5) T(6) T(7) T(8) T(9) T(10) T(11) T(12) T(13)
T(14) T(16) T(17) T(18) T(19) T(0x80) T(0x81) T(0x100) T(0x101) T(0x102)
#undef T

/*
 * int3 and int $0x80 may be used from user space (DPL 3); int $0x81 is
 * kernel-only, so user code doing it gets #GP instead. Handlers run with
 * events masked (bit 2).
 */
#define E(v, dpl) { v, 4 | (dpl), FLAT_KERNEL_CS, (unsigned long)trap_##v }
trap_info_t trap_table[] = {
    E(0, 0), E(1, 0), E(2, 0), E(3, 3), E(4, 3), E(5, 0), E(6, 0), E(7, 0),
    E(8, 0), E(9, 0), E(10, 0), E(11, 0), E(12, 0), E(13, 0), E(14, 0),
    E(16, 0), E(17, 0), E(18, 0), E(19, 0), E(0x80, 3), E(0x81, 0),
    { 0, 0, 0, 0 },
};
#undef E

struct pv_jmp_buf *trap_catch(void)
{
    memset(&caught, 0, sizeof(caught));
    catch_mode = CATCH_LONGJMP;
    return &catch_jmp;
}

void trap_catch_end(void)
{
    catch_mode = CATCH_NONE;
}

void trap_resume(unsigned int skip)
{
    memset(&caught, 0, sizeof(caught));
    catch_mode = CATCH_RESUME;
    catch_skip = skip;
}

evtchn_port_t pend_self_event(void)
{
    struct evtchn_bind_ipi b = { .vcpu = 0 };
    struct evtchn_send s;

    EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b));
    s.port = b.port;
    EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_send, &s));
    return b.port;
}

enum upcall_place upcall_place(unsigned long rip)
{
    unsigned long entry = rip & ~31UL;      /* 32 bytes, one SYSCALL each */
    const uint8_t *p = (const uint8_t *)entry;

    if ( !rip )
        return UPCALL_NONE;
    /* A pending unmasked event comes on the call's return at the latest. */
    if ( rip < (unsigned long)hypercall_page ||
         rip >= (unsigned long)hypercall_page + PAGE_SIZE )
        return UPCALL_BEFORE_CALL;
    for ( ; (unsigned long)p < entry + 31; p++ )
        if ( p[0] == 0x0f && p[1] == 0x05 )
        {
            if ( rip < (unsigned long)p )
                return UPCALL_BEFORE_CALL;
            return rip == (unsigned long)p ? UPCALL_IN_CALL
                                           : UPCALL_AFTER_CALL;
        }

    return UPCALL_AFTER_CALL;
}

unsigned int nr_upcalls(void)
{
    return upcalls;
}

/*
 * Clear every pending port of vCPU 0, noting which were pending in
 * events_seen[]: the checks look at the upcall and at which port fired.
 */
void ack_events(void)
{
    vcpu_info_t *vi = vcpu_info_of[0];
    unsigned long sel;

    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    for ( unsigned int i = 0; i < 64; i++ )
        if ( sel & (1UL << i) )
            events_seen[i] |= __atomic_exchange_n(&shared->evtchn_pending[i],
                                                  0, __ATOMIC_SEQ_CST);
}

void do_trap(struct trap_frame *f);
void do_trap(struct trap_frame *f)
{
    if ( f->vector == VEC_EVENT )
    {
        upcalls++;
        if ( event_hook )
            event_hook(f);
        ack_events();
        /* Return with events masked again: iret takes the mask from IF. */
        f->rflags &= ~0x200UL;
        return;
    }

    if ( trap_hook && trap_hook(f) )
    {
        /* A syscall returns to user space after the syscall instruction. */
        if ( f->vector == VEC_SYSCALL )
            iret_flags = VGCF_in_syscall;
        return;
    }

    if ( catch_mode != CATCH_NONE )
    {
        caught.vector = f->vector;
        caught.error_code = f->error_code;
        caught.cr2 = vcpu_info_of[0]->arch.cr2;
        caught.frame = *f;
        caught.count++;
        if ( catch_mode == CATCH_LONGJMP )
        {
            catch_mode = CATCH_NONE;
            pv_longjmp(&catch_jmp, 1);
        }
        catch_mode = CATCH_NONE;
        f->rip += catch_skip;
        return;
    }

    snprintf(unexpected_trap, sizeof(unexpected_trap),
             "unexpected trap %#lx ec %#lx at rip %#lx cs %#lx rsp %#lx cr2 %#lx",
             f->vector, f->error_code, f->rip, f->cs, f->rsp,
             vcpu_info_of[0]->arch.cr2);
    if ( check_jmp )
        pv_longjmp(check_jmp, 1);
    crash(unexpected_trap);
}

void install_trap_table(void)
{
    if ( HYPERVISOR_set_trap_table(trap_table) )
        crash("set_trap_table");
}

void traps_init(void)
{
    callback_register_t cb[] = {
        { CALLBACKTYPE_event, CALLBACKF_mask_events, (unsigned long)trap_0x100 },
        { CALLBACKTYPE_failsafe, CALLBACKF_mask_events,
          (unsigned long)trap_0x101 },
        { CALLBACKTYPE_syscall, CALLBACKF_mask_events,
          (unsigned long)trap_0x102 },
    };
    extern char user_entry_stack_top[];

    install_trap_table();
    for ( unsigned int i = 0; i < sizeof(cb) / sizeof(cb[0]); i++ )
        if ( HYPERVISOR_callback_op(CALLBACKOP_register, &cb[i]) )
            crash("callback_op register");
    if ( HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
                                 (unsigned long)user_entry_stack_top) )
        crash("stack_switch");
}
