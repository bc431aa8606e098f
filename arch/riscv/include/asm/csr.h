/* RISC-V supervisor CSRs and their bits, as the privileged spec names them. */
#ifndef ASM_RISCV_CSR_H
#define ASM_RISCV_CSR_H

#define SSTATUS_SIE (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define SIE_STIE (1UL << 5)
#define SIE_SEIE (1UL << 9)
#define SCAUSE_IRQ (1UL << 63)
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define SATP_SV39 (8UL << 60)

#ifndef __ASSEMBLER__
#define csr_read(csr)                                               \
	({                                                          \
		unsigned long __v;                                  \
		__asm__ __volatile__("csrr %0, " #csr : "=r"(__v)); \
		__v;                                                \
	})
#define csr_write(csr, v) \
	__asm__ __volatile__("csrw " #csr ", %0" ::"rK"(v) : "memory")
#define csr_set(csr, v) \
	__asm__ __volatile__("csrs " #csr ", %0" ::"rK"(v) : "memory")
#define csr_clear(csr, v) \
	__asm__ __volatile__("csrc " #csr ", %0" ::"rK"(v) : "memory")
#define csr_read_clear(csr, v)                                         \
	({                                                             \
		unsigned long __v;                                     \
		__asm__ __volatile__("csrrc %0, " #csr ", %1"          \
				     : "=r"(__v)                       \
				     : "rK"(v)                         \
				     : "memory");                      \
		__v;                                                   \
	})
#endif

#endif
