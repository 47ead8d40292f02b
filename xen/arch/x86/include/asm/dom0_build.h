/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_DOM0_BUILD_H
#define ASM_X86_DOM0_BUILD_H

/*
 * Building and starting dom0 (xen/arch/x86/pv/dom0_build.c,
 * xen/arch/x86/dom0.c).
 */

struct domain;

/*
 * Loads the kernel of the first module (and the initrd of the second)
 * into d, which has its vCPUs: memory, page tables, start_info, vCPU 0's
 * registers. 0, or -errno after printing one line that says why.
 */
int construct_dom0(struct domain *d);

/* Creates, builds and unpauses dom0; halts with a message on failure. */
void create_dom0(void);

/* Per-vCPU time and the wallclock (xen/arch/x86/pv/time.c). */
struct vcpu;
void pv_update_vcpu_time(struct vcpu *v);
/* This CPU refreshes its running vCPU's time once a second from now on. */
void pv_time_refresh_start(void);
void pv_init_wallclock(struct domain *d);
/* platform_op settime: the wallclock at system time system_time. */
void pv_set_wallclock(uint64_t secs, uint32_t nsecs, uint64_t system_time);

#endif /* ASM_X86_DOM0_BUILD_H */
