/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_HYPERCALL_H
#define XEN_HYPERCALL_H

/*
 * Hypercall handlers. Each takes its guest's arguments as the ABI
 * passes them (up to five register-sized values) and returns 0, a
 * positive value where the hypercall defines one, or a negative errno;
 * guest pointers are reached only through copy_{from,to}_guest*.
 * The table that numbers them is xen/arch/x86/pv/hypercall.c.
 */

#include <xen/types.h>

long do_set_trap_table(unsigned long list);
long do_stack_switch(unsigned long ss, unsigned long esp);
long do_set_callbacks(unsigned long event, unsigned long failsafe,
                      unsigned long syscall);
long do_fpu_taskswitch(unsigned long set);
long do_set_debugreg(unsigned long reg, unsigned long value);
long do_get_debugreg(unsigned long reg);
long do_xen_version(unsigned long cmd, unsigned long arg);
long do_console_io(unsigned long cmd, unsigned long count,
                   unsigned long buffer);
long do_vm_assist(unsigned long cmd, unsigned long type);
long do_xenpmu_op(unsigned long op, unsigned long arg);
long do_iret(void);
long do_vcpu_op(unsigned long cmd, unsigned long vcpuid, unsigned long arg);
long do_set_segment_base(unsigned long which, unsigned long base);
long do_sched_op(unsigned long cmd, unsigned long arg);
long do_callback_op(unsigned long cmd, unsigned long arg);
long do_set_timer_op(unsigned long timeout);
long do_physdev_op(unsigned long cmd, unsigned long arg);
long do_platform_op(unsigned long arg);
long do_memory_op(unsigned long cmd, unsigned long arg);
long do_mmu_update(unsigned long ureqs, unsigned long count,
                   unsigned long pdone, unsigned long foreigndom);
long do_mmuext_op(unsigned long uops, unsigned long count,
                  unsigned long pdone, unsigned long foreigndom);
long do_event_channel_op(unsigned long cmd, unsigned long arg);
long do_set_gdt(unsigned long frame_list, unsigned long entries);
long do_update_descriptor(unsigned long maddr, unsigned long desc);
long do_update_va_mapping(unsigned long va, unsigned long val,
                          unsigned long flags);

long do_update_va_mapping_otherdomain(unsigned long va, unsigned long val,
                                      unsigned long flags,
                                      unsigned long domid);

/*
 * Continuations: a handler that has done a bounded share of a long job
 * and finds hypercall_preempt_check() true returns
 * hypercall_create_continuation(op, args...) with the arguments that
 * describe what is left. The guest then re-enters hypercall op with
 * them once the hypervisor has done its pending work (softirqs, event
 * upcalls, a reschedule): nothing is kept in the hypervisor between the
 * two entries, so the arguments must say everything. Inside a multicall
 * the entry's arguments are rewritten instead, and the multicall itself
 * is continued from that entry.
 */
bool hypercall_preempt_check(void);
long hypercall_continuation_args(unsigned int op, const unsigned long *args,
                                 unsigned int nr_args);
#define hypercall_create_continuation(op, ...)                              \
    hypercall_continuation_args(op, (const unsigned long[]){ __VA_ARGS__ }, \
                                sizeof((unsigned long[]){ __VA_ARGS__ }) /  \
                                sizeof(unsigned long))

#endif /* XEN_HYPERCALL_H */
