/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An absolute address stored in .text: linked -z notext, the shared object
 * gets a text relocation (DT_TEXTREL). */
	.text
	.globl fixture_textrel
	.type fixture_textrel, @function
fixture_textrel:
	ret
	.quad fixture_textrel
	.section .note.GNU-stack, "", @progbits
