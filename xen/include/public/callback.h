/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * callback_op(cmd, arg): where the hypervisor enters the guest kernel
 * for events, for a failed return to the guest (failsafe), and for the
 * syscall instruction from guest user space.
 */
#ifndef XEN_PUBLIC_CALLBACK_H
#define XEN_PUBLIC_CALLBACK_H

#include "xen.h"

#define CALLBACKTYPE_event                  0
#define CALLBACKTYPE_failsafe               1
#define CALLBACKTYPE_syscall                2   /* 64-bit syscall */
#define CALLBACKTYPE_sysenter_deprecated    3
#define CALLBACKTYPE_nmi                    4
#define CALLBACKTYPE_sysenter               5
#define CALLBACKTYPE_syscall32              7

/* Enter the callback with events masked. */
#define _CALLBACKF_mask_events  0
#define CALLBACKF_mask_events   (1U << _CALLBACKF_mask_events)

#define CALLBACKOP_register     0
#define CALLBACKOP_unregister   1

#ifndef __ASSEMBLER__

struct callback_register {
    uint16_t type;          /* CALLBACKTYPE_* */
    uint16_t flags;         /* CALLBACKF_* */
    xen_callback_t address;
};
typedef struct callback_register callback_register_t;
DEFINE_XEN_GUEST_HANDLE(callback_register_t);

struct callback_unregister {
    uint16_t type;
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;
DEFINE_XEN_GUEST_HANDLE(callback_unregister_t);

#endif /* !__ASSEMBLER__ */

#endif /* XEN_PUBLIC_CALLBACK_H */
