/*
 * Constants shared by C and assembly: _UL(0x1000) is 0x1000UL in C and
 * plain 0x1000 for the assembler, which knows no suffixes.
 */
#ifndef PAGODA_CONST_H
#define PAGODA_CONST_H

#ifdef __ASSEMBLER__
#define _UL(x) x
#else
#define __UL(x) x##UL
#define _UL(x) __UL(x)
#endif

#endif
