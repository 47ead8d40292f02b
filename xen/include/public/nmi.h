/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nmi_op(cmd, arg) and the reasons in arch_shared_info.nmi_reason that
 * dom0 sees for a hardware NMI.
 */
#ifndef XEN_PUBLIC_NMI_H
#define XEN_PUBLIC_NMI_H

#include "xen.h"

#define _XEN_NMIREASON_io_error 0
#define XEN_NMIREASON_io_error  (1UL << _XEN_NMIREASON_io_error)
#define _XEN_NMIREASON_pci_serr 1
#define XEN_NMIREASON_pci_serr  (1UL << _XEN_NMIREASON_pci_serr)
#define _XEN_NMIREASON_unknown  2
#define XEN_NMIREASON_unknown   (1UL << _XEN_NMIREASON_unknown)

#define XENNMI_register_callback    0
#define XENNMI_unregister_callback  1

#ifndef __ASSEMBLER__
struct xennmi_callback {
    unsigned long handler_address;
    unsigned long pad;
};
typedef struct xennmi_callback xennmi_callback_t;
DEFINE_XEN_GUEST_HANDLE(xennmi_callback_t);
#endif

#endif /* XEN_PUBLIC_NMI_H */
