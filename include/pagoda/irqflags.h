/*
 * Turning interrupts off and on around critical sections; the arch's
 * asm/irqflags.h does the work.
 */
#ifndef PAGODA_IRQFLAGS_H
#define PAGODA_IRQFLAGS_H

#include <asm/irqflags.h>

#define local_irq_save(flags) ((flags) = arch_local_irq_save())
#define local_irq_restore(flags) arch_local_irq_restore(flags)
#define local_irq_disable() arch_local_irq_disable()
#define local_irq_enable() arch_local_irq_enable()
#define irqs_disabled() arch_irqs_disabled_flags(arch_local_save_flags())

#endif
