// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal check FILE...`: what an ELF file allows, read with libelf, and a
 * verdict for `mseal run`. A file that cannot be read is an error for that
 * file only; the others are still checked and the exit status is 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cli.h"
#include "elf-file.h"
#include "open-regular.h"
#include "table.h"

enum {
	COL_FILE, COL_CLASS, COL_MACHINE, COL_TYPE, COL_PIE, COL_RELRO,
	COL_BIND_NOW, COL_SEAL_NOTE, COL_PROP_NOTES, COL_EXECSTACK,
	COL_TEXTREL, COL_GAPS, COL_GAP_BYTES, COL_SETUID, COL_VERDICT,
	COL_REASON, NCOLS
};

static const struct table_column check_cols[NCOLS] = {
	[COL_FILE] = { "FILE", 0.2, 0, SCOLS_JSON_STRING, "the file as named" },
	[COL_CLASS] = { "CLASS", 5, 0, SCOLS_JSON_STRING, "ELF32 or ELF64" },
	[COL_MACHINE] = { "MACHINE", 6, 0, SCOLS_JSON_STRING, "e_machine, e.g. x86-64" },
	[COL_TYPE] = { "TYPE", 10, 0, SCOLS_JSON_STRING,
		"executable, PIE executable, static executable, static PIE, shared library, runnable shared library, ..." },
	[COL_PIE] = { "PIE", 3, 0, SCOLS_JSON_BOOLEAN, "position-independent executable" },
	[COL_RELRO] = { "RELRO", 7, 0, SCOLS_JSON_STRING,
		"none, partial (PT_GNU_RELRO, lazy binding) or full (PT_GNU_RELRO and BIND_NOW)" },
	[COL_BIND_NOW] = { "BIND-NOW", 3, 0, SCOLS_JSON_BOOLEAN,
		"DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW" },
	[COL_SEAL_NOTE] = { "SEAL-NOTE", 3, 0, SCOLS_JSON_STRING,
		"GNU_PROPERTY_MEMORY_SEAL in a .note.gnu.property note: yes, no, or which note when not the first" },
	[COL_PROP_NOTES] = { "PROP-NOTES", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		"number of NT_GNU_PROPERTY_TYPE_0 notes" },
	[COL_EXECSTACK] = { "EXECSTACK", 3, 0, SCOLS_JSON_BOOLEAN,
		"executable stack (PT_GNU_STACK with PF_X, or none)" },
	[COL_TEXTREL] = { "TEXTREL", 3, 0, SCOLS_JSON_BOOLEAN, "text relocations" },
	[COL_GAPS] = { "GAPS", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		"holes between PT_LOAD segments (PROT_NONE fillers at run time)" },
	[COL_GAP_BYTES] = { "GAP-BYTES", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		"bytes in those holes" },
	[COL_SETUID] = { "SETUID", 3, 0, SCOLS_JSON_BOOLEAN,
		"set-user-ID, set-group-ID or file capabilities" },
	[COL_VERDICT] = { "VERDICT", 8, 0, SCOLS_JSON_STRING,
		"for `mseal run`: sealable, caveats or no" },
	[COL_REASON] = { "REASON", 0.3, 0, SCOLS_JSON_STRING,
		"the caveats, or why not" },
};

/* The columns shown without -o. */
static const char *const check_defaults[] = {
	"FILE", "CLASS", "MACHINE", "TYPE", "PIE", "RELRO", "BIND-NOW",
	"SEAL-NOTE", "EXECSTACK", "TEXTREL", "GAPS", "VERDICT", "REASON", NULL,
};

struct verdict {
	int secure;		/* setuid, setgid or setcap */
	const char *word;	/* sealable, caveats, no */
	char why[512];
};

static const char *type_name(const struct elf_file *ef)
{
	switch (ef->type) {
	case ET_EXEC:
		return ef->has_interp ? "executable" : "static executable";
	case ET_DYN:
		if (ef->has_interp)
			return ef->pie ? "PIE executable" : "runnable shared library";
		return ef->pie ? "static PIE" : "shared library";
	case ET_REL:
		return "relocatable";
	case ET_CORE:
		return "core";
	default:
		return "other";
	}
}

