/*
 * arch_setjmp/arch_longjmp for i386: the callee-saved registers, the
 * stack pointer and the return address. Used to get back to the shell
 * after an oops in a command.
 */
	.text
	.globl arch_setjmp
arch_setjmp:
	movl 4(%esp), %eax
	movl %ebx, 0(%eax)
	movl %esi, 4(%eax)
	movl %edi, 8(%eax)
	movl %ebp, 12(%eax)
	leal 4(%esp), %ecx			/* esp after our return */
	movl %ecx, 16(%eax)
	movl (%esp), %ecx
	movl %ecx, 20(%eax)			/* return address */
	xorl %eax, %eax
	ret

	.globl arch_longjmp
arch_longjmp:
	movl 4(%esp), %eax
	movl 0(%eax), %ebx
	movl 4(%eax), %esi
	movl 8(%eax), %edi
	movl 12(%eax), %ebp
	movl 16(%eax), %esp
	movl 20(%eax), %ecx
	movl $1, %eax
	jmp *%ecx
