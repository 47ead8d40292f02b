/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vcpu_op(cmd, vcpuid, arg): bring a domain's vCPUs up and down, and the
 * per-vCPU timers and shared areas.
 */
#ifndef XEN_PUBLIC_VCPU_H
#define XEN_PUBLIC_VCPU_H

#include "xen.h"

#define VCPUOP_initialise   0   /* struct vcpu_guest_context; vCPU must be down */
#define VCPUOP_up           1   /* arg unused; vCPU must be initialised */
#define VCPUOP_down         2
#define VCPUOP_is_up        3   /* returns 1 (up) or 0 */
#define VCPUOP_get_runstate_info 4  /* struct vcpu_runstate_info */

#ifndef __ASSEMBLER__

/* time[] accumulates ns spent in each RUNSTATE_*. */
struct vcpu_runstate_info {
    int state;
    uint64_t state_entry_time;  /* bit 63: XEN_RUNSTATE_UPDATE */
    uint64_t time[4];
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_runstate_info_t);

#endif

#define XEN_RUNSTATE_UPDATE (1ULL << 63)

#define RUNSTATE_running    0
#define RUNSTATE_runnable   1
#define RUNSTATE_blocked    2
#define RUNSTATE_offline    3

/* The hypervisor keeps a vcpu_runstate_info current at this address. */
#define VCPUOP_register_runstate_memory_area 5

#ifndef __ASSEMBLER__
struct vcpu_register_runstate_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
        struct vcpu_runstate_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_runstate_memory_area
    vcpu_register_runstate_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_runstate_memory_area_t);
#endif

#define VCPUOP_set_periodic_timer   6
#define VCPUOP_stop_periodic_timer  7

#ifndef __ASSEMBLER__
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_periodic_timer_t);
#endif

/*
 * A one-shot VIRQ_TIMER at system time timeout_abs_ns. With
 * VCPU_SSHOTTMR_future a deadline already past fails with -ETIME instead
 * of firing at once.
 */
#define VCPUOP_set_singleshot_timer     8
#define VCPUOP_stop_singleshot_timer    9

#ifndef __ASSEMBLER__
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_singleshot_timer_t);
#endif

#define _VCPU_SSHOTTMR_future   0
#define VCPU_SSHOTTMR_future    (1U << _VCPU_SSHOTTMR_future)

/* Move this vCPU's vcpu_info to mfn:offset (beyond XEN_LEGACY_MAX_VCPUS). */
#define VCPUOP_register_vcpu_info   10

#ifndef __ASSEMBLER__
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_vcpu_info_t);
#endif

#define VCPUOP_send_nmi     11
#define VCPUOP_get_physid   12

#ifndef __ASSEMBLER__
struct vcpu_get_physid {
    uint64_t phys_id;   /* APIC ID in bits 0-31, ACPI ID in 32-63 */
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_get_physid_t);
#endif

#define VCPUOP_register_vcpu_time_memory_area   13

#ifndef __ASSEMBLER__
DEFINE_XEN_GUEST_HANDLE(vcpu_time_info_t);
struct vcpu_register_time_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_time_info_t) h;
        struct vcpu_time_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_time_memory_area
    vcpu_register_time_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_time_memory_area_t);
#endif

#define VCPUOP_register_runstate_phys_area      14
#define VCPUOP_register_vcpu_time_phys_area     15

#endif /* XEN_PUBLIC_VCPU_H */