static void add_reason(struct verdict *v, const char *text)
{
	size_t len = strlen(v->why);

	snprintf(v->why + len, sizeof(v->why) - len, "%s%s", len ? "; " : "",
		 text);
}

static int not_sealable(const struct elf_file *ef, struct verdict *v)
{
	const char *type = type_name(ef);

	if (ef->type != ET_EXEC && ef->type != ET_DYN)
		add_reason(v, "not a program or shared library");
	else if (ef->elfclass != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32) ||
		 ef->machine != EM_HOST)
		add_reason(v, "another ELF class or machine: the shim cannot load into it");
	else if (strncmp(type, "static", 6) == 0)
		add_reason(v, "static: no dynamic loader, so no preloaded shim");
	else if (v->secure)
		add_reason(v, "setuid, setgid or file capabilities: secure mode ignores LD_PRELOAD");
	return v->why[0] != 0;
}

static void judge(const struct elf_file *ef, struct verdict *v)
{
	char buf[96];

	if (not_sealable(ef, v)) {
		v->word = "no";
		return;
	}
	if (ef->relro == ELF_RELRO_NONE)
		add_reason(v, "no RELRO: only code and read-only data get sealed");
	else if (ef->relro == ELF_RELRO_PARTIAL)
		add_reason(v, "partial RELRO: the lazily bound GOT stays writable");
	if (ef->execstack)
		add_reason(v, ef->type == ET_DYN && !ef->has_interp ?
			   "executable stack: dlopen of it fails once ld.so's RELRO is sealed" :
			   "executable stack");
	if (ef->textrel)
		add_reason(v, "text relocations");
	if (ef->gaps) {
		snprintf(buf, sizeof(buf),
			 "%u segment gap%s: unsealed unless --gaps", ef->gaps,
			 ef->gaps == 1 ? "" : "s");
		add_reason(v, buf);
	}
	if (ef->seal_note > 1)
		add_reason(v, "memory-seal property not in the first note: the loader ignores it");
	v->word = v->why[0] ? "caveats" : "sealable";
}

static const char *seal_note_text(const struct elf_file *ef, char *buf,
				  size_t len)
{
	if (!ef->seal_note)
		return "no";
	if (ef->seal_note == 1)
		return "yes";
	snprintf(buf, len, "note %d of %d (loader reads only the first)",
		 ef->seal_note, ef->prop_notes);
	return buf;
}

static const char *yes_no(const struct table_opts *out, int value)
{
	/* libsmartcols writes a JSON boolean as false only for "", "0" or
	 * a word starting with n/N: "false" would come out as true. */
	if (out->json)
		return value ? "1" : "0";
	return value ? "yes" : "no";
}

static void fill_cell(struct libscols_line *ln, size_t pos, int col,
		      const char *file, const struct elf_file *ef,
		      const struct verdict *v, const struct table_opts *out)
{
	char buf[128];
	const char *s = buf;
	static const char *const relro[] = { "none", "partial", "full" };

	switch (col) {
	case COL_FILE: s = file; break;
	case COL_CLASS: s = ef->elfclass == ELFCLASS64 ? "ELF64" : "ELF32"; break;
	case COL_MACHINE:
		s = elf_machine_name(ef->machine);
		if (!s) {
			snprintf(buf, sizeof(buf), "%u", ef->machine);
			s = buf;
		}
		break;
	case COL_TYPE: s = type_name(ef); break;
	case COL_PIE: s = yes_no(out, ef->pie); break;
	case COL_RELRO: s = relro[ef->relro]; break;
	case COL_BIND_NOW: s = yes_no(out, ef->bind_now); break;
	case COL_SEAL_NOTE: s = seal_note_text(ef, buf, sizeof(buf)); break;
	case COL_PROP_NOTES: snprintf(buf, sizeof(buf), "%d", ef->prop_notes); break;
	case COL_EXECSTACK: s = yes_no(out, ef->execstack); break;
	case COL_TEXTREL: s = yes_no(out, ef->textrel); break;
	case COL_GAPS: snprintf(buf, sizeof(buf), "%u", ef->gaps); break;
	case COL_GAP_BYTES: table_short_size(out, ef->gap_bytes, buf, sizeof(buf)); break;
	case COL_SETUID: s = yes_no(out, v->secure); break;
	case COL_VERDICT: s = v->word; break;
	case COL_REASON: s = v->why; break;
	}
	scols_line_set_data(ln, pos, s);
}

