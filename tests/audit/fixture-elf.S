/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A whole ELF64 x86-64 file written out by hand, so the tests own every
 * byte: `objcopy -O binary` of this object's .text is the file. Binutils
 * 2.40 ignores `-z memory-seal` and merges property notes, so the note
 * carrying GNU_PROPERTY_MEMORY_SEAL (type 3) cannot come from ld.
 *
 * Layout (file offset == virtual address; 4 KiB pages):
 *   0x0000 r--  ELF header, program headers, notes, section headers
 *   0x1000 r-x  text
 *   0x2000 r--  rodata
 *   0x3000 rw-  RELRO page (holds .dynamic), then 0x4000 data,
 *               then bss 0x5000-0x7000 (memsz beyond filesz)
 *
 * -DSEAL_NOTE=0 no seal property, 1 in the first note, 2 in the second
 * (where glibc's loader never looks).
 */
#ifndef SEAL_NOTE
#define SEAL_NOTE 2
#endif

#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_GNU_STACK 0x6474e551
#define PT_GNU_RELRO 0x6474e552
#define PT_GNU_PROPERTY 0x6474e553

	.text
ehdr:
	.byte 0x7f, 'E', 'L', 'F', 2, 1, 1, 0	/* ELFCLASS64, LSB, v1 */
	.quad 0
	.short 3				/* ET_DYN */
	.short 62				/* EM_X86_64 */
	.long 1
	.quad text - ehdr			/* e_entry */
	.quad phdrs - ehdr			/* e_phoff */
	.quad shdrs - ehdr			/* e_shoff */
	.long 0
	.short 64, 56, (phdrs_end - phdrs) / 56	/* ehsize, phentsize, phnum */
	.short 64, (shdrs_end - shdrs) / 64, 4	/* shentsize, shnum, shstrndx */

	.macro phdr type, flags, off, filesz, memsz, align
	.long \type, \flags
	.quad \off, \off, \off, \filesz, \memsz, \align
	.endm
phdrs:
	phdr PT_LOAD, 4, 0, 0x1000, 0x1000, 0x1000
	phdr PT_LOAD, 5, 0x1000, 0x1000, 0x1000, 0x1000
	phdr PT_LOAD, 4, 0x2000, 0x1000, 0x1000, 0x1000
	phdr PT_LOAD, 6, 0x3000, 0x2000, 0x4000, 0x1000
	phdr PT_INTERP, 4, interp-ehdr, interp_end-interp, interp_end-interp, 1
	phdr PT_DYNAMIC, 6, 0x3000, dyn_end-dyn, dyn_end-dyn, 8
	phdr PT_GNU_RELRO, 4, 0x3000, 0x1000, 0x1000, 1
	phdr PT_GNU_STACK, 6, 0, 0, 0, 16
	phdr PT_GNU_PROPERTY, 4, note_a-ehdr, note_a_end-note_a, note_a_end-note_a, 8
phdrs_end:

interp:	.asciz "/lib64/ld-linux-x86-64.so.2"
interp_end:

	/* An NT_GNU_PROPERTY_TYPE_0 note with one property of 4 data bytes. */
	.macro gnu_note type
	.balign 8
	.long 4, 16, 5				/* namesz, descsz, type */
	.asciz "GNU"
	.long \type, 4, 0, 0			/* pr_type, pr_datasz, data, pad */
	.endm
	.balign 8
note_a:
#if SEAL_NOTE == 1
	gnu_note 3
#else
	gnu_note 0xc0000002			/* X86_FEATURE_1_AND */
#endif
note_a_end:
note_b:
#if SEAL_NOTE == 2
	gnu_note 3
#else
	gnu_note 0xc0008002			/* X86_ISA_1_NEEDED */
#endif
note_b_end:

shstrtab:
	.byte 0
name_note: .asciz ".note.gnu.property"
name_dyn: .asciz ".dynamic"
name_shstr: .asciz ".shstrtab"
shstrtab_end:

	.macro shdr name, type, flags, off, size, align, entsize
	.long \name, \type
	.quad \flags, \off, \off, \size
	.long 0, 0
	.quad \align, \entsize
	.endm
	.balign 8
shdrs:
	shdr 0, 0, 0, 0, 0, 0, 0
	shdr name_note-shstrtab, 7, 2, note_a-ehdr, note_a_end-note_a, 8, 0
	shdr name_note-shstrtab, 7, 2, note_b-ehdr, note_b_end-note_b, 8, 0
	shdr name_dyn-shstrtab, 6, 3, 0x3000, dyn_end-dyn, 8, 16
	shdr name_shstr-shstrtab, 3, 0, shstrtab-ehdr, shstrtab_end-shstrtab, 1, 0
shdrs_end:

	.org 0x1000
text:
	ret
	.org 0x2000
	.asciz "rodata"
	.org 0x3000
dyn:
	.quad 0x6ffffffb, 0x08000001		/* DT_FLAGS_1: DF_1_NOW|DF_1_PIE */
	.quad 0, 0				/* DT_NULL */
dyn_end:
	.org 0x4000
	.quad 1					/* data */
	.org 0x5000