static int is_secure(int fd, const struct stat *st)
{
	if (st->st_mode & (S_ISUID | S_ISGID))
		return 1;
	return fgetxattr(fd, "security.capability", NULL, 0) >= 0;
}

/* Check one file and add its row; 0, or -1 after printing why. */
static int check_one(const char *file, struct libscols_table *tb,
		     const struct table_columns *cols,
		     const struct table_opts *out)
{
	struct verdict v = { 0 };
	struct elf_file ef;
	struct libscols_line *ln;
	const char *why = NULL;
	struct stat st;
	int fd;

	fd = open_regular(file); /* a FIFO must not block, a device not open */
	if (fd == OPEN_NOT_REGULAR) {
		cli_error("check: %s: not a regular file", file);
		return -1;
	}
	if (fd < 0) {
		cli_error_errno(fd, "check: %s", file);
		return -1;
	}
	if (elf_file_read(fd, 0, &ef, &why) < 0) {
		cli_error("check: %s: %s", file, why);
		close(fd);
		return -1;
	}
	v.secure = fstat(fd, &st) == 0 && is_secure(fd, &st);
	close(fd);
	judge(&ef, &v);
	ln = scols_table_new_line(tb, NULL);
	for (size_t i = 0; ln && i < cols->n_shown; i++)
		fill_cell(ln, i, (int)cols->shown[i], file, &ef, &v, out);
	elf_file_clear(&ef);
	return ln ? 0 : -1;
}

static void usage(void)
{
	printf("Usage: mseal check [options] FILE...\n\n"
	       "Tell what an ELF file allows and whether `mseal run` can seal it.\n\n"
	       "Options:\n"
	       "  -J, --json            JSON output\n"
	       "  -r, --raw             raw output\n"
	       "  -n, --noheadings      no column headings\n"
	       "  -b, --bytes           sizes in bytes\n"
	       "  -o, --output LIST     columns to show (+LIST adds to the default)\n"
	       "      --output-all      every column\n"
	       "  -H, --list-columns    list the columns\n"
	       "  -h, --help            this help\n\n"
	       "Exit status: 0 every file read, 1 a file could not be read.\n");
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, 'A' },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct table_columns cols;
	struct table_opts out = { 0 };
	struct libscols_table *tb;
	int c, failed = 0;

	table_columns_init(&cols, check_cols, NCOLS, check_defaults);
	cols.skip_empty = 1;
	opterr = 0; /* our own messages, with the "mseal:" prefix */
	while ((c = getopt_long(argc, argv, ":Jrnbo:Hh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (cli_columns_parse("check", &cols, optarg,
					      " (-H lists them)") < 0)
				return MSEAL_EXIT_FAILURE;
			break;
		case 'A': table_columns_all(&cols); break;
		case 'H':
			table_columns_describe(stdout, check_cols, NCOLS, "", 14);
			return MSEAL_EXIT_OK;
		case 'h': usage(); return MSEAL_EXIT_OK;
		default:
			if (cli_output_switch(c, &out) < 0) {
				cli_option_error("check", c, argv);
				return MSEAL_EXIT_FAILURE;
			}
		}
	}
	if (optind >= argc) {
		cli_error("check: no FILE given (see mseal check --help)");
		return MSEAL_EXIT_FAILURE;
	}
	tb = table_new("files", &cols, &out);
	if (!tb) {
		cli_error_errno(ENOMEM, "check");
		return MSEAL_EXIT_FAILURE;
	}
	for (int i = optind; i < argc; i++)
		if (check_one(argv[i], tb, &cols, &out) < 0)
			failed = 1;
	if (out.json || scols_table_get_nlines(tb) > 0)
		scols_print_table(tb);
	scols_unref_table(tb);
	return failed ? MSEAL_EXIT_FAILURE : MSEAL_EXIT_OK;
}
